/**
 * The `pont` program: one module per command group; every failure ends in runCli and becomes
 * one line on stderr with the exit code of errors.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../util/paths.ts';
import { registerAuditCommands } from './audit.ts';
import { registerConfigCommands } from './config.ts';
import { registerDbCommands } from './db.ts';
import { registerKeysCommands } from './keys.ts';
import { registerMetadataCommands } from './metadata.ts';
import { registerPeersCommands } from './peers.ts';
import { EXIT, describeError, oneLine } from './errors.ts';
import { registerServeCommand } from './serve.ts';
import { registerXmlCommands } from './xml.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('pont')
    .description('Pont eIDAS: France\'s eIDAS node (proxy service and connector)')
    .version(version(), '-V, --version')
    .option('--config <FILE>', 'configuration file (default: PONT_CONFIG); see docs/config.md')
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => write(`pont: ${oneLine(message.replace(/^error: /, ''))}\n`),
    });
  registerServeCommand(program);
  registerConfigCommands(program);
  registerDbCommands(program);
  registerKeysCommands(program);
  registerAuditCommands(program);
  registerMetadataCommands(program);
  registerPeersCommands(program);
  registerXmlCommands(program);
  return program;
}

function fail(err: unknown): void {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`pont: ${message}\n`);
  process.exitCode = exitCode;
}

export async function runCli(argv: string[]): Promise<void> {
  process.on('uncaughtException', (err) => {
    fail(err);
    process.exit(process.exitCode);
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its one line (or the help / version)
      const shown = err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
      process.exitCode = shown ? EXIT.OK : EXIT.USAGE;
      return;
    }
    fail(err);
  }
}
