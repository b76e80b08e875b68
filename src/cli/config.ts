/** `pont config check [FILE]`: validate the configuration and print it, secrets masked. */
import type { Command } from 'commander';
import { legacyWarnings } from '../config/crypto-policy.ts';
import { loadConfig } from '../config/load.ts';
import { maskSecrets } from '../config/mask.ts';
import type { Config } from '../config/schema.ts';
import { writeOut } from './io.ts';

/** The configuration of this run: `--config FILE` (or PONT_CONFIG) over the defaults, then the environment. */
export function configFor(command: Command, file?: string): Config {
  const globalFile = (command.optsWithGlobals() as { config?: string }).config;
  return loadConfig({ file: file ?? globalFile });
}

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('configuration');
  config
    .command('check')
    .description('validate the effective configuration (defaults + FILE + environment) and print it with secrets masked')
    .argument('[FILE]', 'configuration file (default: --config, then PONT_CONFIG)')
    .action((file: string | undefined, _opts: unknown, command: Command) => {
      const effective = configFor(command, file);
      legacyWarnings(effective).forEach((w) => process.stderr.write(`pont: warning: ${w}\n`));
      writeOut(JSON.stringify(maskSecrets(effective), null, 2));
    });
}
