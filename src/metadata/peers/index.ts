/** The peer metadata registry (issue 3, CONTRACT-3 PEERS part): public API, re-exports only. */
export type {
  PeerDescriptor,
  PeerRegistry,
  PeerRefreshResult,
  PeerStatus,
  PeerRole,
  PeerState,
  PeerSource,
  Endpoint,
  IndexedEndpoint,
  CertificateSummary,
} from './types.ts';
export { PEER_ROLES } from './types.ts';
export { openPeerRegistry, fetchPolicyFor, UNKNOWN_ISSUER_SYNC_GAP_MS, type OpenedPeerRegistry, type PeerRegistryOptions } from './registry.ts';
export type { PeerSyncResult } from './sync.ts';
export { verifyPeerMetadata, documentFingerprint, type PeerTrust, type VerifiedPeerMetadata } from './verify.ts';
export { parseMetadataAggregate, type UnverifiedAggregate } from './aggregate.ts';
export { fetchMetadata, MAX_REDIRECTS, type MetadataTransport, type TransportRequest, type TransportResponse, type FetchPolicy } from './fetch.ts';
export { createHttpTransport, type HttpTransportOptions } from './http-transport.ts';
export { MetadataRefusal, PEER_REASONS, type MetadataReason, type PeerReason, type RefusalStage } from './errors.ts';
export { peersReadinessCheck, statusJson } from './readiness.ts';
export { addPeer, removePeer, PeerAdminError, PEER_ADMIN_CODES, type AddPeerRequest, type AdminDeps } from './admin.ts';
export { checkedCertificateFrom, type CheckedCertificate } from './certificates.ts';
