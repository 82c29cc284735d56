import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Point } from '@watershed/model';
import type { SampleRow, Store } from './types.js';

/**
 * One store under test. `open` may be called again after the previous store is closed and
 * must then reach the same data (that is how the suite checks a restart); `cleanup` removes it.
 */
export interface StoreHarness {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;

export function point(
  site: string,
  node: string,
  group: string,
  tag: string,
  extra: Partial<Point> = {},
): Point {
  return { id: `${site}.${node}.${group}.${tag}`, site, node, group, tag, ...extra };
}

function good(p: string, ts: number, value: SampleRow['value']): SampleRow {
  return { point: p, ts, value, quality: 'good' };
}

/**
 * The behaviour every Store implementation owes its callers. Run it once per adapter:
 * `describeStoreContract('embedded', async () => harness)`.
 */
export function describeStoreContract(name: string, build: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await build();
      store = await harness.open();
    });

    afterEach(async () => {
      await store.close();
      await harness.cleanup();
    });

    describe('points', () => {
      it('upserts, lists by site and node, and gets by id', async () => {
        await store.upsertPoints([
          point('north', 'plant1', 'fast', 'flow', { unit: 'm3/h', quantity: 'flow' }),
          point('north', 'plant2', 'fast', 'level'),
          point('south', 'plant1', 'slow', 'ph'),
        ]);
        expect((await store.listPoints()).map((p) => p.id)).toEqual([
          'north.plant1.fast.flow',
          'north.plant2.fast.level',
          'south.plant1.slow.ph',
        ]);
        expect((await store.listPoints({ site: 'north' })).map((p) => p.id)).toEqual([
          'north.plant1.fast.flow',
          'north.plant2.fast.level',
        ]);
        expect((await store.listPoints({ node: 'plant1' })).map((p) => p.id)).toEqual([
          'north.plant1.fast.flow',
          'south.plant1.slow.ph',
        ]);
        expect(await store.listPoints({ site: 'north', node: 'plant2' })).toEqual([
          point('north', 'plant2', 'fast', 'level'),
        ]);
        expect(await store.getPoint('north.plant1.fast.flow')).toEqual(
          point('north', 'plant1', 'fast', 'flow', { unit: 'm3/h', quantity: 'flow' }),
        );
        expect(await store.getPoint('north.plant1.fast.nope')).toBeUndefined();
      });

      it('replaces metadata on a second upsert', async () => {
        await store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'bar' })]);
        await store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'kPa', name: 'Inlet pressure' })]);
        expect(await store.getPoint('s.n.g.t')).toEqual(
          point('s', 'n', 'g', 't', { unit: 'kPa', name: 'Inlet pressure' }),
        );
        expect(await store.listPoints()).toHaveLength(1);
      });

      it('rejects a point that breaks the schema or whose id is not site.node.group.tag, writing none', async () => {
        const bad = { ...point('s', 'n', 'g', 't'), id: 'other' };
        await expect(store.upsertPoints([point('s', 'n', 'g', 'ok'), bad])).rejects.toMatchObject({
          code: 'WS_ERR_STORE_INVALID_POINT',
        });
        await expect(
          store.upsertPoints([{ ...point('s', 'n', 'g', 'x'), site: 'a/b' }]),
        ).rejects.toMatchObject({
          code: 'WS_ERR_STORE_INVALID_POINT',
        });
        expect(await store.listPoints()).toEqual([]);
      });

      it('lists a point that only samples have named, with the metadata its id carries', async () => {
        await store.writeSamples([good('s.n.g.t', T0, 1), good('not-a-point-id', T0, 2)]);
        expect(await store.listPoints()).toEqual([point('s', 'n', 'g', 't')]);
        expect((await store.latest(['not-a-point-id'])).get('not-a-point-id')?.value).toBe(2);
      });
    });

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
        await store.writeSamples(rows);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual(rows);
      });

      it('is idempotent on (point, ts): a replay never duplicates and the last write wins', async () => {
        const rows = [good('s.n.g.t', T0, 1), good('s.n.g.t', T0 + 1000, 2)];
        await store.writeSamples(rows);
        await store.writeSamples(rows);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual(rows);
        await store.writeSamples([{ point: 's.n.g.t', ts: T0 + 1000, value: 3, quality: 'uncertain' }]);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 1000 })).toEqual([
          good('s.n.g.t', T0, 1),
          { point: 's.n.g.t', ts: T0 + 1000, value: 3, quality: 'uncertain' },
        ]);
        expect((await store.latest(['s.n.g.t'])).get('s.n.g.t')?.value).toBe(3);
      });

      it('keeps the last of duplicates inside one call', async () => {
        await store.writeSamples([good('s.n.g.t', T0, 1), good('s.n.g.t', T0, 2)]);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 })).toEqual([good('s.n.g.t', T0, 2)]);
      });

      it('returns out-of-order writes in ascending ts', async () => {
        await store.writeSamples([good('s.n.g.t', T0 + 3000, 3), good('s.n.g.t', T0 + 1000, 1)]);
        await store.writeSamples([good('s.n.g.t', T0 + 2000, 2), good('s.n.g.t', T0, 0)]);
        expect((await store.series('s.n.g.t', { from: T0, to: T0 + 3000 })).map((r) => r.value)).toEqual([
          0, 1, 2, 3,
        ]);
      });

      it('keeps the newest ts as latest after late samples, across and within calls', async () => {
        await store.writeSamples([good('a.n.g.t', T0 + 10_000, 'new')]);
        await store.writeSamples([good('a.n.g.t', T0, 'late')]);
        await store.writeSamples([good('b.n.g.t', T0 + 10_000, 'new'), good('b.n.g.t', T0, 'late')]);
        const latest = await store.latest();
        expect(latest.get('a.n.g.t')).toEqual(good('a.n.g.t', T0 + 10_000, 'new'));
        expect(latest.get('b.n.g.t')).toEqual(good('b.n.g.t', T0 + 10_000, 'new'));
      });

      it('answers latest for chosen ids, omitting unknown ones or ones without data', async () => {
        await store.upsertPoints([point('s', 'n', 'g', 'declared')]);
        await store.writeSamples([good('s.n.g.a', T0, 1), good('s.n.g.b', T0 + 5, false)]);
        const m = await store.latest(['s.n.g.b', 's.n.g.unknown', 's.n.g.declared']);
        expect([...m.keys()]).toEqual(['s.n.g.b']);
        expect(m.get('s.n.g.b')).toEqual(good('s.n.g.b', T0 + 5, false));
        expect([...(await store.latest()).keys()].sort()).toEqual(['s.n.g.a', 's.n.g.b']);
        expect((await store.latest([])).size).toBe(0);
      });

      it('treats range bounds as inclusive and honours limit from the earliest', async () => {
        const rows = [0, 1, 2, 3, 4].map((i) => good('s.n.g.t', T0 + i * 1000, i));
        await store.writeSamples(rows);
        const values = async (from: number, to: number, limit?: number) =>
          (await store.series('s.n.g.t', limit === undefined ? { from, to } : { from, to, limit })).map(
            (r) => r.value,
          );
        expect(await values(T0 + 1000, T0 + 3000)).toEqual([1, 2, 3]);
        expect(await values(T0 + 1001, T0 + 2999)).toEqual([2]);
        expect(await values(T0 + 2000, T0 + 2000)).toEqual([2]);
        expect(await values(T0, T0 + 4000, 2)).toEqual([0, 1]);
        expect(await values(T0 + 3000, T0 + 1000)).toEqual([]);
        expect(await store.series('s.n.g.unknown', { from: T0, to: T0 + 4000 })).toEqual([]);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 4000, limit: 0 })).toEqual([]);
      });

      it('batches concurrent writers and settles every one of them', async () => {
        const writers = Array.from({ length: 25 }, (_, w) =>
          store.writeSamples(Array.from({ length: 40 }, (_, i) => good(`s.n.w${w}.t`, T0 + i, w * 1000 + i))),
        );
        await Promise.all(writers);
        const latest = await store.latest();
        expect(latest.size).toBe(25);
        expect(latest.get('s.n.w7.t')).toEqual(good('s.n.w7.t', T0 + 39, 7039));
        expect(await store.series('s.n.w24.t', { from: T0, to: T0 + 100 })).toHaveLength(40);
      });

      it('rejects a call holding an invalid row and writes nothing of it', async () => {
        const bad = [
          good('s.n.g.t', T0, 1),
          { point: 's.n.g.t', ts: 1.5, value: 1, quality: 'good' } as SampleRow,
        ];
        await expect(store.writeSamples(bad)).rejects.toMatchObject({ code: 'WS_ERR_STORE_INVALID_SAMPLE' });
        const badQuality = { point: 's.n.g.t', ts: T0, value: 1, quality: 'fine' } as unknown as SampleRow;
        await expect(store.writeSamples([badQuality])).rejects.toMatchObject({
          code: 'WS_ERR_STORE_INVALID_SAMPLE',
        });
        const badValue = { point: 's.n.g.t', ts: T0, value: {}, quality: 'good' } as unknown as SampleRow;
        await expect(store.writeSamples([badValue])).rejects.toMatchObject({
          code: 'WS_ERR_STORE_INVALID_SAMPLE',
        });
        expect(await store.series('s.n.g.t', { from: 0, to: T0 * 2 })).toEqual([]);
        await store.writeSamples([]);
      });
    });

    describe('lifecycle', () => {
      it('keeps points and samples across close and reopen', async () => {
        await store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'bar' })]);
        await store.writeSamples([good('s.n.g.t', T0, 4.5), good('s.n.g.t', T0 + 1, 'x')]);
        await store.close();
        store = await harness.open();
        expect(await store.getPoint('s.n.g.t')).toEqual(point('s', 'n', 'g', 't', { unit: 'bar' }));
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 1 })).toEqual([
          good('s.n.g.t', T0, 4.5),
          good('s.n.g.t', T0 + 1, 'x'),
        ]);
        expect((await store.latest()).get('s.n.g.t')?.value).toBe('x');
        await store.writeSamples([good('s.n.g.t', T0 + 2, 5)]);
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 2 })).toHaveLength(3);
      });

      it('flushes pending writes on close, is idempotent, and rejects use afterwards', async () => {
        const pending = store.writeSamples([good('s.n.g.t', T0, 1)]);
        await store.close();
        await pending;
        await store.close();
        expect(store.health().ok).toBe(false);
        await expect(store.writeSamples([good('s.n.g.t', T0 + 1, 2)])).rejects.toMatchObject({
          code: 'WS_ERR_CLOSED',
        });
        await expect(store.listPoints()).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
        store = await harness.open();
        expect(await store.series('s.n.g.t', { from: T0, to: T0 + 1 })).toEqual([good('s.n.g.t', T0, 1)]);
      });

      it('reports health', () => {
        expect(store.health().ok).toBe(true);
      });
    });
  });
}
