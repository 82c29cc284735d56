/** Splits items into runs of at most `max` (at least one per run), for per-call operation limits. */
export function chunk<T>(items: readonly T[], max: number): T[][] {
  const size = Number.isFinite(max) ? Math.max(1, Math.floor(max)) : Math.max(1, items.length);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
