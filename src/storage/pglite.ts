/**
 * The embedded engine: PGlite (PostgreSQL compiled to WebAssembly) in this process. A data
 * directory keeps the data across restarts (`initdb` costs 6–9 s and ~800 MB only on the first
 * start); `memory://` keeps it in memory. Tests start from a dump of an initialised template
 * (`createPgliteTemplate`) instead of running `initdb` each time.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { quoteSchema, type Database, type Queryable, type QueryResult, type Row } from './database.ts';
import { StorageError, toStorageError } from './errors.ts';
import { lockDataDir, type DirLock } from './lockfile.ts';

export const IN_MEMORY = 'memory://';

export interface PgliteOpenOptions {
  /** A directory path, or `memory://`. */
  dataDir: string;
  /** Start a new database (in memory, or a data directory not yet initialised) from a
   *  `createPgliteTemplate()` dump instead of running initdb. */
  initialData?: Uint8Array;
  /** Schema put first on the search_path (it must exist; migrations create tables in it). */
  schema?: string;
}

type PgliteRunner = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(runner: PgliteRunner, target: string): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        const result = await runner.query<R>(sql, [...params]);
        return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
      } catch (err) {
        throw toStorageError(err, target);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await runner.exec(sql);
      } catch (err) {
        throw toStorageError(err, target);
      }
    },
  };
}

class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const;
  private readonly runner: Queryable;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pg: PGlite,
    readonly target: string,
    private readonly lock: DirLock | undefined,
  ) {
    this.runner = wrap(pg, target);
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.runner.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.runner.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const fromFn = { error: undefined as unknown, thrown: false };
    try {
      return await this.pg.transaction(async (tx) => {
        try {
          return await fn(wrap(tx, this.target));
        } catch (err) {
          Object.assign(fromFn, { error: err, thrown: true });
          throw err;
        }
      });
    } catch (err) {
      throw fromFn.thrown && err === fromFn.error ? err : toStorageError(err, this.target);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  close(): Promise<void> {
    this.closing ??= this.pg.close().finally(() => this.lock?.release());
    return this.closing;
  }
}

function makeParent(dataDir: string): void {
  try {
    mkdirSync(dirname(dataDir), { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new StorageError('CONFIG', `cannot create the parent of the PGlite data directory ${dataDir} (${code})`);
  }
}

export async function openPglite(options: PgliteOpenOptions): Promise<Database> {
  const inMemory = options.dataDir === IN_MEMORY;
  const dataDir = inMemory ? IN_MEMORY : resolve(options.dataDir);
  if (options.initialData && !inMemory && existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new StorageError('CONFIG', `initial data is only loaded into a new database; ${dataDir} holds one`);
  }
  const target = inMemory ? 'PGlite in memory' : `PGlite at ${dataDir}`;
  const searchPath = options.schema === undefined ? undefined : quoteSchema(options.schema);
  if (!inMemory) makeParent(dataDir);
  const lock = inMemory ? undefined : lockDataDir(dataDir);
  let pg: PGlite | undefined;
  try {
    pg = await PGlite.create({
      dataDir,
      ...(options.initialData ? { loadDataDir: new Blob([new Uint8Array(options.initialData)]) } : {}),
    });
    if (searchPath) await pg.exec(`SET search_path TO ${searchPath}`);
    return new PgliteDatabase(pg, target, lock);
  } catch (err) {
    await pg?.close().catch(() => undefined); // the start failed already; that error is reported
    lock?.release();
    if (err instanceof StorageError) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    const detail = typeof code === 'string' && /^E[A-Z]+$/.test(code) ? `, ${code}` : '';
    throw new StorageError('UNAVAILABLE', `PGlite could not start (${target}${detail})`);
  }
}

/** An initialised, empty PGlite cluster as an uncompressed tar (about 40 MB); runs initdb once. */
export async function createPgliteTemplate(): Promise<Uint8Array> {
  const pg = await PGlite.create({ dataDir: IN_MEMORY });
  try {
    const dump = await pg.dumpDataDir('none');
    return new Uint8Array(await dump.arrayBuffer());
  } finally {
    await pg.close();
  }
}

/** The PGlite version in use: a template made by another version is not loaded. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
