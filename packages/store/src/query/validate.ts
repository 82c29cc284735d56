import type { AggregateQuery, TrendQuery } from '../types.js';
import { QUERY_TIERS } from '../tiers.js';
import { QueryErrors } from './errors.js';

/** Throws WS_ERR_STORE_INVALID_QUERY naming the first problem of a trend query. */
export function assertTrendQuery(id: string, q: TrendQuery): void {
  const problem =
    rangeProblem(q.from, q.to) ??
    (!Number.isSafeInteger(q.points) || q.points < 2
      ? `points must be an integer ≥ 2, got ${q.points}`
      : undefined) ??
    (q.method !== undefined && q.method !== 'minmax' && q.method !== 'lttb'
      ? `method must be minmax or lttb, got ${String(q.method)}`
      : undefined) ??
    (q.maxGapMs !== undefined && !(q.maxGapMs >= 0)
      ? `maxGapMs must be ≥ 0, got ${q.maxGapMs}`
      : undefined) ??
    (q.tier !== undefined && !QUERY_TIERS.includes(q.tier) ? `unknown tier ${String(q.tier)}` : undefined);
  if (problem !== undefined) throw QueryErrors.INVALID_QUERY.create([id, problem], { point: id });
}

/** Throws WS_ERR_STORE_INVALID_QUERY naming the first problem of an aggregate query. */
export function assertAggregateQuery(id: string, q: AggregateQuery): void {
  const problem =
    rangeProblem(q.from, q.to) ??
    (!Number.isSafeInteger(q.bucketMs) || q.bucketMs < 1
      ? `bucketMs must be a positive integer, got ${q.bucketMs}`
      : undefined);
  if (problem !== undefined) throw QueryErrors.INVALID_QUERY.create([id, problem], { point: id });
}

function rangeProblem(from: number, to: number): string | undefined {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
    return 'from and to must be integer ms epochs';
  return from > to ? `from (${from}) is after to (${to})` : undefined;
}
