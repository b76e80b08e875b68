/**
 * The `peers` entry of /readyz: per peer its state, last fetch, validUntil, key expiry and
 * last error, and the certificate warnings. A peer without valid metadata does not make the
 * node unready (the other peers still work); it shows here and in its refusal log lines.
 */
import type { CheckResult, ReadinessCheck } from '../../server/readiness.ts';
import type { PeerRegistry, PeerStatus } from './types.ts';

export function peersReadinessCheck(registry: Pick<PeerRegistry, 'status'>): ReadinessCheck {
  return {
    name: 'peers',
    async run(): Promise<CheckResult> {
      const peers = registry.status();
      const inService = peers.filter((p) => p.state === 'ok' || p.state === 'serving-last-good-copy').length;
      return {
        ok: true,
        detail: `${peers.length} peers, ${inService} with verified metadata in service`,
        peers: peers.map(statusJson),
      };
    },
  };
}

/** PeerStatus as JSON: dates as ISO strings, certificates by subject, fingerprint and expiry. */
export function statusJson(p: PeerStatus): Record<string, unknown> {
  const iso = (d: Date | undefined) => d?.toISOString() ?? null;
  return {
    entityId: p.entityId,
    country: p.country,
    role: p.role,
    source: p.source,
    state: p.state,
    lastFetchAt: iso(p.lastFetchAt),
    lastSuccessAt: iso(p.lastSuccessAt),
    lastError: p.lastError ? { reason: p.lastError.reason, detail: p.lastError.detail, at: p.lastError.at.toISOString() } : null,
    validUntil: iso(p.validUntil),
    keyExpiry: iso(p.keyExpiry),
    fingerprint: p.fingerprint ?? null,
    certificates: p.certificates.map((c) => ({ use: c.use, subject: c.subject, fingerprint: c.fingerprint, notAfter: c.notAfter.toISOString() })),
    warnings: p.warnings,
  };
}
