import { describe, expect, it } from 'vitest';
import type { RollupRow, SampleRow } from '../types.js';
import { good, H, type ContractContext } from './fixtures.js';
import { describeQueries } from './queries.js';

const P = 's.n.g.t';
const S = 1000;
const M = 60_000;

type Summary = Pick<
  RollupRow,
  'ts' | 'count' | 'bad' | 'numeric' | 'min' | 'max' | 'avg' | 'last' | 'lastTs'
>;

function summary(r: RollupRow): Summary {
  return {
    ts: r.ts,
    count: r.count,
    bad: r.bad,
    numeric: r.numeric,
    min: r.min,
    max: r.max,
    avg: r.avg,
    last: r.last,
    lastTs: r.lastTs,
  };
}

/** The 1-minute and 1-hour rollups maintained on write, and the trend queries that read them. */
export function describeRollups(ctx: ContractContext): void {
  describe('rollups', () => {
    const minutes = async (from = H, to = H + 3_600_000) =>
      (await ctx.store.rollups(P, { tier: '1m', from, to })).map(summary);
    const hours = async (from = H, to = H + 3_600_000) =>
      (await ctx.store.rollups(P, { tier: '1h', from, to })).map(summary);

    it('aggregates count, bad, min, max, avg and last per minute and per hour', async () => {
      const rows: SampleRow[] = [
        good(P, H, 1),
        good(P, H + 10 * S, 5),
        { point: P, ts: H + 20 * S, value: 100, quality: 'bad', reason: 'WS_ERR_RANGE' },
        good(P, H + 30 * S, true),
        good(P, H + 40 * S, 'text'),
        { point: P, ts: H + 50 * S, value: null, quality: 'uncertain' },
        good(P, H + 61 * S, 7),
      ];
      await ctx.store.writeSamples(rows);
      expect(await minutes()).toEqual([
        { ts: H, count: 6, bad: 1, numeric: 3, min: 1, max: 5, avg: 7 / 3, last: null, lastTs: H + 50 * S },
        { ts: H + M, count: 1, bad: 0, numeric: 1, min: 7, max: 7, avg: 7, last: 7, lastTs: H + 61 * S },
      ]);
      expect(await hours()).toEqual([
        { ts: H, count: 7, bad: 1, numeric: 4, min: 1, max: 7, avg: 3.5, last: 7, lastTs: H + 61 * S },
      ]);
      const [row] = await ctx.store.rollups(P, { tier: '1m', from: H, to: H });
      expect(row).toMatchObject({ point: P, tier: '1m', lastQuality: 'uncertain' });
    });

    it('folds late and out-of-order samples in without moving last backwards', async () => {
      await ctx.store.writeSamples([good(P, H + 30 * S, 10)]);
      await ctx.store.writeSamples([good(P, H + 10 * S, 2)]);
      await ctx.store.writeSamples([good(P, H + 50 * S, 4), good(P, H + 40 * S, 20)]);
      const expected = {
        ts: H,
        count: 4,
        bad: 0,
        numeric: 4,
        min: 2,
        max: 20,
        avg: 9,
        last: 4,
        lastTs: H + 50 * S,
      };
      expect(await minutes()).toEqual([expected]);
      expect(await hours()).toEqual([expected]);
    });

    it('ignores identical replays and recomputes buckets whose samples were replaced', async () => {
      const rows = [good(P, H, 1), good(P, H + 10 * S, 5), good(P, H + 70 * S, 3)];
      await ctx.store.writeSamples(rows);
      await ctx.store.writeSamples(rows);
      expect((await minutes()).map((r) => r.count)).toEqual([2, 1]);
      expect((await hours())[0]).toMatchObject({ count: 3, min: 1, max: 5, avg: 3 });

      await ctx.store.writeSamples([good(P, H + 10 * S, 0)]);
      expect((await minutes())[0]).toMatchObject({ count: 2, numeric: 2, min: 0, max: 1, avg: 0.5, last: 0 });
      expect((await hours())[0]).toMatchObject({ count: 3, min: 0, max: 3, avg: 4 / 3, last: 3 });

      await ctx.store.writeSamples([
        { point: P, ts: H + 70 * S, value: null, quality: 'bad', reason: 'timeout' },
      ]);
      expect((await minutes())[1]).toMatchObject({
        count: 1,
        bad: 1,
        numeric: 0,
        min: null,
        max: null,
        avg: null,
      });
      expect((await hours())[0]).toMatchObject({ count: 3, bad: 1, numeric: 2, min: 0, max: 1, last: null });
    });

    it('replaces within one call: the last write of a (point, ts) is the one aggregated', async () => {
      await ctx.store.writeSamples([good(P, H, 1), good(P, H + S, 9), good(P, H, 4)]);
      expect(await minutes()).toEqual([
        { ts: H, count: 2, bad: 0, numeric: 2, min: 4, max: 9, avg: 6.5, last: 9, lastTs: H + S },
      ]);
    });

    it('selects buckets from the one holding `from` up to `to`, with a limit', async () => {
      await ctx.store.writeSamples([0, 1, 2, 3, 4].map((i) => good(P, H + i * M + 5 * S, i)));
      const starts = async (from: number, to: number, limit?: number) =>
        (
          await ctx.store.rollups(
            P,
            limit === undefined ? { tier: '1m', from, to } : { tier: '1m', from, to, limit },
          )
        ).map((r) => (r.ts - H) / M);
      expect(await starts(H + M + 30 * S, H + 3 * M)).toEqual([1, 2, 3]);
      expect(await starts(H, H + 4 * M, 2)).toEqual([0, 1]);
      expect(await starts(H + 3 * M, H + M)).toEqual([]);
      expect(await ctx.store.rollups('s.n.g.unknown', { tier: '1h', from: H, to: H + M })).toEqual([]);
      expect(await hours(H + 30 * M, H + 30 * M)).toHaveLength(1);
    });

    it('keeps rollups across a restart and goes on folding into them', async () => {
      await ctx.store.writeSamples([good(P, H, 2)]);
      await ctx.reopen();
      await ctx.store.writeSamples([good(P, H + S, 4)]);
      expect((await minutes())[0]).toMatchObject({ count: 2, min: 2, max: 4, avg: 3, last: 4 });
    });
  });
  describeQueries(ctx);
}
