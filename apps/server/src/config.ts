import { BrokerConfig } from '@watershed/mqtt-broker';
import { OidcSettings } from '@watershed/console-api';
import { SinkConfig } from '@watershed/sink-core';
import { Type, type Static } from 'typebox';
import { AlarmsConfig } from './alarms/config.js';
import { OverviewConfig } from './overview/config.js';
import { MetersConfig } from './meters/config.js';
import { AnalyticsConfig } from './analytics/config.js';
import { BridgesConfig } from './bridges/config.js';

export const ServerConfig = Type.Object(
  {
    dataDir: Type.String({ default: './data', description: 'directory for the embedded store' }),
    store: Type.Object(
      {
        retention: Type.Object(
          {
            rawDays: Type.Number({
              exclusiveMinimum: 0,
              default: 30,
              description: 'days raw samples are kept',
            }),
            minuteDays: Type.Number({
              exclusiveMinimum: 0,
              default: 365,
              description: 'days 1-minute rollups are kept',
            }),
            hourDays: Type.Optional(
              Type.Number({
                exclusiveMinimum: 0,
                description: 'days 1-hour rollups are kept; omitted = forever',
              }),
            ),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 1883, description: '0 = any free port' }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'one plain TCP listener, used when there is no broker section; anonymous clients only when host is loopback',
      },
    ),
    // The embedded MQTT broker as `watershed broker -c` reads it — listeners with their
    // authentication chains, users, acl, bans, limits; replaces `mqtt` when present.
    broker: Type.Optional(BrokerConfig),
    api: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: '0 = any free port' }),
      },
      { additionalProperties: false, default: {} },
    ),
    web: Type.Object(
      {
        root: Type.Optional(Type.String({ description: 'built console SPA to serve at /' })),
      },
      { additionalProperties: false, default: {} },
    ),
    rules: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          sql: Type.String({
            minLength: 1,
            description: 'rule SQL, e.g. SELECT … FROM "ws/v1/+/+/+/data" WHERE …',
          }),
          description: Type.Optional(Type.String()),
          enabled: Type.Optional(Type.Boolean()),
          actions: Type.Array(
            Type.Object(
              { type: Type.String({ description: 'republish | console | sink' }) },
              { additionalProperties: true },
            ),
            { default: [] },
          ),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'rules run by the cloud rule engine on every broker message' },
    ),
    sinks: Type.Array(SinkConfig, {
      default: [],
      description:
        'sinks rules write to ({ type: sink, sink: <id> }): http, influx-line, tsdb; each checked against its type schema',
    }),
    console: Type.Object(
      {
        adminPassword: Type.Optional(
          Type.String({
            minLength: 10,
            description:
              "first password of the console's admin user, set when the server starts with no users (it must be changed at first login); random and written to <dataDir>/initial-admin-password when omitted. Env: WATERSHED_CONSOLE__ADMIN_PASSWORD",
          }),
        ),
        // Single sign-on through the utility's OpenID Connect provider; password login stays.
        oidc: Type.Optional(OidcSettings),
      },
      { additionalProperties: false, default: {} },
    ),
    alarms: Type.Optional(AlarmsConfig),
    // The city overview (console landing page): the map's districts and sites, the KPIs' points.
    overview: Type.Optional(OverviewConfig),
    // Vendor meter feeds (NB-IoT platforms over MQTT or HTTP); omitted = vendors a, b and c.
    meters: Type.Optional(MetersConfig),
    // Water analytics: districts (DMA) and their inlets, night window, leak thresholds, GB 5749 points.
    analytics: Type.Optional(AnalyticsConfig),
    // MQTT bridges: remote brokers (a plant's, behind the firewall) whose messages are pulled in here.
    bridges: Type.Optional(BridgesConfig),
    log: Type.Object(
      { level: Type.String({ default: 'info' }) },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type ServerConfig = Static<typeof ServerConfig>;
