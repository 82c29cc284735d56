import type { enSinks } from '../i18n/en-sinks.js';

/**
 * The sink types' config forms, kept in the web (it may not import server code; DESIGN): one
 * field list per type, mirroring each sink package's `configSchema` for what an operator sets
 * by hand. Fields not listed here (PostgreSQL table mappings, MQTT topic mappings, TLS files …)
 * are kept as they are when a sink is edited, and the server validates the whole config anyway.
 */

export type FieldKind =
  | 'text'
  | 'secret'
  | 'number'
  | 'select'
  | 'boolean'
  /** Comma- or line-separated strings → string[]. */
  | 'list'
  /** `Name: value` lines → Record<string, string>. */
  | 'map'
  | 'textarea';

export interface SinkField {
  /** Path in the config, dots for nesting: `url`, `stream.name`, `batch.maxRows`. */
  readonly path: string;
  readonly kind: FieldKind;
  readonly label: keyof typeof enSinks;
  readonly required?: boolean;
  /** The value must match (checked in the browser; the server checks again). */
  readonly pattern?: RegExp;
  readonly min?: number;
  readonly options?: readonly (string | number)[];
  readonly placeholder?: string;
}

export const SINK_TYPES = [
  'http',
  'influx-line',
  'postgres',
  'nats-jetstream',
  'mqtt-bridge',
  'tsdb',
] as const;
export type SinkTypeName = (typeof SINK_TYPES)[number];

const HTTP_URL = /^https?:\/\//;

export const TYPE_FIELDS: Readonly<Record<SinkTypeName, readonly SinkField[]>> = {
  http: [
    {
      path: 'url',
      kind: 'text',
      label: 'sinks.field.url',
      required: true,
      pattern: HTTP_URL,
      placeholder: 'https://scada.example/hook',
    },
    { path: 'method', kind: 'select', label: 'sinks.field.method', options: ['POST', 'PUT', 'PATCH'] },
    { path: 'headers', kind: 'map', label: 'sinks.field.headers', placeholder: 'Authorization: Bearer …' },
    {
      path: 'body',
      kind: 'textarea',
      label: 'sinks.field.body',
      placeholder: '{"point":"${point}","v":${value}}',
    },
    { path: 'contentType', kind: 'text', label: 'sinks.field.contentType' },
    { path: 'timeoutMs', kind: 'number', label: 'sinks.field.timeoutMs', min: 1 },
  ],
  'influx-line': [
    {
      path: 'url',
      kind: 'text',
      label: 'sinks.field.url',
      required: true,
      pattern: HTTP_URL,
      placeholder: 'http://127.0.0.1:8086',
    },
    { path: 'api', kind: 'select', label: 'sinks.field.api', options: ['v2', 'v1'] },
    { path: 'org', kind: 'text', label: 'sinks.field.org' },
    { path: 'bucket', kind: 'text', label: 'sinks.field.bucket' },
    { path: 'token', kind: 'secret', label: 'sinks.field.token' },
    { path: 'db', kind: 'text', label: 'sinks.field.db' },
    { path: 'username', kind: 'text', label: 'sinks.field.username' },
    { path: 'password', kind: 'secret', label: 'sinks.field.password' },
    { path: 'precision', kind: 'select', label: 'sinks.field.precision', options: ['ms', 's', 'us', 'ns'] },
    { path: 'measurement', kind: 'text', label: 'sinks.field.measurement' },
    { path: 'tags', kind: 'list', label: 'sinks.field.tags', placeholder: 'point' },
  ],
  postgres: [
    {
      path: 'connectionString',
      kind: 'secret',
      label: 'sinks.field.connectionString',
      required: true,
      pattern: /^postgres(ql)?:\/\//,
      placeholder: 'postgresql://watershed@db:5432/watershed',
    },
    { path: 'schema', kind: 'text', label: 'sinks.field.schema', pattern: /^[a-z_][a-z0-9_]{0,62}$/ },
    { path: 'partition', kind: 'select', label: 'sinks.field.partition', options: ['week', 'day', 'month'] },
  ],
  'nats-jetstream': [
    {
      path: 'servers',
      kind: 'list',
      label: 'sinks.field.servers',
      required: true,
      placeholder: 'nats://nats-1:4222',
    },
    { path: 'user', kind: 'text', label: 'sinks.field.username' },
    { path: 'pass', kind: 'secret', label: 'sinks.field.password' },
    { path: 'token', kind: 'secret', label: 'sinks.field.token' },
    {
      path: 'stream.name',
      kind: 'text',
      label: 'sinks.field.streamName',
      required: true,
      pattern: /^[^.*>\s/\\]+$/,
    },
    { path: 'stream.storage', kind: 'select', label: 'sinks.field.storage', options: ['file', 'memory'] },
    { path: 'subjectPrefix', kind: 'text', label: 'sinks.field.subjectPrefix' },
    { path: 'topic', kind: 'text', label: 'sinks.field.topic' },
  ],
  'mqtt-bridge': [
    {
      path: 'url',
      kind: 'text',
      label: 'sinks.field.url',
      required: true,
      pattern: /^(mqtt|mqtts|tcp|ssl|tls):\/\//,
      placeholder: 'mqtts://office-broker.example:8883',
    },
    { path: 'clientId', kind: 'text', label: 'sinks.field.clientId', required: true },
    { path: 'protocolVersion', kind: 'select', label: 'sinks.field.protocolVersion', options: [4, 5] },
    { path: 'username', kind: 'text', label: 'sinks.field.username' },
    { path: 'password', kind: 'secret', label: 'sinks.field.password' },
    { path: 'topic', kind: 'text', label: 'sinks.field.topic', placeholder: 'plant7/${point}' },
    { path: 'qos', kind: 'select', label: 'sinks.field.qos', options: [1, 0] },
    { path: 'retain', kind: 'boolean', label: 'sinks.field.retain' },
  ],
  tsdb: [],
};

/** Batching, queue and retry: every type has them (sink-core's common fields). */
export const COMMON_FIELDS: readonly SinkField[] = [
  { path: 'batch.maxRows', kind: 'number', label: 'sinks.field.batchMaxRows', min: 1, placeholder: '500' },
  {
    path: 'batch.maxDelayMs',
    kind: 'number',
    label: 'sinks.field.batchMaxDelayMs',
    min: 0,
    placeholder: '200',
  },
  {
    path: 'queue.memoryRows',
    kind: 'number',
    label: 'sinks.field.queueMemoryRows',
    min: 0,
    placeholder: '10000',
  },
  {
    path: 'queue.diskMaxBytes',
    kind: 'number',
    label: 'sinks.field.queueDiskMaxBytes',
    min: 0,
    placeholder: '268435456',
  },
  {
    path: 'retry.initialMs',
    kind: 'number',
    label: 'sinks.field.retryInitialMs',
    min: 1,
    placeholder: '500',
  },
  { path: 'retry.maxMs', kind: 'number', label: 'sinks.field.retryMaxMs', min: 1, placeholder: '30000' },
  {
    path: 'closeTimeoutMs',
    kind: 'number',
    label: 'sinks.field.closeTimeoutMs',
    min: 0,
    placeholder: '5000',
  },
];

export function isSinkType(t: string): t is SinkTypeName {
  return (SINK_TYPES as readonly string[]).includes(t);
}

/** Every field of a type's form: its own, then the common ones. */
export function fieldsOf(type: string): readonly SinkField[] {
  return [...(isSinkType(type) ? TYPE_FIELDS[type] : []), ...COMMON_FIELDS];
}
