import { loadConfig } from '@watershed/common';
import { Type, type Static } from 'typebox';
import { Duration, ScenarioEvent } from './scenario/events.js';
import { RandomEvents } from './scenario/random-events.js';

import { ConcentratorSpec, DistrictSpec, PlantProtocol, StationSpec } from './scenario/city-schema.js';

export { PlantProtocol } from './scenario/city-schema.js';

/**
 * The simulator's configuration, as `watershed sim --config FILE` reads it (YAML, validated with
 * `loadConfig` from `@watershed/common`, overridable by `WATERSHED_…` variables).
 */
export const SimConfigSchema = Type.Object(
  {
    networksDir: Type.Optional(
      Type.String({
        description: 'directory of the .inp network models; default ../shared/data/networks from the repo',
      }),
    ),
    host: Type.String({ default: '127.0.0.1', description: 'address the protocol servers listen on' }),
    modbusPort: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 5020,
      description:
        'Modbus TCP port of the first plant (further plants take the next ports); 0 = any free port',
    }),
    opcuaPort: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 4840,
      description:
        'OPC UA port of the first plant served over OPC UA (further ones take the next ports); 0 = any free port',
    }),
    s7Port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 1102,
      description:
        'ISO-on-TCP port of the first plant served over S7 (further ones take the next ports; a real CPU listens on 102, which needs privileges); 0 = any free port',
    }),
    iec104Port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 2404,
      description:
        'IEC 60870-5-104 port of the first plant served over IEC 104 (further ones take the next ports); 0 = any free port',
    }),
    protocols: Type.Record(Type.String(), PlantProtocol, {
      default: {},
      description:
        "protocol of a plant's PLC by plant id; plants not named speak Modbus TCP (e.g. { ltown-dma: opcua })",
    }),
    opcuaPkiDir: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "certificate store of the OPC UA servers; default watershed-sim-opcua-pki in the OS's temp directory",
      }),
    ),
    speed: Type.Number({
      exclusiveMinimum: 0,
      maximum: 86_400,
      default: 1,
      description: 'simulated seconds per wall-clock second (60 = an hour a minute)',
    }),
    seed: Type.Integer({
      minimum: 0,
      maximum: 4_294_967_295,
      default: 1,
      description: 'seed of the sensor noise',
    }),
    startTime: Type.String({
      pattern: '^([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$',
      default: '00:00',
      description: 'simulated time of day at start, HH:MM or HH:MM:SS',
    }),
    warmupHours: Type.Number({
      minimum: 0,
      maximum: 24 * 30,
      default: 24,
      description: 'hours simulated before serving, so tank levels and chlorine start from a settled state',
    }),
    hydraulicStep: Type.Integer({
      minimum: 1,
      maximum: 3600,
      default: 300,
      description: 'longest hydraulic step in simulated seconds; writes act within one step',
    }),
    plants: Type.Array(Type.String(), {
      default: ['net3-plant'],
      description: 'hand-written plants to serve, by catalog id (net3-plant, ltown-dma)',
    }),
    districts: Type.Array(DistrictSpec, {
      default: [],
      description: 'districts of the city: each one hydraulic run of a network model, side by side',
    }),
    stations: Type.Array(StationSpec, {
      default: [],
      description: 'plants and pump stations built from their equipment lists, each in a district',
    }),
    concentrators: Type.Array(ConcentratorSpec, {
      default: [],
      description: "CJ/T 188 concentrators, each reading a district's household meters over TCP",
    }),
    concentratorPort: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 9101,
      description:
        'TCP port of the first concentrator of `concentrators` (the next ones take the next ports); 0 = any',
    }),
    randomEvents: Type.Optional(RandomEvents),
    events: Type.Array(ScenarioEvent, {
      default: [],
      description: 'scenario: leaks and pump trips injected at simulated times after the start',
    }),
    meters: Type.Optional(
      Type.Object(
        {
          count: Type.Integer({
            minimum: 1,
            maximum: 100_000,
            description: 'household water meters to simulate',
          }),
          concentratorPort: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 65535,
              default: 9001,
              description: 'TCP port of the CJ/T 188 concentrator serving the meters; 0 = any free port',
            }),
          ),
          dailyM3PerMeter: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              maximum: 100,
              default: 0.45,
              description: 'mean use per meter, m³/day',
            }),
          ),
          batteryLowShare: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              default: 0.03,
              description: 'share of meters with a low battery',
            }),
          ),
          firstAddress: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 99_999_999_999_999 - 100_000,
              default: 10_000_001,
              description: 'number of the first meter; the others follow consecutively (14 digits)',
            }),
          ),
          startDate: Type.Optional(
            Type.String({
              pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              default: '2026-01-01',
              description: "calendar date of simulated day 0, for the meters' clocks",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    vendorMeters: Type.Array(
      Type.Object(
        {
          vendor: Type.Union([Type.Literal('a'), Type.Literal('b'), Type.Literal('c')], {
            description:
              'payload shape: a (ISO time, m³), b (epoch s, litres), c (local yyyyMMddHHmmss, 0.001 m³)',
          }),
          count: Type.Integer({ minimum: 1, maximum: 100_000, description: 'meters in this fleet' }),
          transport: Type.Union([Type.Literal('mqtt'), Type.Literal('http')]),
          url: Type.String({
            minLength: 1,
            description: 'broker URL (mqtt://host:1883) or the URL readings are POSTed to',
          }),
          interval: Type.Optional(
            Type.Union([Duration], {
              description: "reporting interval, e.g. 15m, 1h, 1d; default the vendor's (a 15m, b 1h, c 1d)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'NB-IoT meters of three vendors reporting over MQTT or HTTP' },
    ),
    groundTruthFile: Type.Optional(
      Type.String({ description: 'JSON Lines file recording every injected event (appended to)' }),
    ),
    groundTruthPort: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 65535,
        description:
          'port of the ground-truth HTTP endpoint (GET /ground-truth/events, /ground-truth/leaks); 0 = any free port; unset = none',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SimConfig = Static<typeof SimConfigSchema>;

/**
 * Reads a simulator configuration / scenario file (YAML), overlays `WATERSHED_SIM__*` variables
 * (e.g. `WATERSHED_SIM__SPEED=60`), fills defaults and validates; errors name the bad path.
 */
export function loadSimConfig(
  file?: string,
  env: Record<string, string | undefined> = process.env,
): SimConfig {
  return loadConfig({
    schema: SimConfigSchema,
    ...(file !== undefined ? { file } : {}),
    env,
    envPrefix: 'WATERSHED_SIM',
    label: file ?? 'simulator configuration',
  });
}
