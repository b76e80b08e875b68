/** `pont db migrate [--dry-run]`: apply (or list) the pending database migrations. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/schema.ts';
import type { Database } from '../storage/index.ts';
import { configFor } from './config.ts';
import { writeOut } from './io.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database');
  db.command('migrate')
    .description('apply the pending migrations and print them')
    .option('--dry-run', 'only print the migrations that would be applied')
    .action(async (opts: { dryRun?: boolean }, command: Command) => {
      const config = configFor(command);
      const { migrate, migrationStatus } = await import('../storage/index.ts');
      await withDatabase(config, async (database) => {
        if (opts.dryRun) {
          const { pending, applied } = await migrationStatus(database);
          writeOut(pending.length > 0
            ? pending.map((id) => `would apply ${id}`).join('\n')
            : `${database.target}: up to date (${applied.length} migrations applied)`);
          return;
        }
        const { applied } = await migrate(database);
        writeOut(applied.length > 0
          ? applied.map((id) => `applied ${id}`).join('\n')
          : `${database.target}: up to date, nothing to apply`);
      });
    });
}

export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const { openDatabase } = await import('../storage/index.ts');
  const url = config.database.url;
  const database = await openDatabase(url ? { url } : { dataDir: resolve(config.database.dataDir) });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
