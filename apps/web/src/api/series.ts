import type { Quality, Sample, SampleValue } from '@watershed/model';

/**
 * A rollup bucket as `/series` returns it for `bucket=1m|1h` (and `auto` over long ranges):
 * min/max/avg over the bucket's numeric samples, plus its last value.
 */
export interface Rollup {
  ts: number;
  width: number;
  count: number;
  bad: number;
  numeric: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: SampleValue;
  lastTs: number;
  lastQuality: Quality;
}

/**
 * Turns rollups into samples a trend can draw: each bucket's average at its middle — or, for
 * an on/off point, its last state, since "0.7 running" means nothing on a state axis. A bucket
 * with no usable sample is a gap (bad); one where some samples were bad is uncertain.
 */
export function rollupsToSamples(rollups: readonly Rollup[]): Sample[] {
  return rollups.map((r) => {
    const ts = r.ts + Math.floor(r.width / 2);
    if (typeof r.last === 'boolean') return { ts, value: r.last, quality: r.lastQuality };
    if (r.numeric === 0 || r.avg === null) return { ts, value: null, quality: 'bad' };
    return { ts, value: r.avg, quality: r.bad > 0 ? 'uncertain' : 'good' };
  });
}
