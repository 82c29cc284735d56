import type { Clock, Logger, TimerHandle } from '@watershed/common';
import type { SessionRepository } from '@watershed/store';

export interface SessionPruningOptions {
  sessions: SessionRepository;
  clock: Clock;
  logger: Logger;
  /** How long an ended session stays listed (a user's recent logins) before it is deleted. */
  keepMs?: number;
  /** How often to prune. */
  everyMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes ended console sessions (expired or revoked) once they are `keepMs` old, at start and
 * then every `everyMs`. Every login leaves a row, so without this the table grows for as long
 * as the installation runs; logins themselves stay in the audit log. A failed prune is logged
 * and tried again next time: it must never take the server down.
 */
export function startSessionPruning(opts: SessionPruningOptions): { stop(): Promise<void> } {
  const keepMs = opts.keepMs ?? 7 * DAY_MS;
  const everyMs = opts.everyMs ?? 3_600_000;
  let running: Promise<void> = Promise.resolve();
  const prune = (): void => {
    running = running.then(async () => {
      try {
        const removed = await opts.sessions.prune(opts.clock.now() - keepMs);
        if (removed > 0) opts.logger.info({ removed }, 'pruned ended console sessions');
      } catch (err) {
        opts.logger.warn(
          { err: (err as Error).message },
          'could not prune ended console sessions; retrying later',
        );
      }
    });
  };
  prune();
  const timer: TimerHandle = opts.clock.setInterval(prune, everyMs);
  timer.unref?.();
  return {
    async stop() {
      opts.clock.clearInterval(timer);
      await running;
    },
  };
}
