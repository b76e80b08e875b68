/**
 * The one database interface the rest of Pont eIDAS sees. Two engines implement it with the
 * same SQL: PGlite (embedded PostgreSQL, the default) and PostgreSQL through `pg` (DATABASE_URL).
 */
import { StorageError } from './errors.ts';

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Rows inserted, updated, deleted or returned by the statement. */
  rowCount: number;
}

export interface Queryable {
  /** One statement with `$1…$n` parameters; values are never interpolated into the SQL text. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations only). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Where the data lives, for messages: "127.0.0.1:5432" or "PGlite at var/pglite"; no secret. */
  readonly target: string;
  /**
   * Runs `fn` in one transaction on one connection (READ COMMITTED): committed when `fn`
   * resolves, rolled back when it throws. Use only `tx` inside `fn`: on PGlite, a query on the
   * database itself waits for the transaction to end.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query; throws StorageError('UNAVAILABLE') otherwise. */
  ping(): Promise<void>;
  /** Closes the pool or the PGlite instance (and releases its data directory lock). */
  close(): Promise<void>;
}

/** A schema name as a quoted identifier, refusing anything but lower-case letters, digits and _. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StorageError('CONFIG', 'a schema name is lower-case letters, digits and _ (at most 63)');
  }
  return `"${schema}"`;
}
