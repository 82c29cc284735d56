import { Type, type Static } from 'typebox';

export const UplinkParams = Type.Object({
  vendor: Type.String({ description: 'vendor id from the server config (`meters.vendors[].id`)' }),
});

export const UplinkQuery = Type.Object({
  access_token: Type.Optional(
    Type.String({ description: 'the vendor token, for platforms that cannot set a header (RFC 6750 §2.3)' }),
  ),
});

export const UplinkBody = Type.Union(
  [
    Type.Object({}, { additionalProperties: true, description: 'one reading in the vendor format' }),
    Type.Array(Type.Unknown(), { description: 'a batch of readings in the vendor format' }),
  ],
  { description: "one reading or an array of readings, in the vendor's own JSON format" },
);

export const UplinkItemError = Type.Object({
  index: Type.Integer({ description: 'position in the batch (0 for a single reading)' }),
  code: Type.String({ description: 'WS_ERR_METER_* code' }),
  message: Type.String(),
});

export const UplinkResult = Type.Object(
  {
    accepted: Type.Integer({ description: 'readings stored' }),
    rejected: Type.Integer({ description: 'readings refused; resending them will not help' }),
    errors: Type.Array(UplinkItemError),
  },
  { description: 'What became of each reading; the accepted ones are durable in the store' },
);
export type UplinkResult = Static<typeof UplinkResult>;

export const MeterView = Type.Object(
  {
    id: Type.String({ description: 'meter address or serial number' }),
    vendor: Type.String(),
    protocol: Type.Union([
      Type.Literal('cjt188'),
      Type.Literal('mqtt-json'),
      Type.Literal('http-json'),
      Type.Literal('modbus'),
    ]),
    district: Type.String(),
    project: Type.String(),
    point: Type.String({ description: 'point holding the register, m³ cumulative' }),
    lastReadingTs: Type.Optional(
      Type.Integer({ description: "newest reading's time (the meter's), ms epoch" }),
    ),
    lastTotalM3: Type.Optional(Type.Number({ description: 'register at the newest reading, m³' })),
    batteryLow: Type.Optional(Type.Boolean()),
    valveOpen: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const MeterList = Type.Object({ items: Type.Array(MeterView) });

export const MeterListQuery = Type.Object({
  district: Type.Optional(Type.String()),
  vendor: Type.Optional(Type.String()),
  project: Type.Optional(Type.String({ description: 'for installation-wide principals: one project only' })),
});

export const MeterParams = Type.Object({ id: Type.String() });

export const MeterReadingsQuery = Type.Object({
  from: Type.Optional(Type.Integer({ description: 'ms epoch; default 7 days before `to`' })),
  to: Type.Optional(Type.Integer({ description: "ms epoch; default the meter's newest reading" })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  project: Type.Optional(Type.String()),
});

export const MeterDetail = Type.Object(
  {
    ...MeterView.properties,
    readings: Type.Array(Type.Object({ ts: Type.Integer(), totalM3: Type.Number() }), {
      description: 'register readings, newest first',
    }),
  },
  { additionalProperties: false },
);
