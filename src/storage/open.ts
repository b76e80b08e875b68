/**
 * One entry point for both engines: DATABASE_URL set → PostgreSQL through `pg`; otherwise the
 * embedded PGlite at a data directory (`memory://` for tests).
 */
import type { Database } from './database.ts';
import { StorageError } from './errors.ts';
import { openPglite } from './pglite.ts';
import { openPostgres, type PostgresOpenOptions } from './postgres.ts';

export interface OpenDatabaseOptions {
  /** DATABASE_URL. When given, PostgreSQL is used and `dataDir` is ignored. */
  url?: string;
  /** PGlite data directory (created if missing), or `memory://`. */
  dataDir?: string;
  /** Schema put on the search_path (it must exist); default: the engine's default ("public"). */
  schema?: string;
  /** PGlite only: start a new database from a `createPgliteTemplate()` dump (tests). */
  initialData?: Uint8Array;
  /** PostgreSQL only: pool size, connect timeout, idle connection errors. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  onIdleError?: PostgresOpenOptions['onIdleError'];
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { url, dataDir, schema } = options;
  if (url !== undefined) {
    if (url.trim() === '') throw new StorageError('CONFIG', 'DATABASE_URL is set but empty');
    if (options.initialData) throw new StorageError('CONFIG', 'initial data is for PGlite only');
    return openPostgres({
      url,
      ...(schema !== undefined && { schema }),
      ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }),
      ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.onIdleError && { onIdleError: options.onIdleError }),
    });
  }
  if (dataDir === undefined || dataDir.trim() === '') {
    throw new StorageError('CONFIG', 'neither DATABASE_URL nor a PGlite data directory is configured');
  }
  return openPglite({
    dataDir,
    ...(schema !== undefined && { schema }),
    ...(options.initialData && { initialData: options.initialData }),
  });
}
