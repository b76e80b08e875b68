/**
 * DATABASE_URL handling: the password never appears in a message; an unreachable database is
 * reported as such (this is what /readyz sees through `ping()`). The database that does not
 * exist needs a PostgreSQL server: skipped with a notice without DATABASE_URL, failing under CI=true.
 */
import { describe, expect, it } from 'vitest';
import { StorageError, describePostgresUrl, openDatabase } from '../../src/storage/index.ts';
import { describeWithPostgres } from './engines.ts';

const SECRET = 's3cret-Passw0rd';

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect((error as Error).message).not.toContain(SECRET);
  return error as StorageError;
}

describe('DATABASE_URL', () => {
  it('names host:port and nothing else of the URL', () => {
    expect(describePostgresUrl(`postgres://pont:${SECRET}@db.internal:6543/pont`)).toBe('db.internal:6543');
    expect(describePostgresUrl('postgresql://pont@db.internal/pont')).toBe('db.internal:5432');
  });

  it('reports an unreachable database as UNAVAILABLE at host:port, without the password', async () => {
    const db = await openDatabase({ url: `postgres://pont:${SECRET}@127.0.0.1:1/pont`, connectTimeoutMs: 2_000 });
    try {
      const error = await failure(db.ping());
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toBe('database unreachable at 127.0.0.1:1 (ECONNREFUSED)');
    } finally {
      await db.close();
    }
  });

  it('refuses URLs that are not postgres URLs, without echoing them', async () => {
    for (const url of [`mysql://pont:${SECRET}@h/db`, `not a url ${SECRET}`, '  ']) {
      expect((await failure(openDatabase({ url }))).code).toBe('CONFIG');
    }
    expect((await failure(openDatabase({}))).code).toBe('CONFIG');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const error = await failure(openDatabase({ url: 'postgres://h/db', schema: 'x"; DROP' }));
    expect(error.code).toBe('CONFIG');
  });
});

describeWithPostgres('DATABASE_URL on a running PostgreSQL', (url) => {
  it('reports a database that does not exist as UNAVAILABLE', async () => {
    const missing = new URL(url);
    missing.pathname = '/pont_no_such_database';
    const db = await openDatabase({ url: missing.toString() });
    try {
      const error = await failure(db.ping());
      expect(error).toMatchObject({ code: 'UNAVAILABLE', sqlState: '3D000' });
      expect(error.message).toContain('database does not exist');
    } finally {
      await db.close();
    }
  });
});
