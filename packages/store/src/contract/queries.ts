import { describe, expect, it } from 'vitest';
import type { SampleRow, Store } from '../types.js';
import { good, H, type ContractContext } from './fixtures.js';

const P = 's.n.g.t';
const S = 1000;
const M = 60_000;
const HOUR = 3_600_000;

/** The chart and report queries (TrendQueries, part of Store). */
export function describeQueries(ctx: ContractContext): void {
  describe('trend queries', () => {
    const queries = (): Store => ctx.store;

    /** `n` samples of P every `step` ms from `start`, value f(i), written in calls of 10,000. */
    const write = async (start: number, n: number, step: number, f: (i: number) => SampleRow['value']) => {
      for (let i = 0; i < n; i += 10_000) {
        const rows: SampleRow[] = [];
        for (let j = i; j < Math.min(n, i + 10_000); j++) rows.push(good(P, start + j * step, f(j)));
        await ctx.store.writeSamples(rows);
      }
    };

    it('returns a short raw range whole, numeric values only, with a gap where data is missing', async () => {
      const q = queries();
      await ctx.store.writeSamples([
        good(P, H, 1),
        good(P, H + S, true),
        good(P, H + 2 * S, 'text'),
        { point: P, ts: H + 3 * S, value: 99, quality: 'bad' },
        good(P, H + 4 * S, 4),
        good(P, H + 60 * S, 6),
        good(P, H + 61 * S, 7),
      ]);
      const r = await q.trend(P, { from: H, to: H + 61 * S, points: 100, maxGapMs: 10 * S });
      expect(r.tier).toBe('raw');
      expect(r.points).toEqual([
        { ts: H, value: 1 },
        { ts: H + S, value: 1 },
        { ts: H + 4 * S, value: 4 },
        { ts: H + 4 * S + 1, value: null },
        { ts: H + 60 * S, value: 6 },
        { ts: H + 61 * S, value: 7 },
      ]);
      // Bridged when the caller allows a gap that long.
      const bridged = await q.trend(P, { from: H, to: H + 61 * S, points: 100, maxGapMs: 60 * S });
      expect(bridged.points.map((p) => p.value)).toEqual([1, 1, 4, 6, 7]);
      expect((await q.trend('s.n.g.none', { from: H, to: H + HOUR, points: 10 })).points).toEqual([]);
    });

    it('reads the rollups for a long range and still shows every peak and trough (minmax)', async () => {
      const q = queries();
      // Two days every 10 s: 17,280 samples, a spike and a dip in the middle of the second day.
      const n = 17_280;
      await write(H, n, 10 * S, (i) => (i === 12_345 ? 500 : i === 12_400 ? -500 : Math.sin(i / 100)));
      const to = H + 2 * 24 * HOUR - 1;
      const day = await q.trend(P, { from: H, to, points: 1000 });
      expect(day.tier).toBe('1m');
      expect(day.points.length).toBeLessThanOrEqual(1000);
      const values = day.points.map((p) => p.value);
      expect(values).not.toContain(null);
      expect(Math.max(...(values as number[]))).toBe(500);
      expect(Math.min(...(values as number[]))).toBe(-500);
      const coarse = await q.trend(P, { from: H, to, points: 40 });
      expect(coarse.tier).toBe('1h');
      expect(coarse.points.length).toBeLessThanOrEqual(40);
      expect(Math.max(...coarse.points.map((p) => p.value as number))).toBe(500);
      const ts = coarse.points.map((p) => p.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      // A forced tier is honoured, at any cost.
      const raw = await q.trend(P, { from: H, to, points: 1000, tier: 'raw' });
      expect(raw.tier).toBe('raw');
      expect(raw.points.length).toBeLessThanOrEqual(1000);
      expect(Math.min(...raw.points.map((p) => p.value as number))).toBe(-500);
    });

    it('selects by LTTB: at most `points`, keeping the first and last sample', async () => {
      const q = queries();
      await write(H, 3600, S, (i) => Math.sin(i / 60) * 10);
      const r = await q.trend(P, { from: H, to: H + HOUR - 1, points: 50, method: 'lttb', tier: 'raw' });
      expect(r.points.length).toBe(50);
      expect(r.points[0]).toEqual({ ts: H, value: 0 });
      expect(r.points.at(-1)).toEqual({ ts: H + 3599 * S, value: Math.sin(3599 / 60) * 10 });
    });

    it('marks a missing rollup bucket as a gap', async () => {
      const q = queries();
      // Hours 0-9 and 14-23 of a day, every 30 s; nothing in hours 10-13.
      await write(H, 1200, 30 * S, (i) => i);
      await write(H + 14 * HOUR, 1200, 30 * S, (i) => i);
      const r = await q.trend(P, { from: H, to: H + 24 * HOUR - 1, points: 20 });
      expect(r.tier).toBe('1h');
      const gaps = r.points.filter((p) => p.value === null);
      expect(gaps).toHaveLength(1);
      expect(gaps[0]?.ts).toBeGreaterThan(H + 9 * HOUR);
      expect(gaps[0]?.ts).toBeLessThan(H + 14 * HOUR);
    });

    it('aggregates by bucket from the coarsest exact tier, leaving empty buckets out', async () => {
      const q = queries();
      // Three hours every 10 s, value = minute of the hour; hour 1 has a bad sample, hour 2 none at all.
      await write(H, 360, 10 * S, (i) => Math.floor(i / 6));
      await ctx.store.writeSamples([{ point: P, ts: H + HOUR + 5 * S, value: 1000, quality: 'bad' }]);
      await write(H + 3 * HOUR, 360, 10 * S, (i) => Math.floor(i / 6));

      const quarter = await q.aggregate(P, { from: H, to: H + 4 * HOUR - 1, bucketMs: 15 * M });
      expect(quarter.tier).toBe('1m');
      expect(quarter.buckets.map((b) => (b.ts - H) / (15 * M))).toEqual([0, 1, 2, 3, 4, 12, 13, 14, 15]);
      expect(quarter.buckets[1]).toMatchObject({
        count: 90,
        bad: 0,
        numeric: 90,
        min: 15,
        max: 29,
        avg: 22,
        last: 29,
        lastTs: H + 15 * M + 89 * 10 * S,
        lastQuality: 'good',
      });
      expect(quarter.buckets[4]).toMatchObject({
        count: 1,
        bad: 1,
        numeric: 0,
        min: null,
        avg: null,
        last: 1000,
      });

      // H is 23:00 UTC: the next UTC day holds hours 1 and 3.
      const day = await q.aggregate(P, { from: H + HOUR + 5 * M, to: H + HOUR + 5 * M, bucketMs: 24 * HOUR });
      expect(day.tier).toBe('1h');
      expect(day.buckets).toHaveLength(1);
      expect(day.buckets[0]).toMatchObject({
        ts: H + HOUR,
        count: 361,
        bad: 1,
        numeric: 360,
        min: 0,
        max: 59,
        avg: 29.5,
        last: 59,
      });

      const fine = await q.aggregate(P, { from: H + 25 * S, to: H + 45 * S, bucketMs: 20 * S });
      expect(fine.tier).toBe('raw');
      expect(fine.buckets).toEqual([
        expect.objectContaining({ ts: H + 20 * S, count: 2, min: 0, max: 0, lastTs: H + 30 * S }),
        expect.objectContaining({ ts: H + 40 * S, count: 2, min: 0, max: 0, lastTs: H + 50 * S }),
      ]);
    });

    it('rejects a malformed query with WS_ERR_STORE_INVALID_QUERY', async () => {
      const q = queries();
      await expect(q.trend(P, { from: H, to: H + 1, points: 1 })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_QUERY',
      });
      await expect(q.aggregate(P, { from: H, to: H + 1, bucketMs: 0 })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_QUERY',
      });
    });
  });
}
