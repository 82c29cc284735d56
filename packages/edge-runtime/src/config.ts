import { Type, type Static } from 'typebox';
import { DataType, Name, Quantity } from '@watershed/model';
import { EdgeRuleConfig } from './rules/rule-config.js';

export const TagConfig = Type.Object(
  {
    name: Name,
    address: Type.String({ minLength: 1, description: "driver-specific address, e.g. Modbus '1!400001'" }),
    dataType: DataType,
    /** Engineering value = raw × scale + offset (applied to numbers only). */
    scale: Type.Optional(Type.Number()),
    offset: Type.Optional(Type.Number()),
    /** Absolute deadband: a value that moved less than this since it was last reported is left out. */
    deadband: Type.Optional(Type.Number({ minimum: 0 })),
    unit: Type.Optional(Type.String()),
    quantity: Type.Optional(Quantity),
    description: Type.Optional(Type.String()),
    asset: Type.Optional(Name),
    writable: Type.Optional(Type.Boolean()),
    /**
     * Heartbeat: a value held back by the deadband is still reported once this many seconds
     * passed since it was last reported, so the cloud can tell "unchanged" from "gateway gone".
     * Overrides the group's `maxSilenceS`.
     */
    maxSilenceS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Write limits in engineering units: a remote write outside [min, max] is refused. */
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type TagConfig = Static<typeof TagConfig>;

export const GroupConfig = Type.Object(
  {
    name: Name,
    intervalMs: Type.Integer({ minimum: 10, default: 1000, description: 'poll interval in ms' }),
    /** Default heartbeat of the group's deadbanded tags, seconds; see TagConfig.maxSilenceS. */
    maxSilenceS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    tags: Type.Array(TagConfig, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type GroupConfig = Static<typeof GroupConfig>;

export const DeviceConfig = Type.Object(
  {
    name: Name,
    driver: Type.String({ description: "driver module id, e.g. 'modbus-tcp'" }),
    /** Validated against the driver module's own configSchema at start. */
    config: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
    groups: Type.Array(GroupConfig, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfig>;

/** 256 KiB: well under the 1 MB packet limit common brokers default to (EMQX, HiveMQ CE). */
export const DEFAULT_CATALOG_PART_BYTES = 256 * 1024;

export const UplinkConfig = Type.Object(
  {
    url: Type.String({ default: 'mqtt://127.0.0.1:1883', description: 'broker URL, mqtt:// or mqtts://' }),
    clientId: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    keepaliveS: Type.Integer({ minimum: 0, default: 30 }),
    reconnectMs: Type.Integer({ minimum: 100, default: 2000 }),
    qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
    catalogPartBytes: Type.Optional(
      Type.Integer({
        minimum: 4096,
        default: DEFAULT_CATALOG_PART_BYTES,
        description:
          'bound on each part of the tag catalog announced on mgmt/catalog/{part}; keep it under the broker packet limit',
      }),
    ),
  },
  { additionalProperties: false, default: {} },
);
export type UplinkConfig = Static<typeof UplinkConfig>;

export const BufferConfig = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        description: 'SQLite file of the store-and-forward buffer; omitted = in memory, lost on restart',
      }),
    ),
    maxMessages: Type.Integer({
      minimum: 1,
      default: 1_000_000,
      description: 'oldest are evicted (and counted) past this',
    }),
    replayRatePerS: Type.Integer({
      minimum: 1,
      default: 5000,
      description: 'messages per second sent while a backlog drains',
    }),
    window: Type.Integer({
      minimum: 1,
      maximum: 65_535,
      default: 64,
      description: 'messages in flight awaiting PUBACK',
    }),
  },
  { additionalProperties: false, default: {} },
);
export type BufferConfig = Static<typeof BufferConfig>;

export const MgmtConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'take config pushes and writes from the console over the uplink',
    }),
    stateFile: Type.Optional(
      Type.String({
        description:
          'JSON file keeping the last config applied from the console; default: applied-config.json beside buffer.file; neither = not kept over a restart',
      }),
    ),
    reportIntervalS: Type.Number({
      exclusiveMinimum: 0,
      default: 30,
      description: 'period of mgmt/metrics reports and of mgmt/log tail updates',
    }),
    logLines: Type.Integer({ minimum: 1, maximum: 10_000, default: 200, description: 'log tail ring size' }),
    logLevel: Type.Union(
      [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
      { default: 'warn', description: 'lowest level kept in the log tail' },
    ),
    writeTimeoutMs: Type.Integer({
      minimum: 100,
      default: 5000,
      description: 'bound on one remote write plus its read-back',
    }),
    writeCache: Type.Integer({
      minimum: 1,
      default: 256,
      description: 'recent write request ids remembered, so a repeat is answered, not written again',
    }),
  },
  { additionalProperties: false, default: {} },
);
export type MgmtConfig = Static<typeof MgmtConfig>;

export const EdgeConfig = Type.Object(
  {
    site: Name,
    node: Name,
    uplink: UplinkConfig,
    buffer: BufferConfig,
    mgmt: MgmtConfig,
    devices: Type.Array(DeviceConfig),
    /** Rules run on this gateway's samples (see EdgeRuleConfig). */
    rules: Type.Optional(Type.Array(EdgeRuleConfig)),
  },
  { additionalProperties: false },
);
export type EdgeConfig = Static<typeof EdgeConfig>;

/**
 * What the console pushes on mgmt/config: the plant (devices, their groups and tags, and the
 * edge rules that read them), applied and rolled back as one version. The
 * gateway's identity and link (`site`, `node`, `uplink`, `buffer`, `mgmt`) stay in its local
 * file: a push that could point the uplink elsewhere could also cut the gateway off the console
 * for good, with nobody on site to undo it.
 */
export const PlantConfig = Type.Object(
  {
    devices: Type.Array(DeviceConfig),
    rules: Type.Optional(Type.Array(EdgeRuleConfig)),
  },
  { additionalProperties: false },
);
export type PlantConfig = Static<typeof PlantConfig>;

/** An edge config as written by hand: sections with defaults may be left out (loadConfig fills them). */
export type EdgeConfigInput = Omit<EdgeConfig, 'uplink' | 'buffer' | 'mgmt' | 'devices' | 'rules'> & {
  rules?: EdgeRuleConfig[];
  uplink?: Partial<UplinkConfig>;
  buffer?: Partial<BufferConfig>;
  mgmt?: Partial<MgmtConfig>;
  devices: (Omit<DeviceConfig, 'groups'> & {
    groups: (Omit<GroupConfig, 'intervalMs'> & { intervalMs?: number })[];
  })[];
};
