/**
 * Pending flows: the state of a login between its two legs (e.g. the AuthnRequest facts while
 * the citizen is at FranceConnect), behind an opaque random id that travels in a cookie. Any
 * instance can read a flow another created. An expired flow is absent; `consume` hands a flow
 * out once, atomically, even when two requests race with the same id.
 *
 * The state is stored as JSON and read back as `unknown`: the caller validates its shape.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './database.ts';
import { StorageError } from './errors.ts';

export interface PendingFlow {
  id: string;
  kind: string;
  state: unknown;
  createdAt: Date;
  expiresAt: Date;
}

export interface FlowStoreOptions {
  clock?: Clock;
  /** Largest accepted state, as UTF-8 JSON (default 64 KiB). */
  maxStateBytes?: number;
}

interface FlowRow extends Record<string, unknown> {
  id: string;
  kind: string;
  state: unknown;
  created_at: Date;
  expires_at: Date;
}

const COLUMNS = 'id, kind, state, created_at, expires_at';
/** 32 random bytes, base64url: the only shape of id we ever hand out. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const KIND_SHAPE = /^[a-z][a-z0-9_.-]{0,63}$/;
/** A sanity bound, far above any login (DESIGN §5: 30 minutes at most). */
export const MAX_FLOW_TTL_MS = 24 * 60 * 60_000;

const toFlow = (row: FlowRow): PendingFlow => ({
  id: row.id,
  kind: row.kind,
  state: row.state,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

function checkKind(kind: string): void {
  if (!KIND_SHAPE.test(kind)) {
    throw new StorageError('INVALID_ARGUMENT', 'a flow kind is a short lower-case name (e.g. "proxy-service")');
  }
}

export class FlowStore {
  private readonly clock: Clock;
  private readonly maxStateBytes: number;

  constructor(
    private readonly db: Database,
    options: FlowStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxStateBytes = options.maxStateBytes ?? 64 * 1024;
  }

  /** Stores a new flow that expires `ttlMs` from now, under a fresh 256-bit random id. */
  async create(kind: string, state: unknown, ttlMs: number): Promise<PendingFlow> {
    checkKind(kind);
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_FLOW_TTL_MS) {
      throw new StorageError('INVALID_ARGUMENT', `a flow lifetime is a positive number of milliseconds, at most ${MAX_FLOW_TTL_MS}`);
    }
    const json = this.serialise(state);
    const now = this.clock();
    const { rows } = await this.db.query<FlowRow>(
      `INSERT INTO pending_flows (id, kind, state, created_at, expires_at)
       VALUES ($1, $2, ($3::text)::jsonb, $4, $5) RETURNING ${COLUMNS}`,
      [randomBytes(32).toString('base64url'), kind, json, now, new Date(now.getTime() + ttlMs)],
    );
    return toFlow(rows[0]!);
  }

  /** The flow with this id and kind, unless it expired, was consumed or never existed. */
  async get(id: string, kind: string): Promise<PendingFlow | undefined> {
    checkKind(kind);
    if (!ID_SHAPE.test(id)) return undefined;
    const { rows } = await this.db.query<FlowRow>(
      `SELECT ${COLUMNS} FROM pending_flows WHERE id = $1 AND kind = $2 AND expires_at > $3`,
      [id, kind, this.clock()],
    );
    return rows[0] && toFlow(rows[0]);
  }

  /** Replaces the state of a live flow (its expiry is kept); false when there is no such flow. */
  async update(id: string, kind: string, state: unknown): Promise<boolean> {
    checkKind(kind);
    if (!ID_SHAPE.test(id)) return false;
    const { rowCount } = await this.db.query(
      `UPDATE pending_flows SET state = ($3::text)::jsonb WHERE id = $1 AND kind = $2 AND expires_at > $4`,
      [id, kind, this.serialise(state), this.clock()],
    );
    return rowCount === 1;
  }

  /**
   * Removes the flow and returns it, in one statement: of several concurrent calls with the
   * same id, exactly one gets the flow. Expired flows are not returned.
   */
  async consume(id: string, kind: string): Promise<PendingFlow | undefined> {
    checkKind(kind);
    if (!ID_SHAPE.test(id)) return undefined;
    const { rows } = await this.db.query<FlowRow>(
      `DELETE FROM pending_flows WHERE id = $1 AND kind = $2 AND expires_at > $3 RETURNING ${COLUMNS}`,
      [id, kind, this.clock()],
    );
    return rows[0] && toFlow(rows[0]);
  }

  /** Removes the flow whatever its kind or expiry (cancel); false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!ID_SHAPE.test(id)) return false;
    const { rowCount } = await this.db.query('DELETE FROM pending_flows WHERE id = $1', [id]);
    return rowCount === 1;
  }

  private serialise(state: unknown): string {
    let json: string | undefined;
    try {
      json = JSON.stringify(state);
    } catch {
      json = undefined; // cycles, BigInt: refused just below
    }
    if (json === undefined) throw new StorageError('INVALID_ARGUMENT', 'a flow state must be serialisable as JSON');
    if (Buffer.byteLength(json, 'utf8') > this.maxStateBytes) {
      throw new StorageError('INVALID_ARGUMENT', `a flow state is limited to ${this.maxStateBytes} bytes of JSON`);
    }
    return json;
  }
}
