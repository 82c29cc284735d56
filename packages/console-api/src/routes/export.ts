import { Readable } from 'node:stream';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Errors, type Clock } from '@watershed/common';
import { TIER_WIDTH, type RollupTier, type Store } from '@watershed/store';
import { Type } from 'typebox';
import { rollupEncoders, sampleEncoders, type RowEncoder } from '../export-format.js';
import { errorResponses, ExportQuery, PointParams } from '../schemas.js';
import { resolveRange } from '../time.js';

/** Rows read from the store per page while streaming. */
export const EXPORT_PAGE = 5000;

/**
 * `GET /api/v1/points/:id/export`: a point's samples or rollups in a range as CSV or JSON lines,
 * streamed page by page so an export of months never sits in memory, and paced by the client:
 * the next page is read only when the socket has taken the previous one.
 */
export const exportRoutes: FastifyPluginCallbackTypebox<{ store: Store; clock: Clock }> = (
  app,
  { store, clock },
  done,
) => {
  app.get(
    '/points/:id/export',
    {
      schema: {
        summary: 'Download samples or rollups of a point as CSV or JSON lines',
        tags: ['points'],
        params: PointParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'CSV (RFC 4180, with a header line) or JSON lines, streamed',
            content: {
              'text/csv': { schema: Type.String() },
              'application/x-ndjson': { schema: Type.String() },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { from, to } = resolveRange(req.query, clock.now());
      if (!(await store.getPoint(id))) throw Errors.NOT_FOUND.create(['point', id]);
      const format = req.query.format ?? 'csv';
      const bucket = req.query.bucket ?? 'raw';
      const encoder = bucket === 'raw' ? sampleEncoders[format] : rollupEncoders[format];
      const lines =
        bucket === 'raw'
          ? encode(sampleEncoders[format], samplePages(store, id, from, to))
          : encode(rollupEncoders[format], rollupPages(store, id, bucket, from, to));
      const name = `${id}_${bucket}_${new Date(from).toISOString()}_${new Date(to).toISOString()}`;
      // Fastify pipes a stream payload and destroys it (logging the error) if reading fails;
      // the typed reply only knows the schema's string body, hence the cast.
      const body = Readable.from(lines) as unknown as string;
      return reply
        .type(encoder.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${name.replace(/[^\w.-]/g, '_')}.${encoder.extension}"`,
        )
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
  done();
};

async function* encode<T>(
  encoder: RowEncoder<T>,
  pages: AsyncIterable<readonly T[]>,
): AsyncGenerator<string> {
  if (encoder.header) yield encoder.header;
  for await (const page of pages) {
    let chunk = '';
    for (const row of page) chunk += encoder.line(row);
    yield chunk;
  }
}

async function* samplePages(store: Store, id: string, from: number, to: number) {
  for (let cursor = from; cursor <= to;) {
    const page = await store.series(id, { from: cursor, to, limit: EXPORT_PAGE });
    if (page.length > 0) yield page;
    const last = page[page.length - 1];
    if (!last || page.length < EXPORT_PAGE) return;
    cursor = last.ts + 1;
  }
}

async function* rollupPages(store: Store, id: string, tier: RollupTier, from: number, to: number) {
  for (let cursor = from; cursor <= to;) {
    const page = await store.rollups(id, { tier, from: cursor, to, limit: EXPORT_PAGE });
    if (page.length > 0) yield page;
    const last = page[page.length - 1];
    if (!last || page.length < EXPORT_PAGE) return;
    cursor = last.ts + TIER_WIDTH[tier]; // the next bucket; `from` inside a bucket selects that bucket
  }
}
