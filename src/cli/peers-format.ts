/** Text output of `pont peers`: one block per peer, dates in ISO 8601 UTC. */
import type { PeerDescriptor, PeerRefreshResult, PeerStatus } from '../metadata/peers/types.ts';

const STATES: Record<PeerStatus['state'], string> = {
  ok: 'ok',
  'serving-last-good-copy': 'last refresh refused; serving the last good copy until its validUntil',
  expired: 'EXPIRED: the last good copy is past its validUntil; nothing is served for this peer',
  unavailable: 'UNAVAILABLE: no verified metadata yet',
};

const iso = (d: Date | undefined) => d?.toISOString() ?? '—';

export function describeStatus(peers: PeerStatus[]): string {
  if (peers.length === 0) return 'no peers: add one with `pont peers add` or in the configuration (peers.list)';
  return peers.map(describeOne).join('\n\n');
}

function describeOne(p: PeerStatus): string {
  const source = p.source === 'config' ? 'configuration' : 'pont peers add';
  const lines = [
    `${p.entityId}  ${p.country} ${p.role}  (from ${source})`,
    `  state:        ${STATES[p.state]}`,
    `  last fetch:   ${iso(p.lastFetchAt)}${p.lastFetchAt ? (p.lastError && p.lastError.at >= p.lastFetchAt ? ' (refused)' : ' (ok)') : ''}`,
    `  last success: ${iso(p.lastSuccessAt)}`,
    `  last error:   ${p.lastError ? `${iso(p.lastError.at)} ${p.lastError.reason}: ${p.lastError.detail}` : '—'}`,
    `  validUntil:   ${iso(p.validUntil)}`,
    `  key expiry:   ${iso(p.keyExpiry)}`,
    `  fingerprint:  ${p.fingerprint ?? '—'}`,
    ...p.certificates.map((c) => `  ${`${c.use}:`.padEnd(13)} ${c.subject} (until ${iso(c.notAfter)}, SHA-256 ${c.fingerprint})`),
    ...p.warnings.map((w) => `  WARNING:      ${w}`),
  ];
  return lines.join('\n');
}

export function describeRefresh(results: PeerRefreshResult[], dryRun: boolean): string {
  if (results.length === 0) return 'no peers to refresh';
  return results
    .map((r) => {
      if (r.outcome === 'refused') return `refused   ${r.entityId}: ${r.reason}: ${r.detail}`;
      const what = dryRun ? 'verified ' : r.outcome === 'updated' ? 'updated  ' : 'unchanged';
      return `${what} ${r.entityId}: valid until ${iso(r.validUntil)} (SHA-256 ${r.fingerprint})${dryRun ? ' (dry run: nothing stored)' : ''}`;
    })
    .join('\n');
}

export function describeAdded(d: PeerDescriptor, dryRun: boolean): string {
  const head = dryRun ? `would add ${d.entityId} (dry run: metadata verified, nothing written)` : `added ${d.entityId}`;
  const endpoints = d.role === 'proxy-service' ? `${d.ssoServices.length} SSO endpoints` : `${d.assertionConsumerServices.length} ACS endpoints`;
  return [
    head,
    `  ${d.country} ${d.role}, valid until ${iso(d.validUntil)}, SHA-256 ${d.fingerprint}`,
    `  ${d.signingCertificates.length} signing and ${d.encryptionCertificates.length} encryption certificates, ${endpoints}`,
  ].join('\n');
}
