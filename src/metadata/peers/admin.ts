/**
 * `pont peers add` and `pont peers remove`. A peer is added only when its metadata, fetched
 * from the given URL now, passes every check with the given trust anchors: the peer row, the
 * verified version, its status and the audit events are then written in one transaction.
 * `dryRun` runs the same checks and writes nothing.
 */
import type { Config } from '../../config/schema.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { Database } from '../../storage/database.ts';
import type { Logger } from '../../util/logger.ts';
import type { CheckedCertificate } from './certificates.ts';
import { metadataChanges } from './changes.ts';
import { definition } from './definitions.ts';
import { refuseMetadata } from './errors.ts';
import type { MetadataTransport } from './fetch.ts';
import { createHttpTransport } from './http-transport.ts';
import { addedDetails } from './load.ts';
import { fetchAndVerify, type PeerAudit } from './refresh.ts';
import { fetchPolicyFor } from './registry.ts';
import { PeerStore } from './store.ts';
import type { PeerDescriptor, PeerRole } from './types.ts';

export const PEER_ADMIN_CODES = {
  ALREADY_REGISTERED: 'a peer with this metadata URL is already registered',
  CONFIGURED: 'the peer is defined in the configuration file: change it there',
  NOT_FOUND: 'no peer added with pont peers add has this entityID',
} as const;

export class PeerAdminError extends Error {
  override readonly name = 'PeerAdminError';
  constructor(
    readonly code: keyof typeof PEER_ADMIN_CODES,
    detail: string,
  ) {
    super(`${detail}: ${PEER_ADMIN_CODES[code]}`);
  }
}

export interface AdminDeps {
  db: Database;
  config: Config;
  audit: PeerAudit;
  logger: Logger;
  transport?: MetadataTransport;
  clock?: Clock;
}

export interface AddPeerRequest {
  country: string;
  role: PeerRole;
  metadataUrl: string;
  trustAnchors: CheckedCertificate[];
  dryRun?: boolean;
}

export async function addPeer(request: AddPeerRequest, deps: AdminDeps): Promise<PeerDescriptor> {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const store = new PeerStore(deps.db);
  const entityId = request.metadataUrl;
  if (config.environment === 'production' && !entityId.startsWith('https://')) {
    refuseMetadata('HTTPS_REQUIRED', `${entityId} is not https (production)`, 'fetch');
  }
  if (config.peers.list.some((p) => p.metadataUrl === entityId)) throw new PeerAdminError('CONFIGURED', entityId);
  if ((await store.peers()).some((p) => p.entityId === entityId)) throw new PeerAdminError('ALREADY_REGISTERED', entityId);
  const def = definition(config, { entityId, country: request.country, role: request.role, source: 'cli' }, request.trustAnchors);
  const verified = await fetchAndVerify({ def, status: { entityId } }, {
    store, audit: deps.audit, logger: deps.logger, clock,
    transport: deps.transport ?? createHttpTransport(),
    fetchPolicy: fetchPolicyFor(config, [def]),
  });
  if (request.dryRun) return verified.descriptor;
  const { descriptor } = verified;
  const at = clock();
  await store.transaction(async (tx) => {
    await store.insertPeer(tx, { entityId, country: def.country, role: def.role, source: 'cli', trustAnchors: def.anchorPems, addedAt: at });
    await store.putInService(tx, { entityId, fingerprint: descriptor.fingerprint, xml: verified.bytes, validUntil: descriptor.validUntil, fetchedAt: at });
    await deps.audit.recordIn(tx, 'peer.added', addedDetails(def), 'cli');
    await deps.audit.recordIn(tx, 'peer.metadata.changed', {
      entityId, country: def.country, role: def.role, fingerprint: descriptor.fingerprint, previousFingerprint: null,
      validUntil: descriptor.validUntil, changes: metadataChanges(undefined, descriptor) ?? {},
    }, 'cli');
  });
  deps.logger.info({ event: 'peer.added', entityId, source: 'cli' }, `peer ${entityId} (${def.country} ${def.role}) added`);
  return descriptor;
}

/** Removes a peer added with `pont peers add` (its versions stay as history). */
export async function removePeer(entityId: string, deps: AdminDeps, dryRun = false): Promise<{ country: string; role: PeerRole }> {
  const store = new PeerStore(deps.db);
  if (deps.config.peers.list.some((p) => p.metadataUrl === entityId)) throw new PeerAdminError('CONFIGURED', entityId);
  const row = (await store.peers()).find((p) => p.entityId === entityId && p.source === 'cli');
  if (!row) throw new PeerAdminError('NOT_FOUND', entityId);
  if (dryRun) return { country: row.country, role: row.role };
  await store.transaction(async (tx) => {
    await store.deletePeer(tx, entityId);
    await deps.audit.recordIn(tx, 'peer.removed', { country: row.country, role: row.role, metadataUrl: entityId }, 'cli');
  });
  deps.logger.info({ event: 'peer.removed', entityId, source: 'cli' }, `peer ${entityId} removed`);
  return { country: row.country, role: row.role };
}
