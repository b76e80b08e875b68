/** `pont serve` (= `npm start`): run the node until SIGINT / SIGTERM. */
import type { Command } from 'commander';
import { configFor } from './config.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the node: generate development keys if needed, migrate the database, listen')
    .action(async (_opts: unknown, command: Command) => {
      const config = configFor(command);
      const [{ startNode }, { stopOnSignals }, { createLogger }] = await Promise.all([
        import('../server/node.ts'),
        import('../server/shutdown.ts'),
        import('../util/logger.ts'),
      ]);
      const logger = createLogger({ level: config.log.level });
      const node = await startNode(config, logger);
      stopOnSignals(node.stop, logger);
    });
}
