/**
 * An in-memory key ring with the KeyRing contract's behaviour (CONTRACT-3 KEYS part):
 * one active key per use, published = next + active (+ retiring for signing), onChange fired on
 * every state change.
 * Keys are generated with the node's own generator (EC P-256 by default: fast).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { generateKeyPair, type KeyType } from '../../../src/keys/generate.ts';
import type { KeyUse, MetadataKeySource, PublishedKey } from '../../../src/metadata/publish/index.ts';

export interface FakeKey extends PublishedKey {
  certificatePem: string;
  privateKeyPem: string;
  algorithm: KeyType;
}

export async function fakeKey(use: KeyUse, type: KeyType, state: PublishedKey['state'] = 'active', label: string = use): Promise<FakeKey> {
  const pair = await generateKeyPair({
    type,
    usage: use === 'encryption' ? 'encryption' : 'signing',
    subject: `CN=Pont eIDAS test ${label} ${type}, O=Pont eIDAS tests, C=FR`,
    validityDays: 30,
    notBefore: new Date('2026-01-01T00:00:00Z'),
  });
  return {
    id: `${label}-${type}-${pair.fingerprint.slice(0, 8)}`,
    use,
    state,
    algorithm: type,
    certificate: new X509Certificate(pair.certificatePem),
    certificatePem: pair.certificatePem,
    fingerprint: pair.fingerprint,
    privateKey: createPrivateKey(pair.privateKeyPem),
    privateKeyPem: pair.privateKeyPem,
  };
}

export class FakeKeyRing implements MetadataKeySource {
  private readonly listeners = new Set<() => void>();
  private keys: FakeKey[];

  constructor(keys: FakeKey[]) {
    this.keys = [...keys];
  }

  active(use: KeyUse): FakeKey {
    const found = this.keys.filter((k) => k.use === use && k.state === 'active');
    if (found.length !== 1) throw new Error(`expected exactly one active ${use} key, found ${found.length}`);
    return found[0]!;
  }

  /** next + active; signing also keeps the retiring key until it is retired (as src/metadata/keys does). */
  published(use: 'signing' | 'encryption'): FakeKey[] {
    const of = (state: string) => this.keys.filter((k) => k.use === use && k.state === state);
    return [...of('next'), ...of('active'), ...(use === 'signing' ? of('retiring') : [])];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a key (usually in state next) and tells the listeners. */
  add(key: FakeKey): void {
    this.keys.push(key);
    this.changed();
  }

  /** next → active, the previous active → retiring. */
  promote(id: string): void {
    const key = this.keys.find((k) => k.id === id);
    if (!key) throw new Error(`no key ${id}`);
    this.keys = this.keys.map((k) =>
      k.id === id ? { ...k, state: 'active' } : k.use === key.use && k.state === 'active' ? { ...k, state: 'retiring' } : k,
    );
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
