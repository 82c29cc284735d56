import { describe, expect, it } from 'vitest';
import type { SampleRow } from '../types.js';
import { good, point, T0, type ContractContext } from './fixtures.js';

/** Sample writes and reads: round-trips, idempotence, ordering, latest, ranges, batching. */
export function describeSamples(ctx: ContractContext): void {
  describe('samples', () => {
    it('round-trips every value type, quality and reason exactly', async () => {
      const values: SampleRow['value'][] = [
        0,
        -1.5,
        1e300,
        -1e-300,
        Number.MAX_SAFE_INTEGER,
        12345678.9,
        true,
        false,
        '',
        'käse ∆ 水',
        '0',
        null,
      ];
      const rows: SampleRow[] = values.map((value, i) => good('s.n.g.t', T0 + i, value));
      rows.push({
        point: 's.n.g.t',
        ts: T0 + 100,
        value: null,
        quality: 'bad',
        reason: 'WS_ERR_MODBUS_TIMEOUT',
      });
      rows.push({ point: 's.n.g.t', ts: T0 + 101, value: 7, quality: 'uncertain', reason: '' });
      rows.push({ point: 's.n.g.t', ts: T0 + 102, value: 'open', quality: 'bad' });
      await ctx.store.writeSamples(rows);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual(rows);
    });

    it('is idempotent on (point, ts): a replay never duplicates and the last write wins', async () => {
      const rows = [good('s.n.g.t', T0, 1), good('s.n.g.t', T0 + 1000, 2)];
      await ctx.store.writeSamples(rows);
      await ctx.store.writeSamples(rows);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual(rows);
      await ctx.store.writeSamples([{ point: 's.n.g.t', ts: T0 + 1000, value: 3, quality: 'uncertain' }]);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual([
        good('s.n.g.t', T0, 1),
        { point: 's.n.g.t', ts: T0 + 1000, value: 3, quality: 'uncertain' },
      ]);
      expect((await ctx.store.latest(['s.n.g.t'])).get('s.n.g.t')?.value).toBe(3);
    });

    it('keeps the last of duplicates inside one call', async () => {
      await ctx.store.writeSamples([good('s.n.g.t', T0, 1), good('s.n.g.t', T0, 2)]);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 })).toEqual([good('s.n.g.t', T0, 2)]);
    });

    it('returns out-of-order writes in ascending ts', async () => {
      await ctx.store.writeSamples([good('s.n.g.t', T0 + 3000, 3), good('s.n.g.t', T0 + 1000, 1)]);
      await ctx.store.writeSamples([good('s.n.g.t', T0 + 2000, 2), good('s.n.g.t', T0, 0)]);
      expect((await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 3000 })).map((r) => r.value)).toEqual([
        0, 1, 2, 3,
      ]);
    });

    it('keeps the newest ts as latest after late samples, across and within calls', async () => {
      await ctx.store.writeSamples([good('a.n.g.t', T0 + 10_000, 'new')]);
      await ctx.store.writeSamples([good('a.n.g.t', T0, 'late')]);
      await ctx.store.writeSamples([good('b.n.g.t', T0 + 10_000, 'new'), good('b.n.g.t', T0, 'late')]);
      const latest = await ctx.store.latest();
      expect(latest.get('a.n.g.t')).toEqual(good('a.n.g.t', T0 + 10_000, 'new'));
      expect(latest.get('b.n.g.t')).toEqual(good('b.n.g.t', T0 + 10_000, 'new'));
    });

    it('answers latest for chosen ids, omitting unknown ones or ones without data', async () => {
      await ctx.store.upsertPoints([point('s', 'n', 'g', 'declared')]);
      await ctx.store.writeSamples([good('s.n.g.a', T0, 1), good('s.n.g.b', T0 + 5, false)]);
      const m = await ctx.store.latest(['s.n.g.b', 's.n.g.unknown', 's.n.g.declared']);
      expect([...m.keys()]).toEqual(['s.n.g.b']);
      expect(m.get('s.n.g.b')).toEqual(good('s.n.g.b', T0 + 5, false));
      expect([...(await ctx.store.latest()).keys()].sort()).toEqual(['s.n.g.a', 's.n.g.b']);
      expect((await ctx.store.latest([])).size).toBe(0);
    });

    it('treats range bounds as inclusive and honours limit from the earliest', async () => {
      const rows = [0, 1, 2, 3, 4].map((i) => good('s.n.g.t', T0 + i * 1000, i));
      await ctx.store.writeSamples(rows);
      const values = async (from: number, to: number, limit?: number) =>
        (await ctx.store.series('s.n.g.t', limit === undefined ? { from, to } : { from, to, limit })).map(
          (r) => r.value,
        );
      expect(await values(T0 + 1000, T0 + 3000)).toEqual([1, 2, 3]);
      expect(await values(T0 + 1001, T0 + 2999)).toEqual([2]);
      expect(await values(T0 + 2000, T0 + 2000)).toEqual([2]);
      expect(await values(T0, T0 + 4000, 2)).toEqual([0, 1]);
      expect(await values(T0 + 3000, T0 + 1000)).toEqual([]);
      expect(await ctx.store.series('s.n.g.unknown', { from: T0, to: T0 + 4000 })).toEqual([]);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 4000, limit: 0 })).toEqual([]);
    });

    it('batches concurrent writers and settles every one of them', async () => {
      const writers = Array.from({ length: 25 }, (_, w) =>
        ctx.store.writeSamples(
          Array.from({ length: 40 }, (_, i) => good(`s.n.w${w}.t`, T0 + i, w * 1000 + i)),
        ),
      );
      await Promise.all(writers);
      const latest = await ctx.store.latest();
      expect(latest.size).toBe(25);
      expect(latest.get('s.n.w7.t')).toEqual(good('s.n.w7.t', T0 + 39, 7039));
      expect(await ctx.store.series('s.n.w24.t', { from: T0, to: T0 + 100 })).toHaveLength(40);
    });

    it('rejects a call holding an invalid row and writes nothing of it', async () => {
      const bad = [
        good('s.n.g.t', T0, 1),
        { point: 's.n.g.t', ts: 1.5, value: 1, quality: 'good' } as SampleRow,
      ];
      await expect(ctx.store.writeSamples(bad)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_SAMPLE',
      });
      const badQuality = { point: 's.n.g.t', ts: T0, value: 1, quality: 'fine' } as unknown as SampleRow;
      await expect(ctx.store.writeSamples([badQuality])).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_SAMPLE',
      });
      const badValue = { point: 's.n.g.t', ts: T0, value: {}, quality: 'good' } as unknown as SampleRow;
      await expect(ctx.store.writeSamples([badValue])).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_SAMPLE',
      });
      expect(await ctx.store.series('s.n.g.t', { from: 0, to: T0 * 2 })).toEqual([]);
      await ctx.store.writeSamples([]);
    });
  });
}
