/** The node's own keys: what they are for, where they are in their life, and the ring that serves them. */
import type { KeyObject, X509Certificate } from 'node:crypto';

export const KEY_USES = ['signing', 'encryption', 'metadata'] as const;
/** signing: SAML messages; encryption: what peers encrypt to us; metadata: our metadata documents. */
export type KeyUse = (typeof KEY_USES)[number];

/** What `pont keys generate --alg` offers (R-CRY-04). */
export const KEY_ALGORITHMS = [
  'rsa-3072',
  'rsa-4096',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ec-brainpoolp256r1',
  'ec-brainpoolp384r1',
  'ec-brainpoolp512r1',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** DESIGN §3: RSA-PSS on a 3072-bit key by default. */
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'rsa-3072';

export const KEY_STATES = ['next', 'active', 'retiring', 'retired'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export interface NodeKey {
  /** `<use>-<first 12 hex digits of the certificate SHA-256>`, e.g. `signing-3fa2b1c09d4e`. */
  id: string;
  use: KeyUse;
  state: KeyState;
  /** e.g. 'rsa-3072', 'ec-p256', 'ec-brainpoolp384r1'. */
  algorithm: string;
  certificate: X509Certificate;
  certificatePem: string;
  /** SHA-256 of the certificate's DER, colon hex (as openssl prints it). */
  fingerprint: string;
  notAfter: Date;
  /** Loaded once from the key file; absent when retired (and for a `next` key whose file this instance lacks). */
  privateKey?: KeyObject;
  publishedAt?: Date;
  activatedAt?: Date;
  retiringAt?: Date;
  retiredAt?: Date;
}

export interface KeyRing {
  /** The one active key of `use`. */
  active(use: KeyUse): NodeKey;
  /**
   * What our metadata shows for `use`: next and active keys, and for signing also the retiring
   * key until it is retired, so a message signed by an instance that has not refreshed yet still
   * verifies against the metadata any instance serves. A retiring encryption key is not
   * published (peers must stop encrypting to it) but still decrypts for the grace period.
   */
  published(use: 'signing' | 'encryption'): NodeKey[];
  /** Private encryption keys: active, then next (already published), then retiring ones within the grace period. */
  decryptionKeys(): KeyObject[];
  all(): NodeKey[];
  /** Re-reads the shared state (all instances agree); fires onChange listeners when it changed. */
  refresh(): Promise<void>;
  onChange(listener: () => void): () => void;
}

/** A key row as stored in node_keys (no private key). */
export interface KeyRecord {
  id: string;
  use: KeyUse;
  state: KeyState;
  algorithm: string;
  /** A file name inside the keys directory. */
  keyFile: string;
  certificatePem: string;
  fingerprint: string;
  notAfter: Date;
  createdAt: Date;
  publishedAt: Date;
  activatedAt?: Date;
  retiringAt?: Date;
  retiredAt?: Date;
}
