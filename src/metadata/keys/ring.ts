/**
 * The KeyRing of one instance: the shared key states (node_keys) joined with the private keys
 * this instance holds, each key file read ONCE into a KeyObject. A timer (unref'd) runs the
 * schedule and re-reads the states every keys.refreshIntervalSeconds; `refresh()` does it on
 * demand. A refresh that fails keeps the last good view (the error is reported and shown by
 * /readyz); listeners hear of every change of states.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { createAuditLog, type AuditLog } from '../../audit/index.ts';
import type { Config } from '../../config/schema.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { Database } from '../../storage/database.ts';
import { KeyLifecycleError } from './errors.ts';
import { checkKeysDir, loadKeyFile } from './files.ts';
import { runSchedule } from './lifecycle.ts';
import { keySettingsFrom, type KeySettings } from './settings.ts';
import { readKeyRecords } from './store.ts';
import type { KeyChange } from './transitions.ts';
import { KEY_USES, type KeyRecord, type KeyRing, type KeyUse, type NodeKey } from './types.ts';

export interface KeyRingOptions {
  db: Database;
  config: Config;
  clock?: Clock;
  /** Default: the audit log on `db`. */
  audit?: AuditLog;
  /** Default: from `config`. */
  settings?: KeySettings;
  /** Default: keys.refreshIntervalSeconds; 0 starts no timer (tests drive `tick()`). */
  refreshIntervalMs?: number;
  /** A scheduled refresh or a listener failed. Default: a process warning. */
  onError?: (err: Error) => void;
}

export interface KeyRingStatus {
  lastRefreshAt?: Date;
  /** Why the last refresh failed; the ring still serves the view before it. */
  lastError?: string;
  /** Non-fatal findings, e.g. a next key whose private key file this instance lacks. */
  warnings: string[];
}

export interface ManagedKeyRing extends KeyRing {
  /** What the timer does: the schedule (automatic promotion and retirement), then a refresh. */
  tick(): Promise<KeyChange[]>;
  status(): KeyRingStatus;
  /** Stops the timer. */
  close(): void;
}

interface Cached {
  fingerprint: string;
  certificate: X509Certificate;
  privateKey?: KeyObject;
}

/** Keys whose private key this instance loads: next, active, and retiring decryption keys. */
const wantsPrivateKey = (r: KeyRecord): boolean =>
  r.state === 'next' || r.state === 'active' || (r.state === 'retiring' && r.use === 'encryption');
const signatureOf = (records: readonly KeyRecord[]): string => records.map((r) => `${r.id}:${r.state}:${r.fingerprint}`).join('|');

export async function openKeyRing(options: KeyRingOptions): Promise<ManagedKeyRing> {
  const settings = options.settings ?? keySettingsFrom(options.config);
  const ring = new Ring(options, settings);
  await ring.load();
  ring.start(options.refreshIntervalMs ?? settings.refreshIntervalMs);
  return ring;
}

