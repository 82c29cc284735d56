import { gzipSync } from 'node:zlib';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { OverviewKpis, OverviewMap, OverviewQuery } from './schemas.js';
import type { OverviewMapDocument, OverviewService } from './service.js';

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
  // The map is a few hundred kB of JSON for the reference city and the same for every request:
  // compressed once per document (it shrinks ~5×), not per request.
  const gzipped = new WeakMap<OverviewMapDocument, Buffer>();
  const gzipOf = (doc: OverviewMapDocument): Buffer => {
    let z = gzipped.get(doc);
    if (!z) gzipped.set(doc, (z = gzipSync(doc.json)));
    return z;
  };

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
      void reply
        .header('etag', doc.etag)
        .header('cache-control', 'no-cache')
        .header('vary', 'accept-encoding');
      // Sent as prepared (serialising a few hundred kB per request is what the cache avoids);
      // the schema above documents it (the server's map builder makes documents of that shape).
      const raw = reply as unknown as FastifyReply;
      // A 304 has no content (RFC 9110 §15.4.5).
      if (matches(req.headers['if-none-match'], doc.etag)) return raw.code(304).send();
      void raw.type('application/json; charset=utf-8');
      if (acceptsGzip(req.headers['accept-encoding']))
        return raw.header('content-encoding', 'gzip').send(gzipOf(doc));
      return raw.send(doc.json);
    },
  );

  done();
};

/** RFC 9110 §12.5.3: gzip is acceptable unless its weight is 0. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((c) => {
    const [coding, ...params] = c.trim().toLowerCase().split(';');
    if (coding!.trim() !== 'gzip' && coding!.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}
