/**
 * The production engine: PostgreSQL through a `pg.Pool` built from DATABASE_URL. Several
 * instances share one database; the pool connects lazily, so an instance starts while the
 * database is down and `ping()` (behind /readyz) tells when it is reachable.
 */
import pg from 'pg';
import { quoteSchema, type Database, type Queryable, type QueryResult, type Row } from './database.ts';
import { StorageError, toStorageError } from './errors.ts';

export interface PostgresOpenOptions {
  /** postgres:// or postgresql:// URL (DATABASE_URL). */
  url: string;
  /** Schema set as search_path on every connection (it must exist). */
  schema?: string;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before UNAVAILABLE (default 5000 ms). */
  connectTimeoutMs?: number;
  /** An idle connection broke (the pool drops it and reconnects). Default: a process warning. */
  onIdleError?: (err: StorageError) => void;
}

/** "host:port" of a DATABASE_URL, refusing anything but postgres URLs; never the password. */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError('CONFIG', 'DATABASE_URL is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StorageError('CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://');
  }
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  return `${host}:${parsed.port || '5432'}`;
}

function wrap(runner: pg.Pool | pg.PoolClient, target: string): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        const result = await runner.query<R>(sql, [...params]);
        return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
      } catch (err) {
        throw toStorageError(err, target);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await runner.query(sql);
      } catch (err) {
        throw toStorageError(err, target);
      }
    },
  };
}

class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  private readonly runner: Queryable;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly target: string,
  ) {
    this.runner = wrap(pool, target);
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.runner.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.runner.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toStorageError(err, this.target);
    }
    const tx = wrap(client, this.target);
    let broken = false;
    try {
      await tx.exec('BEGIN');
      const result = await fn(tx);
      await tx.exec('COMMIT');
      return result;
    } catch (err) {
      // The first error is the one reported; a failed ROLLBACK only retires the connection.
      await tx.exec('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end().catch((err: unknown) => {
      throw toStorageError(err, this.target);
    });
    return this.closing;
  }
}

export function openPostgres(options: PostgresOpenOptions): Database {
  const target = describePostgresUrl(options.url);
  const config: pg.PoolConfig = {
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: 'pont-eidas',
  };
  if (options.schema !== undefined) {
    quoteSchema(options.schema);
    if (new URL(options.url).searchParams.has('options')) {
      throw new StorageError('CONFIG', 'DATABASE_URL sets "options"; set search_path there rather than a schema');
    }
    // A startup parameter, so no connection ever runs a statement outside this schema.
    config.options = `-c search_path=${options.schema}`;
  }
  const pool = new pg.Pool(config);
  const onIdleError =
    options.onIdleError ?? ((err: StorageError) => process.emitWarning(err.message, { code: 'PONT_STORAGE' }));
  pool.on('error', (err) => onIdleError(toStorageError(err, target)));
  return new PostgresDatabase(pool, target);
}
