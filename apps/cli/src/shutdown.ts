import type { Logger } from '@watershed/common';

/**
 * Runs `close` on the first SIGINT/SIGTERM (sockets closed, store flushed), then exits 0; a
 * second signal while closing exits at once with 130, for an operator who really means it.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without finishing shutdown');
      process.exit(130);
    }
    closing = true;
    logger.info({ signal }, 'shutting down (press Ctrl-C again to force)');
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
