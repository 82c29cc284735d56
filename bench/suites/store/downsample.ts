/**
 * Min/max-preserving downsampling (the M4 family: per pixel column keep first, min, max, last),
 * so a trend drawn from at most `n` points shows every peak and trough of the raw series.
 * Numeric values only; nulls and text are skipped. Returns points in ascending ts.
 */
export function downsampleMinMax(
  ts: ArrayLike<number>,
  values: ArrayLike<number | null>,
  n: number,
): { ts: number[]; value: number[] } {
  const out = { ts: [] as number[], value: [] as number[] };
  const len = ts.length;
  if (len === 0 || n <= 0) return out;
  const buckets = Math.max(1, Math.floor(n / 4));
  const from = ts[0] as number;
  const width = ((ts[len - 1] as number) - from + 1) / buckets;
  let i = 0;
  for (let b = 0; b < buckets && i < len; b++) {
    const end = from + (b + 1) * width;
    let first = -1;
    let last = -1;
    let lo = -1;
    let hi = -1;
    for (; i < len && (ts[i] as number) < end; i++) {
      const v = values[i];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      if (first < 0) first = lo = hi = i;
      last = i;
      if (v < (values[lo] as number)) lo = i;
      if (v > (values[hi] as number)) hi = i;
    }
    if (first < 0) continue;
    // Up to four distinct indices, in time order.
    const picks = [first, lo, hi, last].sort((a, c) => a - c);
    let prev = -1;
    for (const k of picks) {
      if (k === prev) continue;
      prev = k;
      out.ts.push(ts[k] as number);
      out.value.push(values[k] as number);
    }
  }
  return out;
}
