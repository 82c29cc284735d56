/**
 * Point selection for charts over numeric series held as parallel arrays (no per-sample objects:
 * a day of 1-s samples is 86,400 of them). Each function appends the chosen indices of
 * [start, end) to `out`, ascending, and chooses at most `budget` of them.
 */

/**
 * Min/max-preserving selection (the M4 family, Jugel et al., VLDB 2014): the span of the slice
 * is cut into ⌊budget / 4⌋ equal time columns and each keeps its first, lowest, highest and last
 * sample, so a line drawn through them at that width shows every peak and trough of the data.
 * Below 4 points there is no whole column, and LTTB chooses instead.
 */
export function selectMinMax(
  ts: ArrayLike<number>,
  v: ArrayLike<number>,
  start: number,
  end: number,
  budget: number,
  out: number[],
): void {
  const len = end - start;
  if (len <= budget) return pushRange(start, end, out);
  const columns = Math.floor(budget / 4);
  if (columns < 1) return selectLttb(ts, v, start, end, budget, out);
  const t0 = ts[start] as number;
  const span = (ts[end - 1] as number) - t0 + 1;
  let i = start;
  for (let c = 0; c < columns && i < end; c++) {
    // Column c covers [t0 + c·span/columns, t0 + (c+1)·span/columns); the last one ends past the data.
    const limit = c === columns - 1 ? Number.POSITIVE_INFINITY : t0 + ((c + 1) * span) / columns;
    if ((ts[i] as number) >= limit) continue;
    const first = i;
    let lo = i;
    let hi = i;
    for (i++; i < end && (ts[i] as number) < limit; i++) {
      const x = v[i] as number;
      if (x < (v[lo] as number)) lo = i;
      else if (x > (v[hi] as number)) hi = i;
    }
    const last = i - 1;
    // The four in time order, each once.
    const a = lo < hi ? lo : hi;
    const b = lo < hi ? hi : lo;
    out.push(first);
    if (a !== first) out.push(a);
    if (b !== a && b !== first) out.push(b);
    if (last !== b && last !== a && last !== first) out.push(last);
  }
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, "Downsampling Time Series for Visual
 * Representation", 2013, §4.2): keeps the first and last sample and, from each of budget − 2
 * equal-count buckets between them, the sample forming the largest triangle with the one kept
 * before it and the mean of the next bucket. Returns exactly `budget` indices when the slice has more.
 */
export function selectLttb(
  ts: ArrayLike<number>,
  v: ArrayLike<number>,
  start: number,
  end: number,
  budget: number,
  out: number[],
): void {
  const len = end - start;
  if (len <= budget) return pushRange(start, end, out);
  if (budget <= 0) return;
  out.push(start);
  if (budget === 1) return;
  if (budget > 2) {
    const every = (len - 2) / (budget - 2);
    let a = start;
    for (let k = 0; k < budget - 2; k++) {
      const from = start + 1 + Math.floor(k * every);
      const to = start + 1 + Math.floor((k + 1) * every);
      // Mean of the next bucket (the last sample when this is the final bucket).
      const nFrom = to;
      const nTo = Math.min(start + 1 + Math.floor((k + 2) * every), end - 1);
      let mx = 0;
      let my = 0;
      if (nTo > nFrom) {
        for (let j = nFrom; j < nTo; j++) {
          mx += ts[j] as number;
          my += v[j] as number;
        }
        mx /= nTo - nFrom;
        my /= nTo - nFrom;
      } else {
        mx = ts[end - 1] as number;
        my = v[end - 1] as number;
      }
      const ax = ts[a] as number;
      const ay = v[a] as number;
      let best = from;
      let bestArea = -1;
      for (let j = from; j < to; j++) {
        // Twice the triangle's area; the factor does not change which is largest.
        const area = Math.abs((ax - mx) * ((v[j] as number) - ay) - (ax - (ts[j] as number)) * (my - ay));
        if (area > bestArea) {
          bestArea = area;
          best = j;
        }
      }
      out.push(best);
      a = best;
    }
  }
  out.push(end - 1);
}

function pushRange(start: number, end: number, out: number[]): void {
  for (let i = start; i < end; i++) out.push(i);
}
