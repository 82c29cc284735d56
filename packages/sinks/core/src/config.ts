import { Errors, formatIssues, validate, type ConfigIssue } from '@watershed/common';
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { Value } from 'typebox/value';
import type { SinkType } from './types.js';

/** Ids name a file (`dataDir/sinks/{id}.db`) and a metric label, so they stay plain. */
const SinkId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'unique sink id: letters, digits, _ . - (used by rules: { type: sink, sink: <id> })',
});

export const BatchConfig = Type.Object(
  {
    maxRows: Type.Integer({ minimum: 1, default: 500, description: 'rows per batch at most' }),
    maxDelayMs: Type.Integer({
      minimum: 0,
      default: 200,
      description: 'how long the first row of a batch may wait for others',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const QueueConfig = Type.Object(
  {
    memoryRows: Type.Integer({
      minimum: 0,
      default: 10_000,
      description: 'rows held in memory before spilling to the disk queue',
    }),
    diskMaxBytes: Type.Integer({
      minimum: 0,
      default: 256 * 1024 * 1024,
      description: 'bound on the disk queue (serialised rows); past it new rows are dropped and alarmed',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const RetryConfig = Type.Object(
  {
    initialMs: Type.Integer({ minimum: 1, default: 500, description: 'first retry delay' }),
    maxMs: Type.Integer({ minimum: 1, default: 30_000, description: 'retry delay cap (doubling)' }),
  },
  { additionalProperties: false, default: {} },
);

/** The fields every sink has, whatever its type. */
export const SinkCommonProperties = {
  id: SinkId,
  type: Type.String({ minLength: 1, description: 'sink type: http, influx-line, tsdb …' }),
  batch: BatchConfig,
  queue: QueueConfig,
  retry: RetryConfig,
  closeTimeoutMs: Type.Integer({
    minimum: 0,
    default: 5_000,
    description: 'on shutdown, how long to keep sending before the rest is kept on disk',
  }),
} satisfies TProperties;

/** Common fields only, open to a type's own fields; what a server config's `sinks[]` item is. */
export const SinkConfig = Type.Object(SinkCommonProperties, { additionalProperties: true });
export type SinkCommonConfig = Static<typeof SinkConfig>;

/** A sink's full config: the common fields with defaults filled, plus its type's fields. */
export type SinkConfigOf<C> = SinkCommonConfig & C;

/** What `createSink` accepts: the common fields are optional (defaults apply). */
export type SinkInput<C> = {
  id: string;
  batch?: Partial<SinkCommonConfig['batch']>;
  queue?: Partial<SinkCommonConfig['queue']>;
  retry?: Partial<SinkCommonConfig['retry']>;
  closeTimeoutMs?: number;
} & C;

/**
 * The one schema for a sink of this type: the common fields, `type` fixed to the type's name,
 * and the type's own `configSchema` fields, closed to anything else. Validates server configs,
 * feeds the console's forms and the docs.
 */
export function composeSinkSchema(sinkType: SinkType): TObject {
  const own = sinkType.configSchema as TObject;
  if (own.type !== 'object' || typeof own.properties !== 'object')
    throw new TypeError(`sink type ${sinkType.type}: configSchema must be an object`);
  const ownRequired: readonly string[] = own.required ?? [];
  return Type.Object(
    {
      ...SinkCommonProperties,
      type: Type.Literal(sinkType.type),
      ...Object.fromEntries(
        Object.entries(own.properties).map(([k, s]) => [k, ownRequired.includes(k) ? s : Type.Optional(s)]),
      ),
    },
    { additionalProperties: false, description: sinkType.description },
  );
}

/**
 * Fills defaults and checks one sink config against its composed schema. Issues name their
 * path under `path` (e.g. `sinks.1.url`), as the config loader does.
 */
export function checkSinkConfig(
  sinkType: SinkType,
  raw: unknown,
  path = '',
): { value: Record<string, unknown>; issues: ConfigIssue[] } {
  const schema = composeSinkSchema(sinkType);
  const value = Value.Default(schema, Value.Clone(raw)) as Record<string, unknown>;
  const issues = validate(schema, value).map((i) => ({
    ...i,
    path: path && i.path ? `${path}.${i.path}` : path || i.path,
  }));
  return { value, issues };
}

/** Like checkSinkConfig, but throws WS_ERR_CONFIG_INVALID listing every issue. */
export function parseSinkConfig<C>(
  sinkType: SinkType<C>,
  raw: unknown,
  label = 'sink config',
): SinkConfigOf<C> {
  const { value, issues } = checkSinkConfig(sinkType, raw);
  if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
  return value as SinkConfigOf<C>;
}
