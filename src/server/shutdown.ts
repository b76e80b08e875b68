/**
 * Graceful shutdown on SIGINT / SIGTERM: stop accepting, finish requests in flight, close the
 * database, exit 0. A second signal, or a stop that takes longer than the grace period,
 * exits at once with status 1.
 */
import type { Logger } from '../util/logger.ts';

export const SHUTDOWN_GRACE_MS = 10_000;

export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = SHUTDOWN_GRACE_MS): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `${signal} received: shutting down`);
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: { name: (e as Error)?.name, message: (e as Error)?.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
