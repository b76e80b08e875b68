/**
 * The peers the registry knows: those of the configuration (peers.list, trust anchors read
 * from their files once, at start) and those added with `pont peers add` (trust anchors kept
 * in the database, so every instance trusts the same ones). A peer is identified by its
 * metadata URL, which is its entityID (R-MD-02).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyPolicyFor } from '../../config/crypto-policy.ts';
import { ConfigError } from '../../config/errors.ts';
import type { Config } from '../../config/schema.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { checkedCertificateFrom, type CheckedCertificate } from './certificates.ts';
import type { StoredPeer } from './store.ts';
import type { PeerTrust } from './verify.ts';
import type { PeerRole, PeerSource } from './types.ts';

export interface PeerDefinition extends PeerTrust {
  source: PeerSource;
  /** The anchors as PEM, as stored in the database. */
  anchorPems: string[];
}

/** Peers of peers.list; an unreadable or unusable trust anchor file is a configuration error. */
export function configuredPeers(config: Config): PeerDefinition[] {
  return config.peers.list.map((entry, i) => {
    const anchors = entry.trustAnchors.map((file, j) => readAnchor(file, `peers.list[${i}].trustAnchors[${j}]`));
    return definition(config, { entityId: entry.metadataUrl, country: entry.country, role: entry.role, source: 'config' }, anchors);
  });
}

/** A peer added with `pont peers add`, from its row. */
export function storedPeer(config: Config, row: StoredPeer): PeerDefinition {
  const anchors = row.trustAnchors.map((pem) => checkedCertificateFrom(pem));
  return definition(config, row, anchors);
}

export function definition(
  config: Config,
  peer: { entityId: string; country: string; role: PeerRole; source: PeerSource },
  anchors: CheckedCertificate[],
): PeerDefinition {
  return {
    entityId: peer.entityId,
    country: peer.country,
    role: peer.role,
    source: peer.source,
    anchors,
    anchorPems: anchors.map((a) => a.certificate.toString()),
    policy: verifyPolicyFor(config, peer.entityId),
  };
}

function readAnchor(file: string, path: string): CheckedCertificate {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([{ path, message: `cannot read trust anchor ${file} (${code})` }]);
  }
  try {
    return checkedCertificateFrom(bytes);
  } catch (err) {
    if (err instanceof XmlSecurityError) throw new ConfigError([{ path, message: `${file}: ${err.message}` }]);
    throw err;
  }
}

/** Production fetches over https only (R-MD-15): an http metadata URL is refused at start. */
export function checkPeerUrls(config: Config, peers: readonly PeerDefinition[]): void {
  if (config.environment !== 'production') return;
  const issues = peers
    .filter((p) => !p.entityId.startsWith('https://'))
    .map((p) => ({ path: p.source === 'config' ? 'peers.list' : 'peers (database)', message: `${p.entityId} must be an https URL in production` }));
  if (issues.length > 0) throw new ConfigError(issues);
}

/** `host` of every metadata URL, plus peers.fetch.allowedHosts: the only hosts ever fetched from. */
export function allowedHosts(config: Config, peers: readonly PeerDefinition[]): Set<string> {
  const hosts = new Set(config.peers.fetch.allowedHosts.map((h) => h.toLowerCase()));
  for (const p of peers) hosts.add(new URL(p.entityId).host.toLowerCase());
  return hosts;
}
