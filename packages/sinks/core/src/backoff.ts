/**
 * Delay before retry number `attempt` (1-based): initialMs doubling up to maxMs. No jitter:
 * each sink has one batch in flight against its own peer, so there is no herd to spread, and a
 * fixed schedule is what operators and tests can predict.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const exp = Math.min(attempt - 1, 30);
  return Math.min(maxMs, initialMs * 2 ** exp);
}
