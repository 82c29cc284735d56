import { Type, type Static } from 'typebox';

/** The Influx line-protocol sink's own fields; sink-core adds id, batch, queue, retry. */
export const InfluxLineSinkConfig = Type.Object({
  url: Type.String({
    pattern: '^https?://',
    description: 'server base URL, e.g. http://127.0.0.1:8086 (InfluxDB) or :8428 (VictoriaMetrics)',
  }),
  api: Type.Union([Type.Literal('v2'), Type.Literal('v1')], {
    default: 'v2',
    description: 'v2: POST /api/v2/write?org&bucket; v1: POST /write?db&rp',
  }),
  org: Type.Optional(Type.String({ description: 'v2 organisation' })),
  bucket: Type.Optional(Type.String({ description: 'v2 bucket' })),
  db: Type.Optional(Type.String({ description: 'v1 database' })),
  rp: Type.Optional(Type.String({ description: 'v1 retention policy' })),
  token: Type.Optional(Type.String({ description: 'v2 API token (Authorization: Token …)' })),
  username: Type.Optional(Type.String({ description: 'v1 basic-auth user' })),
  password: Type.Optional(Type.String({ description: 'v1 basic-auth password' })),
  precision: Type.Union([Type.Literal('ns'), Type.Literal('us'), Type.Literal('ms'), Type.Literal('s')], {
    default: 'ms',
    description: 'timestamp precision written and declared to the server',
  }),
  measurement: Type.String({
    minLength: 1,
    default: 'watershed',
    description: 'measurement name, unless measurementField names a row field holding it',
  }),
  measurementField: Type.Optional(Type.String({ minLength: 1 })),
  tags: Type.Array(Type.String({ minLength: 1 }), {
    default: ['point'],
    description: 'row fields written as tags (absent or null ones are left out)',
  }),
  fields: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description: 'row fields written as fields; default every other field of the row',
    }),
  ),
  timeField: Type.String({
    default: 'ts',
    description: 'row field with the time in ms since the epoch; absent: the server stamps the line',
  }),
  timeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
});
export type InfluxLineSinkConfig = Static<typeof InfluxLineSinkConfig>;
