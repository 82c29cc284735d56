import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Errors, type Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import { toSample } from '../samples.js';
import { errorResponses, PointParams, SeriesBody, SeriesQuery } from '../schemas.js';
import { resolveRange } from '../time.js';

export const DEFAULT_SERIES_LIMIT = 10_000;

/** Raw history of one point: `/api/v1/points/:id/series`. */
export const seriesRoutes: FastifyPluginCallbackTypebox<{ store: Store; clock: Clock }> = (
  app,
  { store, clock },
  done,
) => {
  app.get(
    '/points/:id/series',
    {
      schema: {
        summary: 'Samples of a point in a time range (default: the last hour)',
        tags: ['points'],
        params: PointParams,
        querystring: SeriesQuery,
        response: { 200: SeriesBody, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const { from, to } = resolveRange(req.query, clock.now());
      if (!(await store.getPoint(id))) throw Errors.NOT_FOUND.create(['point', id]);
      const rows = await store.series(id, { from, to, limit: req.query.limit ?? DEFAULT_SERIES_LIMIT });
      return { point: id, from, to, samples: rows.map(toSample) };
    },
  );

  done();
};
