/**
 * node_keys, the shared key states. Every change runs in a transaction that first takes the
 * key advisory lock, re-reads the states and only then decides; each move is a conditional
 * UPDATE (`… WHERE id = $1 AND state = $2`), so of two instances acting at once exactly one
 * moves a key and the other finds nothing left to do.
 */
import type { Queryable } from '../../storage/database.ts';
import { KeyLifecycleError } from './errors.ts';
import type { KeyRecord, KeyState, KeyUse } from './types.ts';

/** pg_advisory_xact_lock(classid, objid): 0x506f6e74 is "Pont", 2 the key states. */
const KEYS_LOCK_SQL = 'SELECT pg_advisory_xact_lock(1349480052, 2)';

const COLUMNS = `id, use, state, algorithm, key_file, certificate_pem, fingerprint, not_after, created_at,
  published_at, activated_at, retiring_at, retired_at`;

interface KeyRow extends Record<string, unknown> {
  id: string;
  use: KeyUse;
  state: KeyState;
  algorithm: string;
  key_file: string;
  certificate_pem: string;
  fingerprint: string;
  not_after: Date | string;
  created_at: Date | string;
  published_at: Date | string;
  activated_at: Date | string | null;
  retiring_at: Date | string | null;
  retired_at: Date | string | null;
}

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const optionalDate = (v: Date | string | null): Date | undefined => (v === null ? undefined : date(v));

function toRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    use: row.use,
    state: row.state,
    algorithm: row.algorithm,
    keyFile: row.key_file,
    certificatePem: row.certificate_pem,
    fingerprint: row.fingerprint,
    notAfter: date(row.not_after),
    createdAt: date(row.created_at),
    publishedAt: date(row.published_at),
    activatedAt: optionalDate(row.activated_at),
    retiringAt: optionalDate(row.retiring_at),
    retiredAt: optionalDate(row.retired_at),
  };
}

/** Serialises key state changes across instances until the transaction ends. */
export async function lockKeyStates(tx: Queryable): Promise<void> {
  await tx.query(KEYS_LOCK_SQL);
}

/** Every key, oldest first. */
export async function readKeyRecords(q: Queryable): Promise<KeyRecord[]> {
  const { rows } = await q.query<KeyRow>(`SELECT ${COLUMNS} FROM node_keys ORDER BY created_at, id`);
  return rows.map(toRecord);
}

export async function insertKeyRecord(q: Queryable, r: KeyRecord): Promise<void> {
  await q.query(
    `INSERT INTO node_keys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      r.id, r.use, r.state, r.algorithm, r.keyFile, r.certificatePem, r.fingerprint,
      r.notAfter.toISOString(), r.createdAt.toISOString(), r.publishedAt.toISOString(),
      r.activatedAt?.toISOString() ?? null, r.retiringAt?.toISOString() ?? null, r.retiredAt?.toISOString() ?? null,
    ],
  );
}

/** The date column a state sets when a key enters it. */
const ENTERED_AT: Record<Exclude<KeyState, 'next'>, string> = {
  active: 'activated_at',
  retiring: 'retiring_at',
  retired: 'retired_at',
};

/** Moves `id` from `from` to `to` at `at`; CONFLICT when the key is no longer in `from`. */
export async function moveKey(q: Queryable, id: string, from: KeyState, to: Exclude<KeyState, 'next'>, at: Date): Promise<void> {
  const { rowCount } = await q.query(
    `UPDATE node_keys SET state = $3, ${ENTERED_AT[to]} = $4 WHERE id = $1 AND state = $2`,
    [id, from, to, at.toISOString()],
  );
  if (rowCount !== 1) {
    throw new KeyLifecycleError('CONFLICT', `key ${id} is no longer ${from}: another command or instance changed it; list the keys and try again`);
  }
}
