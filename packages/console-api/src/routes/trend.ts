import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Errors, type Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import { errorResponses, PointParams, TrendBody, TrendQueryParams } from '../schemas.js';
import { resolveRange } from '../time.js';

/**
 * A chart-ready line of one point: `/api/v1/points/:id/trend`. The store picks the tier for the
 * range (raw, 1-minute or 1-hour rollups) and keeps at most `points` values, min/max-preserving
 * or LTTB, with gaps as `null` — so a year costs what an hour costs, and an outage shows as a
 * break in the line instead of a straight segment across it.
 */
export const trendRoutes: FastifyPluginCallbackTypebox<{ store: Store; clock: Clock }> = (
  app,
  { store, clock },
  done,
) => {
  app.get(
    '/points/:id/trend',
    {
      schema: {
        summary: 'A downsampled line of a point for a chart, from the tier that fits the range',
        tags: ['points'],
        params: PointParams,
        querystring: TrendQueryParams,
        response: { 200: TrendBody, ...errorResponses },
      },
    },
    async (req): Promise<TrendBody> => {
      const { id } = req.params;
      const { from, to } = resolveRange(req.query, clock.now());
      if (!(await store.getPoint(id))) throw Errors.NOT_FOUND.create(['point', id]);
      const { points = 1000, method = 'minmax', maxGapMs } = req.query;
      const r = await store.trend(id, {
        from,
        to,
        points,
        method,
        ...(maxGapMs !== undefined ? { maxGapMs } : {}),
      });
      return { point: r.point, from, to, tier: r.tier, method, points: r.points };
    },
  );
  done();
};
