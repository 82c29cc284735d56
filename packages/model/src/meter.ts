import { Type, type Static } from 'typebox';
import { Name } from './names.js';

/** A customer or district meter, whatever protocol or vendor format it reports in. */
export const Meter = Type.Object(
  {
    id: Type.String({ description: 'meter address or serial number, unique per utility' }),
    site: Type.Optional(Name),
    district: Type.Optional(Name),
    protocol: Type.Union([
      Type.Literal('cjt188'),
      Type.Literal('mqtt-json'),
      Type.Literal('http-json'),
      Type.Literal('modbus'),
    ]),
    vendor: Type.Optional(Type.String()),
    sizeMm: Type.Optional(Type.Number({ description: 'nominal diameter DN in mm' })),
    unit: Type.Union([Type.Literal('m3'), Type.Literal('L')]),
    reportIntervalS: Type.Optional(Type.Integer({ minimum: 1 })),
    installedAt: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type Meter = Static<typeof Meter>;

/** One meter reading normalised from any vendor format. */
export const MeterReading = Type.Object(
  {
    meter: Type.String(),
    ts: Type.Integer(),
    totalM3: Type.Number({ description: 'cumulative volume in cubic metres' }),
    flowM3h: Type.Optional(Type.Number()),
    batteryLow: Type.Optional(Type.Boolean()),
    valveOpen: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MeterReading = Static<typeof MeterReading>;
