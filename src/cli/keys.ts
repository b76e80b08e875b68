/**
 * `pont keys list|generate|import|promote|retire` (docs/keys.md): the node's own keys. Every
 * command that changes a state has `--dry-run` (prints the changes, makes none), writes its
 * audit events, and refuses what would leave a use without an active key. Running instances
 * see a change at their next refresh (keys.refreshIntervalSeconds).
 */
import { Option, type Command } from 'commander';
import type { Config } from '../config/schema.ts';
import type { KeyChange, KeyRecord, LifecycleContext, LifecycleResult } from '../metadata/keys/index.ts';
import { DEFAULT_KEY_ALGORITHM, KEY_ALGORITHMS, KEY_USES, type KeyAlgorithm, type KeyUse } from '../metadata/keys/types.ts';
import { configFor } from './config.ts';
import { withDatabase } from './db.ts';
import { readCertificate, readPrivateKey, writeOut } from './io.ts';
import { integerIn } from './options.ts';

const DAY = 86_400_000;

const useOption = () => new Option('--use <USE>', 'what the key is for').choices(KEY_USES).makeOptionMandatory();
const dryRunOption = () => new Option('--dry-run', 'print what would change and change nothing');

export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description('the node\'s own keys (signing, encryption, metadata): list, generate, import, promote, retire; see docs/keys.md');

  keys
    .command('list')
    .description('list the keys: id, use, state, algorithm, fingerprint, expiry (flags certificates within keys.expiryWarningDays)')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withLifecycle(command, async (ctx, config) => listAction(ctx, config, opts.json === true));
    });

  keys
    .command('generate')
    .description('generate a key pair with a self-signed certificate: `next` beside the active key, or `active` when the use has none')
    .addOption(useOption())
    .addOption(new Option('--alg <ALG>', 'key algorithm').choices(KEY_ALGORITHMS).default(DEFAULT_KEY_ALGORITHM))
    .option('--days <N>', 'certificate validity in days (1–3650)', integerIn(1, 3650), 730)
    .option('--subject <DN>', 'certificate subject (default: CN=Pont eIDAS <use> key, O=Pont eIDAS, C=FR)')
    .addOption(dryRunOption())
    .action(async (opts: { use: KeyUse; alg: KeyAlgorithm; days: number; subject?: string; dryRun?: boolean }, command: Command) => {
      await withLifecycle(command, async (ctx) => {
        const { generateKey } = await import('../metadata/keys/index.ts');
        const options = { use: opts.use, algorithm: opts.alg, validityDays: opts.days, dryRun: opts.dryRun === true };
        printResult(await generateKey(ctx, opts.subject === undefined ? options : { ...options, subject: opts.subject }));
      });
    });

  keys
    .command('import')
    .description('add an existing key pair (unencrypted PEM private key and its certificate), copied into keys.dir')
    .addOption(useOption())
    .requiredOption('--key <KEY.pem>', 'private key (PEM, PKCS#8 or traditional, unencrypted)')
    .requiredOption('--cert <CERT.pem>', 'its certificate (PEM or DER)')
    .addOption(dryRunOption())
    .action(async (opts: { use: KeyUse; key: string; cert: string; dryRun?: boolean }, command: Command) => {
      const privateKey = readPrivateKey(opts.key);
      const certificate = readCertificate(opts.cert);
      await withLifecycle(command, async (ctx) => {
        const { importKey } = await import('../metadata/keys/index.ts');
        printResult(await importKey(ctx, { use: opts.use, privateKey, certificate, dryRun: opts.dryRun === true }));
      });
    });

  keys
    .command('promote')
    .description('make a next key active; the active key of its use becomes retiring (it still decrypts for keys.retiringGraceHours)')
    .argument('<ID>', 'key id, as `pont keys list` shows it')
    .addOption(dryRunOption())
    .action(async (id: string, opts: { dryRun?: boolean }, command: Command) => {
      await withLifecycle(command, async (ctx) => {
        const { promoteKey } = await import('../metadata/keys/index.ts');
        printResult(await promoteKey(ctx, id, { dryRun: opts.dryRun === true }));
      });
    });

  keys
    .command('retire')
    .description('retire a retiring key now (ends its grace period) or withdraw a next key; never the active key')
    .argument('<ID>', 'key id, as `pont keys list` shows it')
    .addOption(dryRunOption())
    .action(async (id: string, opts: { dryRun?: boolean }, command: Command) => {
      await withLifecycle(command, async (ctx) => {
        const { retireKey } = await import('../metadata/keys/index.ts');
        printResult(await retireKey(ctx, id, { dryRun: opts.dryRun === true }));
      });
    });
}

/** Opens the configured database (migrated: else `pont db migrate` is named) and the lifecycle context. */
async function withLifecycle(command: Command, fn: (ctx: LifecycleContext, config: Config) => Promise<void>): Promise<void> {
  const config = configFor(command);
  const [{ assertMigrated }, { createAuditLog }, { keySettingsFrom }] = await Promise.all([
    import('../storage/index.ts'),
    import('../audit/index.ts'),
    import('../metadata/keys/index.ts'),
  ]);
  await withDatabase(config, async (db) => {
    await assertMigrated(db);
    await fn({ db, settings: keySettingsFrom(config), audit: createAuditLog(db), actor: 'cli' }, config);
  });
}

export function describeChange(c: KeyChange, dryRun: boolean): string {
  if (c.from === undefined) return `${dryRun ? 'would create' : 'created'} ${c.id} (${c.use}, ${c.algorithm ?? '?'}) as ${c.to}`;
  return `${dryRun ? 'would move' : 'moved'} ${c.id} (${c.use}): ${c.from} → ${c.to}`;
}

function printResult(result: LifecycleResult): void {
  const lines = result.changes.map((c) => describeChange(c, result.dryRun));
  if (result.dryRun) lines.push('dry run: nothing was changed');
  else lines.push('running instances apply this at their next refresh (keys.refreshIntervalSeconds)');
  writeOut(lines.join('\n'));
}

async function listAction(ctx: LifecycleContext, config: Config, json: boolean): Promise<void> {
  const { listKeys, keySettingsFrom } = await import('../metadata/keys/index.ts');
  const records = await listKeys(ctx.db);
  const now = new Date();
  const warningMs = keySettingsFrom(config).expiryWarningMs;
  const rows = records.map((r) => ({ ...summary(r), flag: expiryFlag(r, now, warningMs) }));
  if (json) {
    writeOut(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    writeOut('no keys yet: `pont keys generate --use signing|encryption|metadata` (or start the node in development)');
    return;
  }
  const table = [['ID', 'USE', 'STATE', 'ALGORITHM', 'FINGERPRINT (SHA-256)', 'NOT AFTER', ''], ...rows.map((r) => [r.id, r.use, r.state, r.algorithm, r.fingerprint, r.notAfter, r.flag])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  writeOut(table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n'));
}

function summary(r: KeyRecord) {
  return { id: r.id, use: r.use, state: r.state, algorithm: r.algorithm, fingerprint: r.fingerprint, notAfter: r.notAfter.toISOString() };
}

/** `EXPIRED`, `expires in N days` within the warning window, or '' (retired keys are never flagged). */
export function expiryFlag(r: Pick<KeyRecord, 'state' | 'notAfter'>, now: Date, warningMs: number): string {
  if (r.state === 'retired') return '';
  const left = r.notAfter.getTime() - now.getTime();
  if (left <= 0) return 'EXPIRED';
  return left <= warningMs ? `expires in ${Math.floor(left / DAY)} days` : '';
}
