import { describe, expect, it } from 'vitest';
import { good, point, T0, type ContractContext } from './fixtures.js';

/** Point metadata: upsert, list, get, validation, implied points. */
export function describePoints(ctx: ContractContext): void {
  describe('points', () => {
    it('upserts, lists by site and node, and gets by id', async () => {
      await ctx.store.upsertPoints([
        point('north', 'plant1', 'fast', 'flow', { unit: 'm3/h', quantity: 'flow' }),
        point('north', 'plant2', 'fast', 'level'),
        point('south', 'plant1', 'slow', 'ph'),
      ]);
      expect((await ctx.store.listPoints()).map((p) => p.id)).toEqual([
        'north.plant1.fast.flow',
        'north.plant2.fast.level',
        'south.plant1.slow.ph',
      ]);
      expect((await ctx.store.listPoints({ site: 'north' })).map((p) => p.id)).toEqual([
        'north.plant1.fast.flow',
        'north.plant2.fast.level',
      ]);
      expect((await ctx.store.listPoints({ node: 'plant1' })).map((p) => p.id)).toEqual([
        'north.plant1.fast.flow',
        'south.plant1.slow.ph',
      ]);
      expect(await ctx.store.listPoints({ site: 'north', node: 'plant2' })).toEqual([
        point('north', 'plant2', 'fast', 'level'),
      ]);
      expect(await ctx.store.getPoint('north.plant1.fast.flow')).toEqual(
        point('north', 'plant1', 'fast', 'flow', { unit: 'm3/h', quantity: 'flow' }),
      );
      expect(await ctx.store.getPoint('north.plant1.fast.nope')).toBeUndefined();
    });

    it('replaces metadata on a second upsert', async () => {
      await ctx.store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'bar' })]);
      await ctx.store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'kPa', name: 'Inlet pressure' })]);
      expect(await ctx.store.getPoint('s.n.g.t')).toEqual(
        point('s', 'n', 'g', 't', { unit: 'kPa', name: 'Inlet pressure' }),
      );
      expect(await ctx.store.listPoints()).toHaveLength(1);
    });

    it('rejects a point that breaks the schema or whose id is not site.node.group.tag, writing none', async () => {
      const bad = { ...point('s', 'n', 'g', 't'), id: 'other' };
      await expect(ctx.store.upsertPoints([point('s', 'n', 'g', 'ok'), bad])).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_POINT',
      });
      await expect(
        ctx.store.upsertPoints([{ ...point('s', 'n', 'g', 'x'), site: 'a/b' }]),
      ).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_POINT',
      });
      expect(await ctx.store.listPoints()).toEqual([]);
    });

    it('lists a point that only samples have named, with the metadata its id carries', async () => {
      await ctx.store.writeSamples([good('s.n.g.t', T0, 1), good('not-a-point-id', T0, 2)]);
      expect(await ctx.store.listPoints()).toEqual([point('s', 'n', 'g', 't')]);
      expect((await ctx.store.latest(['not-a-point-id'])).get('not-a-point-id')?.value).toBe(2);
    });
  });
}
