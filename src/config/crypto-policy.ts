/**
 * The per-peer signature policy (R-CRY-03/04): the profile's values for every peer, and a
 * legacy exception only for an entityID named in crypto.legacyPeers.
 */
import type { Config } from './schema.ts';

export interface PeerVerifyPolicy {
  minRsaBits: number;
  allowLegacyRsaSha256: boolean;
}

const LEGACY_MIN_RSA_BITS = 2048;

export function verifyPolicyFor(config: Config, entityId: string): PeerVerifyPolicy {
  const peer = config.crypto.legacyPeers.find((p) => p.entityId === entityId);
  const allow = new Set(peer?.allow ?? []);
  return {
    minRsaBits: allow.has('rsa-2048') ? LEGACY_MIN_RSA_BITS : config.crypto.minRsaBits,
    allowLegacyRsaSha256: allow.has('rsa-sha256'),
  };
}

/** One line per legacy exception: logged at start and listed in /readyz. */
export function legacyWarnings(config: Config): string[] {
  return config.crypto.legacyPeers.map(
    (p) => `legacy crypto allowed for peer ${p.entityId}: ${p.allow.join(', ')} (outside the eIDAS profile)`,
  );
}
