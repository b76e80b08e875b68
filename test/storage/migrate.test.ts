/**
 * Schema and migrations (DESIGN §5): one schema on both engines, applied by `pont db migrate`
 * exactly once even when several instances start together.
 */
import { expect, it } from 'vitest';
import {
  MIGRATIONS,
  StorageError,
  assertMigrated,
  migrate,
  migrationStatus,
  type Migration,
} from '../../src/storage/index.ts';
import { describeEngines } from './engines.ts';

const ALL = MIGRATIONS.map((m) => m.id);

async function tables(db: { query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }> }) {
  const { rows } = await db.query(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

describeEngines('storage migrations', (engine) => {
  it('applies every migration to a new database, then nothing: migrate is idempotent', async () => {
    const { db } = await engine.open({ migrated: false });
    expect(await migrationStatus(db)).toEqual({ applied: [], pending: ALL, unknown: [], changed: [] });
    await expect(assertMigrated(db)).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH' });

    expect(await migrate(db)).toEqual({ applied: ALL });
    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await migrationStatus(db)).toEqual({ applied: ALL, pending: [], unknown: [], changed: [] });
    await assertMigrated(db);
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['pending_flows', 'schema_migrations', 'seen_message_ids', 'node_keys', 'audit_events', 'peers']),
    );
  });

  it('migrates once when two instances run migrate at the same moment (advisory lock)', async () => {
    const { db, another } = await engine.open({ migrated: false });
    const second = await another();
    const results = await Promise.all([migrate(db), migrate(second), migrate(db), migrate(second)]);
    const applied = results.map((r) => r.applied);
    expect(applied.filter((a) => a.length > 0)).toEqual([ALL]);
    expect(applied.flat()).toEqual(ALL);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]).toEqual({ n: ALL.length });
  });

  it('applies nothing when a migration fails: the batch rolls back as one', async () => {
    const { db } = await engine.open({ migrated: false });
    const broken: Migration = { id: '9999_broken', sql: 'CREATE TABLE broken (a int); SELECT * FROM no_such_table;' };
    const error = await migrate(db, [...MIGRATIONS, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', sqlState: '42P01' });
    expect((error as Error).message).toContain('9999_broken');
    expect(await tables(db)).toEqual([]);
    expect(await migrate(db)).toEqual({ applied: ALL });
  });

  it('refuses a database migrated by a newer version (unknown migration)', async () => {
    const { db } = await engine.open({ migrated: false });
    const later: Migration = { id: '9000_later', sql: 'CREATE TABLE later (a int);' };
    await migrate(db, [...MIGRATIONS, later]);
    expect((await migrationStatus(db)).unknown).toEqual(['9000_later']);
    await expect(migrate(db)).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH' });
    await expect(assertMigrated(db)).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH' });
  });

  it('refuses a released migration whose SQL was edited afterwards (checksum)', async () => {
    const { db } = await engine.open();
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect((await migrationStatus(db, edited)).changed).toEqual([MIGRATIONS[0]!.id]);
    await expect(migrate(db, edited)).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH' });
  });

  it('refuses a migration list out of order', async () => {
    const { db } = await engine.open({ migrated: false });
    const outOfOrder = [{ id: '0002_b', sql: 'SELECT 1' }, { id: '0001_a', sql: 'SELECT 1' }];
    await expect(migrate(db, outOfOrder)).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
