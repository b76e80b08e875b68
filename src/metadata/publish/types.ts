/**
 * What the publisher needs from the rest of the node, written as the subset of the KEYS
 * part's KeyRing (src/metadata/keys, CONTRACT-3) it calls: any KeyRing fits.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { MetadataConfig } from '../../config/areas/metadata.ts';

export type Role = 'proxy-service' | 'connector';
export const ROLES: readonly Role[] = ['proxy-service', 'connector'];

export type KeyUse = 'signing' | 'encryption' | 'metadata';

/** The parts of a NodeKey the metadata shows or signs with. */
export interface PublishedKey {
  id: string;
  use: KeyUse;
  state: 'next' | 'active' | 'retiring' | 'retired';
  certificate: X509Certificate;
  fingerprint: string;
  privateKey?: KeyObject;
}

export interface MetadataKeySource {
  /** Exactly one active key per use (throws when there is none). */
  active(use: KeyUse): PublishedKey;
  /** next + active: what the metadata shows. */
  published(use: 'signing' | 'encryption'): PublishedKey[];
  /** Fired when the key state changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** The configuration the publisher reads (a full Config fits). */
export interface PublisherConfig {
  readonly server: { readonly publicBaseUrl: string };
  readonly crypto: { readonly minRsaBits: number };
  readonly metadata: DeepReadonly<MetadataConfig>;
}

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export interface PublishedDocument {
  /** The signed document, UTF-8 XML with its declaration. */
  xml: string;
  validUntil: Date;
  entityId: string;
  /** From then on, the document is signed again (validUntil − the re-sign margin). */
  resignAt: Date;
  /** Strong HTTP validator of `xml`. */
  etag: string;
}

export interface MetadataPublisher {
  /** Signed, cached, re-signed before it lapses or when the keys change. */
  document(role: Role): Promise<PublishedDocument>;
  /** Stops listening to key changes. */
  close(): void;
}
