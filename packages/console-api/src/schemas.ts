import { Type, type Static } from 'typebox';
import { Point, Quality, Sample, SampleValue } from '@watershed/model';

/**
 * Response and request shapes of the API, composed from the model's schemas so that the
 * OpenAPI document, the validation and the web client's types all come from one source.
 */

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'stable WS_ERR_* code from the error catalog' }),
    message: Type.String(),
  },
  { description: 'An error from the WS_ERR_* catalog' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Added to every route's responses. */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

export const PointWithLatest = Type.Object(
  { ...Point.properties, latest: Type.Optional(Sample) },
  { additionalProperties: false, description: 'A point and, when it has data, its newest sample' },
);
export type PointWithLatest = Static<typeof PointWithLatest>;

export const PointList = Type.Object({ items: Type.Array(PointWithLatest) });

export const PointParams = Type.Object({ id: Type.String({ description: 'point id, site.node.group.tag' }) });

export const PointFilterQuery = Type.Object({
  site: Type.Optional(Type.String()),
  node: Type.Optional(Type.String()),
});

export const LatestSample = Type.Object(
  { point: Type.String(), ...Sample.properties },
  { additionalProperties: false },
);
export type LatestSample = Static<typeof LatestSample>;

const Instant = Type.String({
  description: 'ms since the Unix epoch, or an ISO-8601 date-time such as 2026-11-27T20:00:00Z',
  examples: ['1764273600000', '2026-11-27T20:00:00Z'],
});

export const Bucket = Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h')]);
export type Bucket = Static<typeof Bucket>;

export const SeriesQuery = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'at most this many samples or buckets, earliest first',
    }),
  ),
  bucket: Type.Optional(
    Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h'), Type.Literal('auto')], {
      default: 'raw',
      description:
        'raw samples, 1-minute or 1-hour rollups, or auto: raw up to 2 h, 1m up to 7 days, 1h ' +
        'beyond, falling back to a coarser tier where retention left the finer one empty',
    }),
  ),
  maxPoints: Type.Optional(
    Type.Integer({
      minimum: 2,
      maximum: 10_000,
      description:
        "downsample for a chart of this many points: raw samples keep each time slice's minimum and " +
        'maximum, rollups merge into wider buckets',
    }),
  ),
});
export type SeriesQuery = Static<typeof SeriesQuery>;

export const TrendQueryParams = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  points: Type.Optional(
    Type.Integer({ minimum: 2, maximum: 10_000, default: 1000, description: 'at most this many values' }),
  ),
  method: Type.Optional(
    Type.Union([Type.Literal('minmax'), Type.Literal('lttb')], {
      default: 'minmax',
      description:
        'minmax keeps the first, lowest, highest and last value of each slice (no peak is lost); ' +
        'lttb (largest triangle three buckets) keeps the visual shape with fewer points',
    }),
  ),
  maxGapMs: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'a longer stretch without data is returned as a gap (null); default: one slice',
    }),
  ),
});
export type TrendQueryParams = Static<typeof TrendQueryParams>;

export const TrendBody = Type.Object({
  point: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  tier: Type.Union([Type.Literal('raw'), Type.Literal('1m'), Type.Literal('1h')], {
    description: 'where the values come from: raw samples or a rollup tier',
  }),
  method: Type.Union([Type.Literal('minmax'), Type.Literal('lttb')]),
  points: Type.Array(
    Type.Object({
      ts: Type.Integer(),
      value: Type.Union([Type.Number(), Type.Null()], { description: 'null marks a gap' }),
    }),
  ),
});
export type TrendBody = Static<typeof TrendBody>;

/** One rollup bucket; min/max/avg cover the `numeric` samples (numbers and booleans, not bad). */
export const Rollup = Type.Object({
  ts: Type.Integer({ description: 'bucket start, ms epoch' }),
  width: Type.Integer({ description: 'bucket width, ms' }),
  count: Type.Integer({ description: 'samples of any value and quality' }),
  bad: Type.Integer({ description: 'samples of quality bad' }),
  numeric: Type.Integer({ description: 'samples in min, max and avg' }),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  avg: Type.Union([Type.Number(), Type.Null()]),
  last: SampleValue,
  lastTs: Type.Integer(),
  lastQuality: Quality,
});
export type Rollup = Static<typeof Rollup>;

export const SeriesBody = Type.Object({
  point: Type.String(),
  from: Type.Integer({ description: 'ms epoch, inclusive' }),
  to: Type.Integer({ description: 'ms epoch, inclusive' }),
  bucket: Bucket,
  samples: Type.Optional(Type.Array(Sample, { description: 'when bucket is raw' })),
  rollups: Type.Optional(Type.Array(Rollup, { description: 'when bucket is 1m or 1h' })),
});
export type SeriesBody = Static<typeof SeriesBody>;

export const ExportQuery = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  format: Type.Optional(
    Type.Union([Type.Literal('csv'), Type.Literal('jsonl')], {
      default: 'csv',
      description: 'CSV or JSON lines',
    }),
  ),
  bucket: Type.Optional(Bucket),
});
export type ExportQuery = Static<typeof ExportQuery>;

/** One sample on the live stream. */
export const LiveSample = Type.Object({
  point: Type.String(),
  ts: Type.Integer(),
  value: SampleValue,
  quality: Quality,
  reason: Type.Optional(Type.String()),
});
export type LiveSample = Static<typeof LiveSample>;

export const LiveQuery = Type.Object({
  points: Type.Optional(Type.String({ description: 'comma-separated point ids; all points when absent' })),
});

export const ComponentHealth = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
export type ComponentHealth = Static<typeof ComponentHealth>;

export const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.Optional(Type.String()),
  components: Type.Record(Type.String(), ComponentHealth),
});
export type HealthBody = Static<typeof HealthBody>;
