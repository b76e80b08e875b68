/** `pont audit list|verify`: read the audit log and check its hash chain (docs/keys.md, "Audit log"). */
import type { Command } from 'commander';
import { configFor } from './config.ts';
import { withDatabase } from './db.ts';
import { CliError, EXIT } from './errors.ts';
import { writeOut } from './io.ts';
import { integerIn } from './options.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit log: list events, verify the hash chain');

  audit
    .command('list')
    .description('print audit events, oldest first')
    .option('--after <SERIAL>', 'only events after this serial', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--limit <N>', 'at most N events (1–1000)', integerIn(1, 1000), 100)
    .option('--event <NAME>', 'only this event, e.g. key.promoted')
    .action(async (opts: { after: number; limit: number; event?: string }, command: Command) => {
      await withAuditLog(command, async (log) => {
        const events = await log.list({ afterSerial: opts.after, limit: opts.limit, ...(opts.event && { event: opts.event }) });
        writeOut(events.map((e) => `${e.serial}\t${e.at.toISOString()}\t${e.event}\t${e.actor}\t${JSON.stringify(e.details)}`).join('\n') || 'no events');
      });
    });

  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 naming the first broken row')
    .action(async (_opts: unknown, command: Command) => {
      await withAuditLog(command, async (log) => {
        const result = await log.verifyChain();
        if (!result.ok) throw new CliError(`audit log broken at row ${result.brokenAt}: ${result.reason}`, EXIT.REFUSED);
        writeOut(`audit log intact: ${result.count} events, last hash ${result.lastHash}`);
      });
    });
}

async function withAuditLog(command: Command, fn: (log: import('../audit/index.ts').AuditLog) => Promise<void>): Promise<void> {
  const config = configFor(command);
  const [{ assertMigrated }, { createAuditLog }] = await Promise.all([import('../storage/index.ts'), import('../audit/index.ts')]);
  await withDatabase(config, async (db) => {
    await assertMigrated(db);
    await fn(createAuditLog(db));
  });
}
