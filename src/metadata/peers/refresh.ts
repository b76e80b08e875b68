/**
 * One refresh of one peer: fetch (fetch.ts), verify (verify.ts), and only then, in one
 * transaction, store the version, put it in service and write the audit event when keys or
 * endpoints changed. A refusal changes nothing but the status's last fetch / last error: the
 * previous good copy keeps serving until its own validUntil. Every refusal is one log line
 * with its reason.
 */
import type { AuditLog } from '../../audit/index.ts';
import type { Clock } from '../../storage/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { metadataChanges } from './changes.ts';
import { asRefusal, MetadataRefusal } from './errors.ts';
import { fetchMetadata, type FetchPolicy, type MetadataTransport } from './fetch.ts';
import type { PeerEntry } from './status.ts';
import type { PeerStore } from './store.ts';
import { verifyPeerMetadata, type VerifiedPeerMetadata } from './verify.ts';
import type { PeerRefreshResult } from './types.ts';

export type PeerAudit = Pick<AuditLog, 'recordIn'>;

export interface RefreshContext {
  store: PeerStore;
  audit: PeerAudit;
  logger: Logger;
  transport: MetadataTransport;
  clock: Clock;
  fetchPolicy: FetchPolicy;
  /** Fetch and verify only: nothing is stored, audited or put in service (`--dry-run`). */
  dryRun?: boolean;
}

/** Fetch + verify, nothing else: the checks `pont peers add` runs before adding a peer. */
export async function fetchAndVerify(entry: PeerEntry, ctx: RefreshContext): Promise<VerifiedPeerMetadata & { bytes: Buffer }> {
  const { bytes } = await fetchMetadata(entry.def.entityId, ctx.fetchPolicy, ctx.transport);
  const verified = await verifyPeerMetadata(bytes, entry.def, ctx.clock());
  return { ...verified, bytes };
}

export async function refreshPeer(entry: PeerEntry, ctx: RefreshContext): Promise<PeerRefreshResult> {
  const { entityId } = entry.def;
  const at = ctx.clock();
  let verified: VerifiedPeerMetadata & { bytes: Buffer };
  try {
    verified = await fetchAndVerify(entry, ctx);
  } catch (err) {
    return refused(entry, asRefusal(err), at, ctx);
  }
  const { descriptor } = verified;
  const result: PeerRefreshResult = {
    entityId,
    outcome: descriptor.fingerprint === entry.current?.descriptor.fingerprint ? 'unchanged' : 'updated',
    fingerprint: descriptor.fingerprint,
    validUntil: descriptor.validUntil,
  };
  if (ctx.dryRun) return result;
  const changes = metadataChanges(entry.current?.descriptor, descriptor);
  try {
    await ctx.store.transaction(async (tx) => {
      await ctx.store.putInService(tx, { entityId, fingerprint: descriptor.fingerprint, xml: verified.bytes, validUntil: descriptor.validUntil, fetchedAt: at });
      if (changes) {
        await ctx.audit.recordIn(tx, 'peer.metadata.changed', {
          entityId, country: entry.def.country, role: entry.def.role,
          fingerprint: descriptor.fingerprint, previousFingerprint: entry.current?.descriptor.fingerprint ?? null,
          validUntil: descriptor.validUntil, changes,
        });
      }
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return refused(entry, new MetadataRefusal('STORAGE', detail.slice(0, 300), 'storage'), at, ctx);
  }
  entry.current = verified;
  entry.currentFetchedAt = at;
  entry.status = { entityId, lastFetchAt: at, lastSuccessAt: at, currentFingerprint: descriptor.fingerprint };
  delete entry.storedProblem;
  ctx.logger.info(
    { event: 'peer.metadata.accepted', entityId, country: entry.def.country, role: entry.def.role, fingerprint: descriptor.fingerprint,
      validUntil: descriptor.validUntil.toISOString(), trust: verified.chain.length === 0 ? 'direct' : `chain of ${verified.chain.length}`, changed: !!changes },
    `accepted metadata of ${entityId} (${entry.def.country} ${entry.def.role}), valid until ${descriptor.validUntil.toISOString()}${changes ? ', keys or endpoints changed' : ''}`,
  );
  return result;
}

/** A fetched document that failed a check is audited; a peer that could not be reached is only logged. */
const AUDITED_STAGES: ReadonlySet<string> = new Set(['parse', 'signature', 'content']);

async function refused(entry: PeerEntry, refusal: MetadataRefusal, at: Date, ctx: RefreshContext): Promise<PeerRefreshResult> {
  const { entityId, country, role } = entry.def;
  const serving = entry.current && entry.current.descriptor.validUntil > at ? entry.current.descriptor.validUntil : undefined;
  ctx.logger.warn(
    { event: 'peer.metadata.refused', entityId, country, role, stage: refusal.stage, reason: refusal.reason, detail: refusal.detail,
      servingUntil: serving?.toISOString() ?? null },
    `refused metadata of ${entityId} (${country} ${role}): ${refusal.reason}: ${refusal.detail}; ` +
      (serving ? `the previous good copy serves until ${serving.toISOString()}` : 'no verified copy in service'),
  );
  const result: PeerRefreshResult = { entityId, outcome: 'refused', reason: refusal.reason, detail: refusal.detail };
  if (ctx.dryRun) return result;
  const lastError = { reason: refusal.reason, detail: refusal.detail, at };
  try {
    await ctx.store.transaction(async (tx) => {
      await ctx.store.recordFailure(tx, entityId, lastError);
      if (AUDITED_STAGES.has(refusal.stage)) {
        await ctx.audit.recordIn(tx, 'peer.metadata.refused', { entityId, country, role, reason: refusal.reason });
      }
    });
    entry.status = { ...entry.status, lastFetchAt: at, lastError };
  } catch (err) {
    ctx.logger.error({ event: 'peer.status.unrecorded', entityId, error: err instanceof Error ? err.message : String(err) },
      `could not record the refusal of ${entityId} in the database`);
  }
  return result;
}
