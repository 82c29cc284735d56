import { isWatershedError } from '@watershed/common';
import type { RuleProblem } from '@watershed/console-api';

/**
 * A rule-engine or rule-sql error as the console shows it. rule-sql's errors carry their
 * position in `details` (line, column, expected, hint); action config errors their issues.
 */
export function toProblem(err: unknown, path?: string): RuleProblem {
  if (!isWatershedError(err)) {
    return {
      code: 'WS_ERR_INTERNAL',
      message: err instanceof Error ? err.message : String(err),
      ...(path !== undefined && { path }),
    };
  }
  const d = err.details ?? {};
  return {
    code: err.code,
    message: err.message,
    ...(path !== undefined && { path }),
    ...(typeof d['line'] === 'number' && { line: d['line'] }),
    ...(typeof d['column'] === 'number' && { column: d['column'] }),
    ...(typeof d['expected'] === 'string' && { expected: d['expected'] }),
    ...(typeof d['hint'] === 'string' && { hint: d['hint'] }),
  };
}