class Ring implements ManagedKeyRing {
  private readonly clock: Clock;
  private readonly audit: AuditLog;
  private readonly onError: (err: Error) => void;
  private readonly cache = new Map<string, Cached>();
  private readonly listeners = new Set<() => void>();
  private keys: NodeKey[] = [];
  private signature = '';
  private warnings: string[] = [];
  private lastRefreshAt: Date | undefined;
  private lastError: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly options: KeyRingOptions,
    private readonly settings: KeySettings,
  ) {
    this.clock = options.clock ?? systemClock;
    this.audit = options.audit ?? createAuditLog(options.db, this.clock);
    this.onError = options.onError ?? ((err) => process.emitWarning(err.message, { code: 'PONT_KEYS' }));
  }

  /** The first load: refuses to open without an active key per use, or with an unusable key file. */
  async load(): Promise<void> {
    const records = await readKeyRecords(this.options.db);
    const missing = KEY_USES.filter((use) => !records.some((r) => r.use === use && r.state === 'active'));
    if (missing.length > 0) {
      const commands = missing.map((use) => `\`pont keys generate --use ${use}\``).join(', ');
      throw new KeyLifecycleError('NO_ACTIVE_KEY', `no active ${missing.join(', ')} key in the database: run ${commands} (see docs/keys.md)`);
    }
    checkKeysDir(this.settings.dir);
    this.install(records);
    this.lastRefreshAt = this.clock();
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.scheduledTick(), intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  active(use: KeyUse): NodeKey {
    const key = this.keys.find((k) => k.use === use && k.state === 'active');
    if (!key) throw new KeyLifecycleError('NO_ACTIVE_KEY', `no active ${use} key`);
    return key;
  }

  published(use: 'signing' | 'encryption'): NodeKey[] {
    const order = use === 'signing' ? (['active', 'next', 'retiring'] as const) : (['active', 'next'] as const);
    return order.flatMap((state) => this.keys.filter((k) => k.use === use && k.state === state));
  }

  decryptionKeys(): KeyObject[] {
    const inGrace = (k: NodeKey) => this.inGrace(k.retiringAt);
    const enc = this.keys.filter((k) => k.use === 'encryption' && k.privateKey);
    return [
      ...enc.filter((k) => k.state === 'active'),
      ...enc.filter((k) => k.state === 'next'),
      ...enc.filter((k) => k.state === 'retiring' && inGrace(k)),
    ].map((k) => k.privateKey!);
  }

  all(): NodeKey[] {
    return [...this.keys];
  }

  status(): KeyRingStatus {
    return {
      ...(this.lastRefreshAt && { lastRefreshAt: this.lastRefreshAt }),
      ...(this.lastError !== undefined && { lastError: this.lastError }),
      warnings: [...this.warnings],
    };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refresh(): Promise<void> {
    const run = this.queue.then(() => this.reload());
    this.queue = run.catch(() => undefined); // the chain goes on; this caller still gets the error
    return run;
  }

  async tick(): Promise<KeyChange[]> {
    const changes = await runSchedule(
      { db: this.options.db, settings: this.settings, audit: this.audit, clock: this.clock, actor: 'schedule' },
      (r) => this.canUse(r),
    );
    await this.refresh();
    return changes;
  }

  private async scheduledTick(): Promise<void> {
    if (this.ticking) return; // the previous tick is still at work
    this.ticking = true;
    try {
      await this.tick();
    } catch (e) {
      this.report(e);
    } finally {
      this.ticking = false;
    }
  }

  private async reload(): Promise<void> {
    try {
      const records = await readKeyRecords(this.options.db);
      const retry = records.some((r) => wantsPrivateKey(r) && !this.cache.get(r.id)?.privateKey);
      if (signatureOf(records) !== this.signature || retry) this.install(records);
      this.lastError = undefined;
      this.lastRefreshAt = this.clock();
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : 'refresh failed';
      throw e;
    }
  }

  /** Builds the new view (loading new private keys) and swaps it in whole, or throws and keeps the old one. */
  private install(records: KeyRecord[]): void {
    const warnings: string[] = [];
    const keys = records.map((r) => this.toNodeKey(r, warnings));
    for (const use of KEY_USES) {
      if (!keys.some((k) => k.use === use && k.state === 'active')) throw new KeyLifecycleError('NO_ACTIVE_KEY', `no active ${use} key`);
    }
    for (const id of this.cache.keys()) {
      if (!records.some((r) => r.id === id && r.state !== 'retired')) this.cache.delete(id);
    }
    const signature = signatureOf(records);
    const changed = this.signature !== '' && signature !== this.signature;
    this.keys = keys;
    this.signature = signature;
    this.warnings = warnings;
    if (changed) this.notify();
  }

  private toNodeKey(r: KeyRecord, warnings: string[]): NodeKey {
    let cached = this.cache.get(r.id);
    if (!cached || cached.fingerprint !== r.fingerprint) {
      cached = { fingerprint: r.fingerprint, certificate: new X509Certificate(r.certificatePem) };
    }
    if (r.state !== 'retired' && wantsPrivateKey(r) && !cached.privateKey) {
      try {
        cached = { ...cached, privateKey: loadKeyFile(this.settings.dir, r.keyFile, cached.certificate, this.settings.minRsaBits) };
      } catch (e) {
        if (this.needsPrivateKey(r) || !(e instanceof KeyLifecycleError)) throw e;
        warnings.push(`${r.state} key ${r.id}: ${e.message}`);
      }
    }
    if (r.state !== 'retired') this.cache.set(r.id, cached);
    const { privateKey } = r.state === 'retired' ? { privateKey: undefined } : cached;
    return {
      id: r.id, use: r.use, state: r.state, algorithm: r.algorithm,
      certificate: cached.certificate, certificatePem: r.certificatePem, fingerprint: r.fingerprint, notAfter: r.notAfter,
      ...(privateKey && { privateKey }),
      publishedAt: r.publishedAt,
      ...(r.activatedAt && { activatedAt: r.activatedAt }),
      ...(r.retiringAt && { retiringAt: r.retiringAt }),
      ...(r.retiredAt && { retiredAt: r.retiredAt }),
    };
  }

  /** Without these the instance cannot work: active keys, and retiring decryption keys within their grace period. */
  private needsPrivateKey(r: KeyRecord): boolean {
    if (r.state === 'active') return true;
    return r.state === 'retiring' && r.use === 'encryption' && this.inGrace(r.retiringAt);
  }

  private inGrace(retiringAt: Date | undefined): boolean {
    return retiringAt !== undefined && retiringAt.getTime() + this.settings.retiringGraceMs > this.clock().getTime();
  }

  /** Whether this instance holds the private key of `r` (loading it once if needed). */
  private canUse(r: KeyRecord): boolean {
    const cached = this.cache.get(r.id);
    if (cached?.privateKey) return true;
    try {
      const certificate = cached?.certificate ?? new X509Certificate(r.certificatePem);
      const privateKey = loadKeyFile(this.settings.dir, r.keyFile, certificate, this.settings.minRsaBits);
      this.cache.set(r.id, { fingerprint: r.fingerprint, certificate, privateKey });
      return true;
    } catch (e) {
      this.report(new KeyLifecycleError('KEY_FILE', `not promoting ${r.id} from this instance: ${(e as Error).message}`));
      return false;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (e) {
        this.report(e);
      }
    }
  }

  private report(e: unknown): void {
    this.onError(e instanceof Error ? e : new Error(String(e)));
  }
}
