/**
 * Opening the registry: the peers of the configuration and of the database, each with its
 * status and its stored copy, which is put back in service only after it verifies again (same
 * checks as a fetched copy, today's anchors and clock, bytes equal to their SHA-256). When
 * asked, the configuration's peers are recorded in the database with a `peer.added` /
 * `peer.removed` audit event. Following the database afterwards: sync.ts.
 */
import type { Config } from '../../config/schema.ts';
import type { Clock } from '../../storage/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { configuredPeers, storedPeer, type PeerDefinition } from './definitions.ts';
import { asRefusal, MetadataRefusal, refuseMetadata } from './errors.ts';
import type { PeerAudit } from './refresh.ts';
import type { PeerEntry } from './status.ts';
import type { PeerStore, StoredPeer, StoredStatus, StoredVersion } from './store.ts';
import { verifyPeerMetadata, type VerifiedPeerMetadata } from './verify.ts';

export interface LoadOptions {
  store: PeerStore;
  config: Config;
  logger: Logger;
  clock: Clock;
  audit: PeerAudit;
  recordConfigPeers: boolean;
}

export async function loadPeers(options: LoadOptions): Promise<Map<string, PeerEntry>> {
  const { store, config, logger } = options;
  const configured = configuredPeers(config);
  if (options.recordConfigPeers) await recordConfiguration(options, configured, await store.peers());
  const defs = new Map<string, PeerDefinition>(configured.map((d) => [d.entityId, d]));
  for (const row of await store.peers()) {
    if (row.source !== 'cli') continue;
    if (defs.has(row.entityId)) {
      logger.warn({ event: 'peer.duplicate', entityId: row.entityId }, `peer ${row.entityId} is both configured and added with pont peers add: the configuration wins`);
      continue;
    }
    defs.set(row.entityId, storedPeer(config, row));
  }
  const statuses = await store.statuses();
  const entries = new Map<string, PeerEntry>();
  for (const def of defs.values()) entries.set(def.entityId, await entryFor(def, statuses.get(def.entityId), options));
  return entries;
}

async function entryFor(def: PeerDefinition, status: StoredStatus | undefined, options: LoadOptions): Promise<PeerEntry> {
  const entry: PeerEntry = { def, status: status ?? { entityId: def.entityId } };
  await restoreStoredCopy(entry, options);
  return entry;
}

async function restoreStoredCopy(entry: PeerEntry, { store, clock, logger }: LoadOptions): Promise<void> {
  const fingerprint = entry.status.currentFingerprint;
  if (!fingerprint) return;
  const version = await store.version(entry.def.entityId, fingerprint);
  if (!version) return;
  const checked = await checkStoredVersion(entry.def, version, clock());
  if ('verified' in checked) {
    entry.current = checked.verified;
    entry.currentFetchedAt = entry.status.lastSuccessAt ?? version.fetchedAt;
    return;
  }
  entry.refusedFingerprint = fingerprint;
  entry.storedValidUntil = version.validUntil;
  entry.storedProblem = checked.refusal.message;
  logStoredRefusal(logger, entry.def.entityId, checked.refusal, 'at start');
}

/**
 * A stored version verified again, as a fetched copy would be (today's anchors and clock), and
 * its bytes checked against the SHA-256 they are stored under. Anything that is not a refusal
 * (a bug, the database) propagates.
 */
export async function checkStoredVersion(
  trust: PeerDefinition,
  version: StoredVersion,
  now: Date,
): Promise<{ verified: VerifiedPeerMetadata } | { refusal: MetadataRefusal }> {
  try {
    const verified = await verifyPeerMetadata(version.xml, trust, now);
    if (verified.descriptor.fingerprint !== version.fingerprint) {
      refuseMetadata('STORED_MISMATCH', `stored under ${version.fingerprint.slice(0, 16)}…, bytes hash to ${verified.descriptor.fingerprint.slice(0, 16)}…`, 'storage');
    }
    return { verified };
  } catch (err) {
    if (err instanceof MetadataRefusal) return { refusal: err };
    if (err instanceof XmlSecurityError) return { refusal: asRefusal(err) };
    throw err;
  }
}

/** One warn line: a stored version this instance does not serve. */
export function logStoredRefusal(logger: Logger, entityId: string, refusal: MetadataRefusal, when: string): void {
  logger.warn(
    { event: 'peer.metadata.stored_refused', entityId, reason: refusal.reason, detail: refusal.detail, stage: refusal.stage },
    `stored metadata of ${entityId} not put in service (${when}): ${refusal.message}`,
  );
}

async function recordConfiguration(options: LoadOptions, configured: PeerDefinition[], rows: StoredPeer[]): Promise<void> {
  const { store, audit, clock, logger } = options;
  const byId = new Map(rows.map((r) => [r.entityId, r]));
  const wanted = new Set(configured.map((d) => d.entityId));
  for (const def of configured) {
    const row = byId.get(def.entityId);
    if (row && row.source === 'cli') continue;
    const facts = { entityId: def.entityId, country: def.country, role: def.role, trustAnchors: def.anchorPems };
    if (!row) {
      await store.transaction(async (tx) => {
        await store.insertPeer(tx, { ...facts, source: 'config', addedAt: clock() });
        await audit.recordIn(tx, 'peer.added', addedDetails(def), 'config');
      });
      logger.info({ event: 'peer.added', entityId: def.entityId, source: 'config' }, `peer ${def.entityId} (${def.country} ${def.role}) added from the configuration`);
    } else if (row.country !== def.country || row.role !== def.role || row.trustAnchors.join() !== def.anchorPems.join()) {
      await store.transaction((tx) => store.updatePeer(tx, facts));
    }
  }
  for (const row of rows) {
    if (row.source !== 'config' || wanted.has(row.entityId)) continue;
    await store.transaction(async (tx) => {
      await store.deletePeer(tx, row.entityId);
      await audit.recordIn(tx, 'peer.removed', { country: row.country, role: row.role, metadataUrl: row.entityId }, 'config');
    });
    logger.info({ event: 'peer.removed', entityId: row.entityId, source: 'config' }, `peer ${row.entityId} removed: no longer in the configuration`);
  }
}

export function addedDetails(def: PeerDefinition): Record<string, unknown> {
  return { country: def.country, role: def.role, metadataUrl: def.entityId, trustAnchors: def.anchors.map((a) => a.fingerprint) };
}
