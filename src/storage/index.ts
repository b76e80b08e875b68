/** The storage layer: the only code that talks to PGlite or PostgreSQL. */
export type { Database, Engine, Queryable, QueryResult, Row } from './database.ts';
export { openDatabase, type OpenDatabaseOptions } from './open.ts';
export { IN_MEMORY, createPgliteTemplate, pgliteVersion } from './pglite.ts';
export { describePostgresUrl } from './postgres.ts';
export { StorageError, STORAGE_CODES, type StorageCode } from './errors.ts';
export { migrate, migrationStatus, assertMigrated, type MigrationStatus } from './migrate.ts';
export { MIGRATIONS, type Migration } from './migrations/index.ts';
export { systemClock, type Clock } from './clock.ts';
export { FlowStore, MAX_FLOW_TTL_MS, type FlowStoreOptions, type PendingFlow } from './flows.ts';
export { ReplayStore, MAX_REPLAY_KEY_LENGTH, type ReplayStoreOptions } from './replay.ts';
export { Sweeper, type SweeperOptions, type SweepResult } from './sweeper.ts';
