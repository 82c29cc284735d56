import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Errors } from '@watershed/common';
import { Point } from '@watershed/model';
import type { Store } from '@watershed/store';
import { ApiErrors } from '../errors.js';
import { toSample } from '../samples.js';
import {
  errorResponses,
  LatestSample,
  PointFilterQuery,
  PointList,
  PointParams,
  type PointWithLatest,
} from '../schemas.js';

/** Point metadata and newest values: `/api/v1/points`, `/points/:id`, `/points/:id/latest`. */
export const pointRoutes: FastifyPluginCallbackTypebox<{ store: Store }> = (app, { store }, done) => {
  app.get(
    '/points',
    {
      schema: {
        summary: 'List points with their newest sample',
        tags: ['points'],
        querystring: PointFilterQuery,
        response: { 200: PointList, ...errorResponses },
      },
    },
    async (req) => {
      const filter: { site?: string; node?: string } = {};
      if (req.query.site !== undefined) filter.site = req.query.site;
      if (req.query.node !== undefined) filter.node = req.query.node;
      const points = await store.listPoints(filter);
      const latest = await store.latest(points.map((p) => p.id));
      const items = points.map((p): PointWithLatest => {
        const row = latest.get(p.id);
        return row ? { ...p, latest: toSample(row) } : p;
      });
      return { items };
    },
  );

  app.get(
    '/points/:id',
    {
      schema: {
        summary: 'One point',
        tags: ['points'],
        params: PointParams,
        response: { 200: Point, ...errorResponses },
      },
    },
    async (req) => {
      const point = await store.getPoint(req.params.id);
      if (!point) throw Errors.NOT_FOUND.create(['point', req.params.id]);
      return point;
    },
  );

  app.get(
    '/points/:id/latest',
    {
      schema: {
        summary: 'The newest sample of a point',
        tags: ['points'],
        params: PointParams,
        response: { 200: LatestSample, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = (await store.latest([id])).get(id);
      if (row) return { point: id, ...toSample(row) };
      if (!(await store.getPoint(id))) throw Errors.NOT_FOUND.create(['point', id]);
      throw ApiErrors.NO_DATA.create([id]);
    },
  );

  done();
};
