/**
 * The Database interface on both engines: parameters, transactions, and errors that name the
 * database but never a value (flow state and message IDs may carry personal data).
 */
import { expect, it } from 'vitest';
import { StorageError } from '../../src/storage/index.ts';
import { describeEngines } from './engines.ts';

const PERSONAL = 'Dupont-Jean-1970-01-01';

describeEngines('database', (engine) => {
  it('passes values as parameters, never as SQL text', async () => {
    const { db } = await engine.open({ migrated: false });
    const hostile = "x'); DROP TABLE t; --";
    const { rows, rowCount } = await db.query('SELECT $1::text AS v, $2::int AS n', [hostile, 7]);
    expect(rows).toEqual([{ v: hostile, n: 7 }]);
    expect(rowCount).toBe(1);
    await db.ping();
  });

  it('commits a transaction that resolves and rolls back one that throws, rethrowing its error', async () => {
    const { db } = await engine.open({ migrated: false });
    await db.exec('CREATE TABLE t (v text PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', ['kept']);
    });
    const own = new Error('the caller changed its mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['dropped']);
        throw own;
      }),
    ).rejects.toBe(own);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['dropped too']);
        await tx.query('INSERT INTO t VALUES ($1)', ['kept']);
      }),
    ).rejects.toMatchObject({ code: 'QUERY_FAILED', sqlState: '23505' });
    const { rows } = await db.query('SELECT v FROM t ORDER BY v');
    expect(rows).toEqual([{ v: 'kept' }]);
  });

  it('reports a refused statement by SQLSTATE without echoing any value', async () => {
    const { db } = await engine.open({ migrated: false });
    await db.exec('CREATE TABLE t (v text PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES ($1)', [PERSONAL]);
    const failures = await Promise.all([
      db.query('SELECT $1::int', [PERSONAL]).catch((e: unknown) => e),
      db.query('INSERT INTO t VALUES ($1)', [PERSONAL]).catch((e: unknown) => e),
      db.query('SELECT $1::date', [PERSONAL]).catch((e: unknown) => e),
    ]);
    expect(failures.map((e) => (e as StorageError).sqlState)).toEqual(['22P02', '23505', '22007']);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(StorageError);
      expect(failure).toMatchObject({ code: 'QUERY_FAILED' });
      expect(JSON.stringify({ ...(failure as object), message: (failure as Error).message })).not.toContain('Dupont');
      expect((failure as Error).cause).toBeUndefined();
    }
  });

  it('keeps the server message of a statement that names only identifiers', async () => {
    const { db } = await engine.open({ migrated: false });
    await expect(db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({
      code: 'QUERY_FAILED',
      sqlState: '42P01',
      message: expect.stringContaining('no_such_table'),
    });
  });

  it('answers CLOSED after close, and closes twice without error', async () => {
    const { db } = await engine.open({ migrated: false });
    await db.close();
    await db.close();
    await expect(db.ping()).rejects.toMatchObject({ name: 'StorageError', code: 'CLOSED' });
  });
});
