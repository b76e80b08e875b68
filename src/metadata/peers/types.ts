/**
 * The peer registry's public shapes (CONTRACT-3, PEERS part): what a verified peer looks like
 * to the protocol code, and what operators see in `pont peers list` and /readyz.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';

export type PeerRole = 'connector' | 'proxy-service';
export const PEER_ROLES: readonly PeerRole[] = ['connector', 'proxy-service'];

export interface Endpoint {
  binding: string;
  location: string;
}

export interface IndexedEndpoint extends Endpoint {
  index?: number;
  isDefault?: boolean;
}

/** A peer's metadata after every check passed; read only from the signed element. */
export interface PeerDescriptor {
  entityId: string;
  role: PeerRole;
  country: string;
  signingCertificates: X509Certificate[];
  /** Imported once, after the EC point check (certificates.ts). */
  signingKeys: KeyObject[];
  encryptionCertificates: X509Certificate[];
  encryptionMethods: string[];
  signingMethods: string[];
  digestMethods: string[];
  /** Proxy-service peers. */
  ssoServices: Endpoint[];
  /** Connector peers. */
  assertionConsumerServices: IndexedEndpoint[];
  spType?: string;
  loas: string[];
  nameIdFormats: string[];
  supportedAttributes: string[];
  protocolVersions: string[];
  validUntil: Date;
  /** SHA-256 (hex) of the document's bytes as fetched. */
  fingerprint: string;
}

export interface PeerRegistry {
  /** Verified and still valid only. */
  get(entityId: string): PeerDescriptor | undefined;
  list(filter?: { country?: string; role?: PeerRole }): PeerDescriptor[];
  /** Keys to verify a message of this peer; when `unknownKey` the registry refreshes that peer once first. */
  signingKeys(entityId: string, options?: { unknownKey?: boolean }): Promise<KeyObject[]>;
  refresh(entityId?: string): Promise<PeerRefreshResult[]>;
  /** Last fetch, validUntil, key expiry, last error. */
  status(): PeerStatus[];
}

export type RefreshOutcome = 'updated' | 'unchanged' | 'refused';

export interface PeerRefreshResult {
  entityId: string;
  outcome: RefreshOutcome;
  /** Of the document now in service ('updated', 'unchanged'). */
  fingerprint?: string;
  validUntil?: Date;
  /** Reason code and operator-readable detail ('refused'). */
  reason?: string;
  detail?: string;
}

/** Where a peer was defined: the configuration file or `pont peers add`. */
export type PeerSource = 'config' | 'cli';

export interface CertificateSummary {
  use: 'signing' | 'encryption' | 'trust-anchor';
  subject: string;
  fingerprint: string;
  notAfter: Date;
}

export type PeerState =
  /** A valid verified copy is in service and the last fetch succeeded. */
  | 'ok'
  /** The last fetch was refused; the previous good copy serves until its validUntil. */
  | 'serving-last-good-copy'
  /** The last good copy is past its validUntil: nothing is served for this peer. */
  | 'expired'
  /** No verified copy yet. */
  | 'unavailable';

export interface PeerStatus {
  entityId: string;
  country: string;
  role: PeerRole;
  source: PeerSource;
  metadataUrl: string;
  state: PeerState;
  lastFetchAt?: Date;
  lastSuccessAt?: Date;
  lastError?: { reason: string; detail: string; at: Date };
  validUntil?: Date;
  fingerprint?: string;
  /** The earliest notAfter of the role certificates in service. */
  keyExpiry?: Date;
  certificates: CertificateSummary[];
  /** Certificates expired or expiring within the warning window, legacy exceptions. */
  warnings: string[];
}
