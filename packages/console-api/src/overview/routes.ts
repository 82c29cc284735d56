import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { OverviewKpis, OverviewMap, OverviewQuery } from './schemas.js';
import type { OverviewService } from './service.js';

export interface OverviewRoutesOptions {
  access: Access;
  overview: OverviewService;
}

const tags = ['overview'];

/**
 * `/api/v1/overview` (KPIs) and `/api/v1/overview/map` (the network drawing): the city overview,
 * the console's landing page (issue 8). Read-only, every role. The map is the same for every
 * project (it is the server's config) and carries no values; the KPIs count only the caller's
 * project's alarms.
 */
export const overviewRoutes: FastifyPluginCallbackTypebox<OverviewRoutesOptions> = (app, opts, done) => {
  const { access, overview } = opts;

  app.get(
    '/overview',
    {
      schema: {
        summary: 'City overview KPIs: supply today, pressure and quality compliance, alarms, completeness',
        tags,
        querystring: OverviewQuery,
        response: { 200: OverviewKpis, ...errorResponses },
      },
    },
    async (req, reply) => {
      const project = access.project(req);
      // Aggregates of live data: a wall display asks every few seconds; never cache them.
      void reply.header('cache-control', 'no-store');
      return overview.kpis(project === '*' ? undefined : project);
    },
  );

  app.get(
    '/overview/map',
    {
      schema: {
        summary: 'The network drawing of the overview: simplified pipes, sources, tanks, pumps and sites',
        description:
          'Planar coordinates of the EPANET models (not WGS84), each district scaled and laid out side by side. Sent with an ETag; If-None-Match answers 304.',
        tags,
        response: { 200: OverviewMap, 304: { type: 'null', description: 'unchanged' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const doc = overview.map();
      // Revalidated on every load (the config may change on restart), answered 304 when unchanged
      // (RFC 9110 §13.1.2: If-None-Match is a list of tags or `*`, compared weakly).
      void reply.header('etag', doc.etag).header('cache-control', 'no-cache');
      if (matches(req.headers['if-none-match'], doc.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(doc.json);
    },
  );

  done();
};

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}
