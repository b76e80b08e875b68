/**
 * The registry's tables (migration 0003_peers): peer definitions, every verified metadata
 * version (exact bytes), and each peer's fetch status. Writes that put a version in service
 * happen in one transaction with their audit event, after every check passed.
 */
import type { Database, Queryable } from '../../storage/database.ts';
import type { PeerRole, PeerSource } from './types.ts';

export interface StoredPeer {
  entityId: string;
  country: string;
  role: PeerRole;
  source: PeerSource;
  /** PEM certificates. */
  trustAnchors: string[];
  addedAt: Date;
}

export interface StoredVersion {
  entityId: string;
  fingerprint: string;
  xml: Uint8Array;
  validUntil: Date;
  fetchedAt: Date;
}

export interface StoredStatus {
  entityId: string;
  lastFetchAt?: Date;
  lastSuccessAt?: Date;
  lastError?: { reason: string; detail: string; at: Date };
  currentFingerprint?: string;
}

type Row = Record<string, unknown>;
const date = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : v instanceof Date ? v : new Date(String(v)));
const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : Buffer.from(String(v).replace(/^\\x/, ''), 'hex'));
const json = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));

export class PeerStore {
  constructor(private readonly db: Database) {}

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async peers(q: Queryable = this.db): Promise<StoredPeer[]> {
    const { rows } = await q.query('SELECT entity_id, country, role, source, trust_anchors, added_at FROM peers ORDER BY entity_id');
    return rows.map((r: Row) => ({
      entityId: String(r.entity_id),
      country: String(r.country),
      role: r.role as PeerRole,
      source: r.source as PeerSource,
      trustAnchors: json(r.trust_anchors),
      addedAt: date(r.added_at)!,
    }));
  }

  async insertPeer(q: Queryable, peer: StoredPeer): Promise<void> {
    await q.query(
      `INSERT INTO peers (entity_id, country, role, source, trust_anchors, added_at) VALUES ($1, $2, $3, $4, ($5::text)::jsonb, $6)`,
      [peer.entityId, peer.country, peer.role, peer.source, JSON.stringify(peer.trustAnchors), peer.addedAt.toISOString()],
    );
  }

  async updatePeer(q: Queryable, peer: Omit<StoredPeer, 'addedAt' | 'source'>): Promise<void> {
    await q.query('UPDATE peers SET country = $2, role = $3, trust_anchors = ($4::text)::jsonb WHERE entity_id = $1', [
      peer.entityId, peer.country, peer.role, JSON.stringify(peer.trustAnchors),
    ]);
  }

  /** Removes the peer and its status; its verified versions stay as history. */
  async deletePeer(q: Queryable, entityId: string): Promise<boolean> {
    await q.query('DELETE FROM peer_status WHERE entity_id = $1', [entityId]);
    const { rowCount } = await q.query('DELETE FROM peers WHERE entity_id = $1', [entityId]);
    return rowCount > 0;
  }

  async statuses(q: Queryable = this.db): Promise<Map<string, StoredStatus>> {
    const { rows } = await q.query(
      `SELECT entity_id, last_fetch_at, last_success_at, last_error_reason, last_error_detail, last_error_at, current_fingerprint
       FROM peer_status`,
    );
    return new Map(rows.map((r: Row) => [String(r.entity_id), toStatus(r)]));
  }

  async version(entityId: string, fingerprint: string, q: Queryable = this.db): Promise<StoredVersion | undefined> {
    const { rows } = await q.query(
      'SELECT entity_id, fingerprint, xml, valid_until, fetched_at FROM peer_metadata_versions WHERE entity_id = $1 AND fingerprint = $2',
      [entityId, fingerprint],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { entityId, fingerprint, xml: bytes(r.xml), validUntil: date(r.valid_until)!, fetchedAt: date(r.fetched_at)! };
  }

  /** A verified version goes in (kept once per fingerprint) and becomes the one in service. */
  async putInService(q: Queryable, v: StoredVersion): Promise<void> {
    await q.query(
      `INSERT INTO peer_metadata_versions (entity_id, fingerprint, xml, valid_until, fetched_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (entity_id, fingerprint) DO NOTHING`,
      [v.entityId, v.fingerprint, v.xml, v.validUntil.toISOString(), v.fetchedAt.toISOString()],
    );
    await q.query(
      `INSERT INTO peer_status (entity_id, last_fetch_at, last_success_at, current_fingerprint) VALUES ($1, $2, $2, $3)
       ON CONFLICT (entity_id) DO UPDATE SET last_fetch_at = $2, last_success_at = $2, current_fingerprint = $3,
         last_error_reason = NULL, last_error_detail = NULL, last_error_at = NULL`,
      [v.entityId, v.fetchedAt.toISOString(), v.fingerprint],
    );
  }

  /** A refused fetch: only the status's last fetch and last error change; the copy in service stays. */
  async recordFailure(q: Queryable, entityId: string, error: { reason: string; detail: string; at: Date }): Promise<void> {
    await q.query(
      `INSERT INTO peer_status (entity_id, last_fetch_at, last_error_reason, last_error_detail, last_error_at) VALUES ($1, $2, $3, $4, $2)
       ON CONFLICT (entity_id) DO UPDATE SET last_fetch_at = $2, last_error_reason = $3, last_error_detail = $4, last_error_at = $2`,
      [entityId, error.at.toISOString(), error.reason, error.detail.slice(0, 500)],
    );
  }
}

function toStatus(r: Row): StoredStatus {
  const s: StoredStatus = { entityId: String(r.entity_id) };
  const lastFetchAt = date(r.last_fetch_at);
  const lastSuccessAt = date(r.last_success_at);
  const errorAt = date(r.last_error_at);
  if (lastFetchAt) s.lastFetchAt = lastFetchAt;
  if (lastSuccessAt) s.lastSuccessAt = lastSuccessAt;
  if (r.last_error_reason && errorAt) s.lastError = { reason: String(r.last_error_reason), detail: String(r.last_error_detail ?? ''), at: errorAt };
  if (r.current_fingerprint) s.currentFingerprint = String(r.current_fingerprint);
  return s;
}
