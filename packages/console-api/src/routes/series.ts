import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Errors, type Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import { downsampleSamples, mergeRollups } from '../downsample.js';
import { toRollup, toSample } from '../samples.js';
import { errorResponses, PointParams, SeriesBody, SeriesQuery, type Bucket } from '../schemas.js';
import { resolveRange } from '../time.js';

export const DEFAULT_SERIES_LIMIT = 10_000;
/** Raw rows read to feed a downsampled chart; `bucket=auto` keeps raw spans far below it. */
export const DOWNSAMPLE_READ_LIMIT = 500_000;

const RAW_SPAN_MAX = 2 * 3_600_000;
const MINUTE_SPAN_MAX = 7 * 24 * 3_600_000;

const COARSER: Readonly<Record<Bucket, Bucket | undefined>> = { raw: '1m', '1m': '1h', '1h': undefined };

/** The tier `auto` starts from: fine enough to show detail, coarse enough to stay a few thousand rows. */
export function chooseBucket(requested: Bucket | 'auto', from: number, to: number): Bucket {
  if (requested !== 'auto') return requested;
  const span = to - from;
  if (span <= RAW_SPAN_MAX) return 'raw';
  return span <= MINUTE_SPAN_MAX ? '1m' : '1h';
}

/** History of one point, raw or rolled up: `/api/v1/points/:id/series`. */
export const seriesRoutes: FastifyPluginCallbackTypebox<{ store: Store; clock: Clock }> = (
  app,
  { store, clock },
  done,
) => {
  app.get(
    '/points/:id/series',
    {
      schema: {
        summary: 'Samples or rollups of a point in a time range (default: the last hour)',
        tags: ['points'],
        params: PointParams,
        querystring: SeriesQuery,
        response: { 200: SeriesBody, ...errorResponses },
      },
    },
    async (req): Promise<SeriesBody> => {
      const { id } = req.params;
      const { from, to } = resolveRange(req.query, clock.now());
      const { maxPoints } = req.query;
      if (!(await store.getPoint(id))) throw Errors.NOT_FOUND.create(['point', id]);
      const auto = req.query.bucket === 'auto';
      const read = {
        id,
        from,
        to,
        maxPoints,
        limit: maxPoints !== undefined ? DOWNSAMPLE_READ_LIMIT : (req.query.limit ?? DEFAULT_SERIES_LIMIT),
      };
      // `auto` falls back to coarser tiers when a finer one holds nothing for the range, which is
      // what retention leaves behind once raw samples (then minutes) of old ranges are pruned.
      let bucket = chooseBucket(req.query.bucket ?? 'raw', from, to);
      for (;;) {
        const body = await readTier(store, bucket, read);
        const next = auto ? COARSER[bucket] : undefined;
        if (!next || (body.samples ?? body.rollups ?? []).length > 0) return body;
        bucket = next;
      }
    },
  );

  done();
};

interface TierRead {
  id: string;
  from: number;
  to: number;
  limit: number;
  maxPoints: number | undefined;
}

async function readTier(store: Store, bucket: Bucket, r: TierRead): Promise<SeriesBody> {
  const { id, from, to, limit, maxPoints } = r;
  if (bucket === 'raw') {
    const samples = (await store.series(id, { from, to, limit })).map(toSample);
    const out = maxPoints !== undefined ? downsampleSamples(samples, from, to, maxPoints) : samples;
    return { point: id, from, to, bucket, samples: out };
  }
  const rollups = (await store.rollups(id, { tier: bucket, from, to, limit })).map(toRollup);
  const out = maxPoints !== undefined ? mergeRollups(rollups, from, to, maxPoints) : rollups;
  return { point: id, from, to, bucket, rollups: out };
}
