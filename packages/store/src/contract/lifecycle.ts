import { describe, expect, it } from 'vitest';
import { good, point, T0, type ContractContext } from './fixtures.js';

/** Restart, close and health. */
export function describeLifecycle(ctx: ContractContext): void {
  describe('lifecycle', () => {
    it('keeps points and samples across close and reopen', async () => {
      await ctx.store.upsertPoints([point('s', 'n', 'g', 't', { unit: 'bar' })]);
      await ctx.store.writeSamples([good('s.n.g.t', T0, 4.5), good('s.n.g.t', T0 + 1, 'x')]);
      await ctx.store.close();
      await ctx.reopen();
      expect(await ctx.store.getPoint('s.n.g.t')).toEqual(point('s', 'n', 'g', 't', { unit: 'bar' }));
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 1 })).toEqual([
        good('s.n.g.t', T0, 4.5),
        good('s.n.g.t', T0 + 1, 'x'),
      ]);
      expect((await ctx.store.latest()).get('s.n.g.t')?.value).toBe('x');
      await ctx.store.writeSamples([good('s.n.g.t', T0 + 2, 5)]);
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 2 })).toHaveLength(3);
    });

    it('flushes pending writes on close, is idempotent, and rejects use afterwards', async () => {
      const pending = ctx.store.writeSamples([good('s.n.g.t', T0, 1)]);
      await ctx.store.close();
      await pending;
      await ctx.store.close();
      expect(ctx.store.health().ok).toBe(false);
      await expect(ctx.store.writeSamples([good('s.n.g.t', T0 + 1, 2)])).rejects.toMatchObject({
        code: 'WS_ERR_CLOSED',
      });
      await expect(ctx.store.listPoints()).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
      await ctx.reopen();
      expect(await ctx.store.series('s.n.g.t', { from: T0, to: T0 + 1 })).toEqual([good('s.n.g.t', T0, 1)]);
    });

    it('reports health', () => {
      expect(ctx.store.health().ok).toBe(true);
    });
  });
}
