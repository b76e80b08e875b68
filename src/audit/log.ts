/**
 * The audit log: table audit_events, append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE) and hash-chained (chain.ts). Appends are serialised by a transaction-scoped
 * advisory lock, so instances sharing the database extend one chain and never fork it; the
 * serial has no gaps, so a removed row shows. `recordIn` appends inside the caller's
 * transaction: a key state change and its event commit or roll back together.
 */
import { systemClock, type Clock } from '../storage/clock.ts';
import type { Database, Queryable } from '../storage/database.ts';
import { GENESIS_HASH, chainHash } from './chain.ts';
import { AuditError } from './errors.ts';
import { isAuditEvent } from './events.ts';
import { checkActor, sanitiseDetails } from './guard.ts';

/** pg_advisory_xact_lock(classid, objid): 0x506f6e74 is "Pont", 3 the audit chain. */
const AUDIT_LOCK_SQL = 'SELECT pg_advisory_xact_lock(1349480052, 3)';
const COLUMNS = 'serial::text AS serial, at, event, actor, details, prev_hash, hash';
const BATCH = 500;

export const DEFAULT_ACTOR = 'system';

export interface AuditEvent {
  serial: number;
  at: Date;
  event: string;
  actor: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type ChainVerification =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

export interface AuditListOptions {
  /** Only events with a serial greater than this. */
  afterSerial?: number;
  /** At most this many (default 100, at most 1000), oldest first. */
  limit?: number;
  event?: string;
}

export interface AuditLog {
  /** Appends one hash-chained row in its own transaction; no personal data, no key material. */
  record(event: string, details: Record<string, unknown>, actor?: string): Promise<void>;
  /** Appends inside the caller's transaction `tx` and returns the row. */
  recordIn(tx: Queryable, event: string, details: Record<string, unknown>, actor?: string): Promise<AuditEvent>;
  /** Walks the whole chain: serials 1…n without gaps, each prev_hash and hash recomputed. */
  verifyChain(): Promise<ChainVerification>;
  list(options?: AuditListOptions): Promise<AuditEvent[]>;
}

interface AuditRow extends Record<string, unknown> {
  serial: string;
  at: Date | string;
  event: string;
  actor: string;
  details: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

const toEvent = (row: AuditRow): AuditEvent => ({
  serial: Number(row.serial),
  at: row.at instanceof Date ? row.at : new Date(row.at),
  event: row.event,
  actor: row.actor,
  details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export function createAuditLog(db: Database, clock: Clock = systemClock): AuditLog {
  const recordIn = async (tx: Queryable, event: string, details: Record<string, unknown>, actor = DEFAULT_ACTOR) => {
    if (!isAuditEvent(event)) throw new AuditError('UNKNOWN_EVENT', `unknown audit event "${event}" (see AUDIT_EVENTS)`);
    checkActor(actor);
    const clean = sanitiseDetails(details);
    await tx.query(AUDIT_LOCK_SQL);
    const { rows } = await tx.query<{ serial: string; hash: string }>(
      'SELECT serial::text AS serial, hash FROM audit_events ORDER BY audit_events.serial DESC LIMIT 1',
    );
    const serial = rows[0] ? Number(rows[0].serial) + 1 : 1;
    const prevHash = rows[0]?.hash ?? GENESIS_HASH;
    const at = new Date(clock().getTime());
    const hash = chainHash(prevHash, { serial, at, event, actor, details: clean });
    await tx.query(
      `INSERT INTO audit_events (serial, at, event, actor, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, ($5::text)::jsonb, $6, $7)`,
      [serial, at.toISOString(), event, actor, JSON.stringify(clean), prevHash, hash],
    );
    return { serial, at, event, actor, details: clean, prevHash, hash };
  };

  return {
    recordIn,
    async record(event, details, actor) {
      await db.transaction((tx) => recordIn(tx, event, details, actor));
    },
    verifyChain: () => verifyChain(db),
    async list(options = {}) {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
      const { rows } = await db.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_events WHERE serial > $1 AND ($2::text IS NULL OR event = $2)
         ORDER BY audit_events.serial LIMIT $3`,
        [options.afterSerial ?? 0, options.event ?? null, limit],
      );
      return rows.map(toEvent);
    },
  };
}

async function verifyChain(db: Queryable): Promise<ChainVerification> {
  let expected = 1;
  let lastHash = GENESIS_HASH;
  for (;;) {
    const { rows } = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_events WHERE serial >= $1 ORDER BY audit_events.serial LIMIT $2`,
      [expected, BATCH],
    );
    for (const row of rows.map(toEvent)) {
      const broken = checkRow(row, expected, lastHash);
      if (broken) return { ok: false, count: expected - 1, brokenAt: row.serial, reason: broken };
      lastHash = row.hash;
      expected += 1;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, count: expected - 1, lastHash };
}

function checkRow(row: AuditEvent, expected: number, lastHash: string): string | undefined {
  if (row.serial !== expected) return `serial ${expected} is missing (next row is ${row.serial})`;
  if (row.prevHash !== lastHash) return `row ${row.serial} does not follow row ${expected - 1} (prev_hash differs)`;
  if (chainHash(lastHash, row) !== row.hash) return `row ${row.serial} was changed after it was written (hash differs)`;
  return undefined;
}
