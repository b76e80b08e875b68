/**
 * Following the database that every instance shares (DESIGN: stateless instances behind a load
 * balancer). A sync reads the peers and their status rows, and:
 *  - loads the peers added with `pont peers add` since (their stored copy verified again) and
 *    drops those removed with `pont peers remove`; configured peers are not touched;
 *  - puts in service a version that another instance fetched, verified and stored after the copy
 *    this instance serves (its status names another fingerprint, with a later fetch time).
 *
 * The database is inside our trust boundary (as node_keys), yet a stored version is verified
 * again before it serves: trust anchors, signature, validUntil, role and keys, and its bytes
 * against the SHA-256 they are stored under. It costs one signature check per new version, and
 * a row written behind the node's back serves nothing. A refused stored version is logged once
 * (one warn line) and the previous copy keeps serving.
 *
 * A sync is planned first (database reads and verifications, nothing changed), then applied in
 * one synchronous step: a failure anywhere while planning leaves the previous view in service.
 */
import { checkPeerUrls, storedPeer, type PeerDefinition } from './definitions.ts';
import type { MetadataRefusal } from './errors.ts';
import { checkStoredVersion, logStoredRefusal, type LoadOptions } from './load.ts';
import type { PeerEntry } from './status.ts';
import type { StoredStatus } from './store.ts';
import type { VerifiedPeerMetadata } from './verify.ts';

/** What one sync changed in this instance's view (entityIDs). */
export interface PeerSyncResult {
  /** Peers added with `pont peers add` now known here. */
  added: string[];
  /** Peers removed with `pont peers remove`: no longer served here. */
  removed: string[];
  /** Peers known here before whose version stored by another instance now serves here. */
  adopted: string[];
  /** Peers whose stored version did not verify here: the previous copy (if any) keeps serving. */
  refused: string[];
  /** Why the sync failed (nothing was changed); absent when it succeeded. */
  failed?: string;
}

interface Adoption {
  entry: PeerEntry;
  /** Fingerprint in service when planned: applied only if it is still the one. */
  expected: string | undefined;
  verified: VerifiedPeerMetadata;
  status: StoredStatus;
}

interface StoredRefusal {
  entry: PeerEntry;
  fingerprint: string;
  validUntil: Date;
  refusal: MetadataRefusal;
}

export interface SyncPlan {
  removed: string[];
  added: PeerEntry[];
  adoptions: Adoption[];
  refusals: StoredRefusal[];
  /** The peer definitions after the sync (for the fetch policy's allowed hosts). */
  definitions: PeerDefinition[];
}

/** Reads and verifies; changes nothing. Throws when the database cannot be read or a stored peer is unusable. */
export async function planSync(entries: ReadonlyMap<string, PeerEntry>, options: LoadOptions): Promise<SyncPlan> {
  const rows = (await options.store.peers()).filter((r) => r.source === 'cli');
  const statuses = await options.store.statuses();
  const listed = new Set(rows.map((r) => r.entityId));
  const removed = [...entries.values()].filter((e) => e.def.source === 'cli' && !listed.has(e.def.entityId)).map((e) => e.def.entityId);
  const added: PeerEntry[] = rows
    .filter((r) => !entries.has(r.entityId))
    .map((r) => ({ def: storedPeer(options.config, r), status: statuses.get(r.entityId) ?? { entityId: r.entityId } }));
  const kept = [...entries.values()].filter((e) => !removed.includes(e.def.entityId));
  const definitions = [...kept, ...added].map((e) => e.def);
  checkPeerUrls(options.config, definitions);
  const plan: SyncPlan = { removed, added, adoptions: [], refusals: [], definitions };
  for (const entry of [...kept, ...added]) await planAdoption(entry, statuses.get(entry.def.entityId), plan, options);
  return plan;
}

/** A stored version is worth verifying when it is not the one served here and was fetched after it. */
function storedIsNewer(entry: PeerEntry, stored: StoredStatus | undefined): stored is StoredStatus & { currentFingerprint: string } {
  const fingerprint = stored?.currentFingerprint;
  if (!fingerprint || fingerprint === entry.current?.descriptor.fingerprint || fingerprint === entry.refusedFingerprint) return false;
  if (!entry.current || !entry.currentFetchedAt) return true;
  return stored.lastSuccessAt !== undefined && stored.lastSuccessAt > entry.currentFetchedAt;
}

async function planAdoption(entry: PeerEntry, stored: StoredStatus | undefined, plan: SyncPlan, { store, clock }: LoadOptions): Promise<void> {
  if (!storedIsNewer(entry, stored)) return;
  const version = await store.version(entry.def.entityId, stored.currentFingerprint);
  if (!version) return;
  const checked = await checkStoredVersion(entry.def, version, clock());
  const expected = entry.current?.descriptor.fingerprint;
  if ('verified' in checked) plan.adoptions.push({ entry, expected, verified: checked.verified, status: stored });
  else plan.refusals.push({ entry, fingerprint: version.fingerprint, validUntil: version.validUntil, refusal: checked.refusal });
}

/**
 * Applies a plan to the view, synchronously. An adoption whose entry changed meanwhile (this
 * instance's own refresh put another copy in service) is skipped: the next sync decides again.
 */
export function applySync(entries: Map<string, PeerEntry>, plan: SyncPlan, { logger }: Pick<LoadOptions, 'logger'>): PeerSyncResult {
  const result: PeerSyncResult = { added: [], removed: [], adopted: [], refused: [] };
  for (const id of plan.removed) {
    if (!entries.delete(id)) continue;
    result.removed.push(id);
    logger.info({ event: 'peer.unloaded', entityId: id }, `peer ${id} was removed: no longer served`);
  }
  for (const entry of plan.added) {
    const { entityId, country, role } = entry.def;
    if (entries.has(entityId)) continue;
    entries.set(entityId, entry);
    result.added.push(entityId);
    logger.info({ event: 'peer.loaded', entityId }, `peer ${entityId} (${country} ${role}) was added: now served`);
  }
  for (const { entry, expected, verified, status } of plan.adoptions) {
    if (entries.get(entry.def.entityId) !== entry || entry.current?.descriptor.fingerprint !== expected) continue;
    adopt(entry, verified, status);
    if (plan.added.includes(entry)) continue; // its stored copy: logged as loaded
    result.adopted.push(entry.def.entityId);
    const { fingerprint, validUntil } = verified.descriptor;
    logger.info(
      { event: 'peer.metadata.adopted', entityId: entry.def.entityId, fingerprint, previousFingerprint: expected ?? null, validUntil: validUntil.toISOString() },
      `metadata of ${entry.def.entityId} stored by another instance verified and in service, valid until ${validUntil.toISOString()}`,
    );
  }
  for (const { entry, fingerprint, validUntil, refusal } of plan.refusals) {
    if (entries.get(entry.def.entityId) !== entry) continue;
    entry.refusedFingerprint = fingerprint;
    entry.storedProblem = refusal.message;
    if (!entry.current) entry.storedValidUntil = validUntil;
    result.refused.push(entry.def.entityId);
    logStoredRefusal(logger, entry.def.entityId, refusal, entry.current ? 'sync; the previous copy keeps serving' : 'sync');
  }
  return result;
}

function adopt(entry: PeerEntry, verified: VerifiedPeerMetadata, status: StoredStatus): void {
  entry.current = verified;
  entry.currentFetchedAt = status.lastSuccessAt ?? entry.currentFetchedAt;
  entry.status = status;
  delete entry.refusedFingerprint;
  delete entry.storedProblem;
  delete entry.storedValidUntil;
}
