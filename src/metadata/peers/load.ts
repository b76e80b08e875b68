/**
 * Opening the registry: the peers of the configuration and of the database, each with its
 * status and its stored copy, which is put back in service only after it verifies again (same
 * checks as a fetched copy, today's anchors and clock). When asked, the configuration's peers
 * are recorded in the database with a `peer.added` / `peer.removed` audit event.
 */
import type { Config } from '../../config/schema.ts';
import type { Clock } from '../../storage/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { configuredPeers, storedPeer, type PeerDefinition } from './definitions.ts';
import { MetadataRefusal } from './errors.ts';
import type { PeerAudit } from './refresh.ts';
import type { PeerEntry } from './status.ts';
import type { PeerStore, StoredPeer, StoredStatus } from './store.ts';
import { verifyPeerMetadata } from './verify.ts';

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

/**
 * Follows `pont peers add|remove` run while the node is running (another process, maybe
 * another instance): peers added since are loaded (their stored copy verified again), peers
 * removed since are dropped. Configured peers are not touched.
 */
export async function syncAddedPeers(entries: Map<string, PeerEntry>, options: LoadOptions): Promise<boolean> {
  const added = (await options.store.peers()).filter((r) => r.source === 'cli');
  let changed = false;
  for (const [id, entry] of entries) {
    if (entry.def.source === 'cli' && !added.some((r) => r.entityId === id)) {
      entries.delete(id);
      changed = true;
      options.logger.info({ event: 'peer.unloaded', entityId: id }, `peer ${id} was removed: no longer served`);
    }
  }
  const fresh = added.filter((r) => !entries.has(r.entityId));
  if (fresh.length === 0) return changed;
  const statuses = await options.store.statuses();
  for (const row of fresh) {
    entries.set(row.entityId, await entryFor(storedPeer(options.config, row), statuses.get(row.entityId), options));
    options.logger.info({ event: 'peer.loaded', entityId: row.entityId }, `peer ${row.entityId} (${row.country} ${row.role}) was added: now served`);
  }
  return true;
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
  try {
    entry.current = await verifyPeerMetadata(version.xml, entry.def, clock());
  } catch (err) {
    if (!(err instanceof MetadataRefusal) && !(err instanceof XmlSecurityError)) throw err;
    entry.storedValidUntil = version.validUntil;
    entry.storedProblem = err.message;
    logger.warn(
      { event: 'peer.metadata.stored_refused', entityId: entry.def.entityId, reason: err.reason, detail: err.message },
      `stored metadata of ${entry.def.entityId} not put back in service: ${err.message}`,
    );
  }
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
