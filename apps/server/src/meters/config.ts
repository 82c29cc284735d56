import { Name } from '@watershed/model';
import { Type, type Static } from 'typebox';

const FieldPath = Type.String({
  minLength: 1,
  pattern: '^[^.]+(\\.[^.]+)*$',
  description: 'dotted path into the JSON payload, e.g. data.totalFlow (array items by index: items.0.v)',
});

export const TimeSpec = Type.Object(
  {
    path: FieldPath,
    format: Type.String({
      minLength: 1,
      description:
        "iso8601 | epoch-s | epoch-ms | a pattern of yyyy MM dd HH mm ss (SSS) and literal separators, e.g. 'yyyyMMddHHmmss' or 'yyyy-MM-dd HH:mm:ss'",
    }),
    utcOffset: Type.Optional(
      Type.String({
        pattern: '^[+-](0\\d|1[0-4]):[0-5]\\d$',
        description: "zone of times written without one, e.g. '+08:00'; default '+00:00'",
      }),
    ),
  },
  { additionalProperties: false },
);
export type TimeSpec = Static<typeof TimeSpec>;

export const NumberSpec = Type.Object(
  {
    path: FieldPath,
    scale: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'factor to the target unit: 0.001 for litres (or 0.001 m³ counts) to m³; default 1',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NumberSpec = Static<typeof NumberSpec>;

/** How a status flag is read: a boolean field, a value map, a bit of a status word, or a threshold. */
export const FlagSpec = Type.Union([
  Type.Object({ path: FieldPath }, { additionalProperties: false }),
  Type.Object(
    {
      path: FieldPath,
      map: Type.Record(Type.String(), Type.Boolean(), {
        description: 'value (as text) → flag; any other value is refused',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      path: FieldPath,
      mask: Type.Integer({ minimum: 1, description: 'bit(s) of an integer status word' }),
      whenSet: Type.Boolean({ description: 'the flag when any masked bit is set' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      path: FieldPath,
      below: Type.Number({ description: 'the flag is true when the number is below this' }),
    },
    { additionalProperties: false },
  ),
]);
export type FlagSpec = Static<typeof FlagSpec>;

/** A vendor format as configuration: where the id, time, register and flags are, and in what units. */
export const JsonDecoderSpec = Type.Object(
  {
    type: Type.Literal('json'),
    id: FieldPath,
    time: TimeSpec,
    total: NumberSpec,
    flow: Type.Optional(NumberSpec),
    batteryLow: Type.Optional(FlagSpec),
    valveOpen: Type.Optional(FlagSpec),
  },
  { additionalProperties: false },
);
export type JsonDecoderSpec = Static<typeof JsonDecoderSpec>;

export const DecoderConfig = Type.Union(
  [Type.Literal('vendor-a'), Type.Literal('vendor-b'), Type.Literal('vendor-c'), JsonDecoderSpec],
  { description: 'a built-in vendor format, or a generic JSON decoder ({ type: json, id, time, total, … })' },
);
export type DecoderConfig = Static<typeof DecoderConfig>;

export const DistrictMapping = Type.Union(
  [
    Type.Object({ from: Type.Literal('static'), district: Name }, { additionalProperties: false }),
    Type.Object(
      {
        from: Type.Literal('payload'),
        path: FieldPath,
        fallback: Type.Optional(Name),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        from: Type.Literal('registry'),
        assignments: Type.Optional(
          Type.Record(Type.String(), Name, { description: 'meter id → district, ahead of first sight' }),
        ),
        fallback: Type.Optional(Name),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      "the district a meter's points go under: static, from a payload field, or the registry (config assignments, else the district the meter was first registered in, else fallback)",
  },
);
export type DistrictMapping = Static<typeof DistrictMapping>;

export const VendorTransport = Type.Union([
  Type.Object(
    {
      type: Type.Literal('mqtt'),
      topic: Type.String({
        minLength: 1,
        description: "topic filter on the platform broker, e.g. 'vendor-a/+/up'",
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('http'),
      tokens: Type.Array(Type.String({ minLength: 16 }), {
        default: [],
        description:
          'bearer tokens the vendor platform may POST with (Authorization: Bearer, or ?access_token=); several for rotation; none = every POST refused',
      }),
      maxBatch: Type.Integer({
        minimum: 1,
        maximum: 10_000,
        default: 1000,
        description: 'readings per POST',
      }),
    },
    { additionalProperties: false },
  ),
]);
export type VendorTransport = Static<typeof VendorTransport>;

export const MeterVendorConfig = Type.Object(
  {
    id: Name,
    name: Type.Optional(Type.String()),
    project: Type.String({
      minLength: 1,
      default: 'default/default',
      description: 'project the meters belong to',
    }),
    transport: VendorTransport,
    decoder: DecoderConfig,
    district: DistrictMapping,
  },
  { additionalProperties: false },
);
export type MeterVendorConfig = Static<typeof MeterVendorConfig>;

/**
 * The three NB-IoT vendors the simulator runs, ready to receive: A and B publish on the
 * platform broker, C POSTs to /api/v1/meters/uplink/c once a token is configured. Their meters
 * carry no district, so they land in `unassigned` until `assignments` (or a district mapping of
 * the operator's choosing) place them.
 */
export const DEFAULT_METER_VENDORS: MeterVendorConfig[] = [
  {
    id: 'a',
    name: 'Vendor A (NB-IoT, MQTT)',
    project: 'default/default',
    transport: { type: 'mqtt', topic: 'vendor-a/meters/+/up' },
    decoder: 'vendor-a',
    district: { from: 'registry', fallback: 'unassigned' },
  },
  {
    id: 'b',
    name: 'Vendor B (NB-IoT, MQTT)',
    project: 'default/default',
    transport: { type: 'mqtt', topic: 'vendorb/uplink/+' },
    decoder: 'vendor-b',
    district: { from: 'registry', fallback: 'unassigned' },
  },
  {
    id: 'c',
    name: 'Vendor C (NB-IoT, HTTP)',
    project: 'default/default',
    transport: { type: 'http', tokens: [], maxBatch: 1000 },
    decoder: 'vendor-c',
    district: { from: 'registry', fallback: 'unassigned' },
  },
];

/** The server's `meters:` section. */
export const MetersConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    vendors: Type.Array(MeterVendorConfig, {
      default: DEFAULT_METER_VENDORS,
      description: 'NB-IoT / vendor-platform meter feeds; default the three simulated vendors a, b, c',
    }),
    bodyLimitBytes: Type.Integer({
      minimum: 1024,
      maximum: 64 * 1024 * 1024,
      default: 1024 * 1024,
      description: 'largest HTTP uplink body accepted (413 beyond)',
    }),
  },
  { additionalProperties: false, default: {} },
);
export type MetersConfig = Static<typeof MetersConfig>;
