/**
 * `pont db migrate`: applies the pending migrations in order, in one transaction, under a
 * PostgreSQL advisory lock so that instances starting together migrate exactly once (the
 * others wait, then find nothing to do). On PGlite the lock is taken the same way; there one
 * process owns the database and its transactions are serialised anyway.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from './database.ts';
import { StorageError } from './errors.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

/** pg_advisory_xact_lock(classid, objid): 0x506f6e74 is "Pont", 1 the migration lock. */
const LOCK_SQL = 'SELECT pg_advisory_xact_lock(1349480052, 1)';

const CREATE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id          text        PRIMARY KEY,
  checksum    text        NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

export interface MigrationStatus {
  /** Applied, in order. */
  applied: string[];
  /** Known to this version and not applied yet, in order. */
  pending: string[];
  /** Applied but unknown to this version: a newer version migrated this database. */
  unknown: string[];
  /** Applied, but their SQL differs from this version's (a released migration was edited). */
  changed: string[];
}

const checksum = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex');

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (!/^\d{4}_[a-z0-9_]+$/.test(m.id) || (previous && previous.id >= m.id)) {
      throw new StorageError('CONFIG', `migration ids must be NNNN_name in increasing order (at ${m.id})`);
    }
  });
}

async function appliedRows(q: Queryable): Promise<{ id: string; checksum: string }[]> {
  const { rows } = await q.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!rows[0]?.t) return [];
  const applied = await q.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations ORDER BY id');
  return applied.rows;
}

function compare(applied: { id: string; checksum: string }[], migrations: readonly Migration[]): MigrationStatus {
  const known = new Map(migrations.map((m) => [m.id, checksum(m)]));
  const done = new Set(applied.map((r) => r.id));
  return {
    applied: applied.map((r) => r.id),
    pending: migrations.filter((m) => !done.has(m.id)).map((m) => m.id),
    unknown: applied.filter((r) => !known.has(r.id)).map((r) => r.id),
    changed: applied.filter((r) => known.has(r.id) && known.get(r.id) !== r.checksum).map((r) => r.id),
  };
}

function refuseMismatch(status: MigrationStatus): void {
  if (status.unknown.length > 0) {
    throw new StorageError(
      'SCHEMA_MISMATCH',
      `the database has migrations this version does not know (${status.unknown.join(', ')}): a newer version migrated it`,
    );
  }
  if (status.changed.length > 0) {
    throw new StorageError('SCHEMA_MISMATCH', `applied migrations differ from this version's (${status.changed.join(', ')})`);
  }
}

export async function migrationStatus(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationStatus> {
  checkList(migrations);
  return compare(await appliedRows(db), migrations);
}

async function applyOne(tx: Queryable, m: Migration): Promise<void> {
  try {
    await tx.exec(m.sql);
    await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [m.id, checksum(m)]);
  } catch (err) {
    const reason = err instanceof StorageError ? err.message : 'unexpected failure';
    throw new StorageError('MIGRATION_FAILED', `migration ${m.id} failed, nothing was applied: ${reason}`,
      err instanceof StorageError ? err.sqlState : undefined);
  }
}

/** Applies what is pending; `applied` lists what this call applied (empty when up to date). */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<{ applied: string[] }> {
  checkList(migrations);
  return db.transaction(async (tx) => {
    await tx.query(LOCK_SQL);
    await tx.exec(CREATE_TABLE_SQL);
    const status = compare(await appliedRows(tx), migrations);
    refuseMismatch(status);
    for (const id of status.pending) {
      await applyOne(tx, migrations.find((m) => m.id === id)!);
    }
    return { applied: status.pending };
  });
}

/** For start-up: throws SCHEMA_MISMATCH unless every migration of this version is applied. */
export async function assertMigrated(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  const status = await migrationStatus(db, migrations);
  refuseMismatch(status);
  if (status.pending.length > 0) {
    throw new StorageError('SCHEMA_MISMATCH', `the database needs migrating (${status.pending.join(', ')}): run \`pont db migrate\``);
  }
}
