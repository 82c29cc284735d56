import { median } from './series.js';

/**
 * Robust outlier scoring (Iglewicz & Hoaglin 1993, "How to Detect and Handle Outliers", §3.2):
 * the modified z-score M = 0.6745 · (x − median) / MAD, with |M| > 3.5 the recommended outlier
 * cut. Median and MAD ignore the outliers they are looking for, where mean and standard
 * deviation are dragged toward them. When more than half the values are equal the MAD is 0; the
 * authors' fallback is then the mean absolute deviation (scaled by 1.2533 to estimate σ, as
 * 0.6745 does for the MAD).
 */
export function modifiedZ(values: readonly number[], x: number): number {
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  if (mad > 0) return (0.6745 * (x - med)) / mad;
  const meanAd = values.reduce((a, v) => a + Math.abs(v - med), 0) / values.length;
  if (meanAd > 0) return (x - med) / (1.2533 * meanAd);
  return x === med ? 0 : Number.POSITIVE_INFINITY * Math.sign(x - med);
}
