import type { Logger } from '@watershed/common';

/**
 * Runs `close` on the first SIGINT/SIGTERM (sockets closed, store flushed), then exits 0; a
 * second signal while closing exits at once with 130, for an operator who really means it.
 * A shutdown that takes longer than `deadlineMs` is reported and the process exits with 1
 * rather than hanging a service manager's stop.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger, deadlineMs = 15_000): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without finishing shutdown');
      process.exit(130);
    }
    closing = true;
    logger.info({ signal }, 'shutting down (press Ctrl-C again to force)');
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, deadlineMs).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
