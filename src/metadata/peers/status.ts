/**
 * What operators see per peer (`pont peers list`, /readyz): last fetch, validUntil, key
 * expiry, last error, and warnings for certificates expired or expiring within
 * peers.expiryWarningDays (the peer's role certificates and our trust anchors for it).
 */
import type { PeerDefinition } from './definitions.ts';
import type { StoredStatus } from './store.ts';
import { summary } from './certificates.ts';
import type { VerifiedPeerMetadata } from './verify.ts';
import type { CertificateSummary, PeerRefreshResult, PeerState, PeerStatus } from './types.ts';

/** The registry's state for one peer. */
export interface PeerEntry {
  def: PeerDefinition;
  /** The verified copy in service (until its validUntil). */
  current?: VerifiedPeerMetadata;
  /** When the copy in service was fetched (by this instance, or by the one that stored it). */
  currentFetchedAt?: Date;
  /** A stored version this instance refused to serve: not verified again (nor logged) until another one is stored. */
  refusedFingerprint?: string;
  /** validUntil of the stored copy when it could not be put in service (at start or by a sync). */
  storedValidUntil?: Date;
  /** Why the stored copy could not be put in service (at start or by a sync). */
  storedProblem?: string;
  status: StoredStatus;
  inflight?: Promise<PeerRefreshResult>;
  lastUnknownKeyRefresh?: number;
}

const DAY_MS = 86_400_000;

export function peerStatus(entry: PeerEntry, now: Date, warningDays: number): PeerStatus {
  const { def, current, status } = entry;
  const certificates: CertificateSummary[] = [
    ...(current?.keys.signing.map((c) => summary(c, 'signing')) ?? []),
    ...(current?.keys.encryption.map((c) => summary(c, 'encryption')) ?? []),
    ...def.anchors.map((a) => summary(a, 'trust-anchor')),
  ];
  const roleCerts = certificates.filter((c) => c.use !== 'trust-anchor');
  const keyExpiry = roleCerts.length > 0 ? new Date(Math.min(...roleCerts.map((c) => c.notAfter.getTime()))) : undefined;
  const validUntil = current?.descriptor.validUntil ?? entry.storedValidUntil;
  const out: PeerStatus = {
    entityId: def.entityId,
    country: def.country,
    role: def.role,
    source: def.source,
    metadataUrl: def.entityId,
    state: stateOf(entry, now),
    certificates,
    warnings: warnings(entry, certificates, now, warningDays),
  };
  if (status.lastFetchAt) out.lastFetchAt = status.lastFetchAt;
  if (status.lastSuccessAt) out.lastSuccessAt = status.lastSuccessAt;
  if (status.lastError) out.lastError = status.lastError;
  if (validUntil) out.validUntil = validUntil;
  if (current) out.fingerprint = current.descriptor.fingerprint;
  if (keyExpiry) out.keyExpiry = keyExpiry;
  return out;
}

function stateOf(entry: PeerEntry, now: Date): PeerState {
  const { current, status } = entry;
  if (current && current.descriptor.validUntil > now) {
    const failedSince = status.lastError && (!status.lastSuccessAt || status.lastError.at >= status.lastSuccessAt);
    return failedSince ? 'serving-last-good-copy' : 'ok';
  }
  if (current) return 'expired';
  return entry.storedValidUntil && entry.storedValidUntil <= now ? 'expired' : 'unavailable';
}

function warnings(entry: PeerEntry, certs: CertificateSummary[], now: Date, warningDays: number): string[] {
  const out: string[] = [];
  const horizon = now.getTime() + warningDays * DAY_MS;
  for (const c of certs) {
    const what = c.use === 'trust-anchor' ? 'trust anchor' : `${c.use} certificate`;
    if (c.notAfter.getTime() <= now.getTime()) out.push(`${what} ${c.subject} expired ${c.notAfter.toISOString()}`);
    else if (c.notAfter.getTime() <= horizon) out.push(`${what} ${c.subject} expires ${c.notAfter.toISOString()} (within ${warningDays} days)`);
  }
  if (entry.storedProblem) out.push(`stored copy not in service: ${entry.storedProblem}`);
  const { policy } = entry.def;
  if (policy.minRsaBits < 3072 || policy.allowLegacyRsaSha256) out.push('legacy crypto allowed for this peer (crypto.legacyPeers)');
  return out;
}
