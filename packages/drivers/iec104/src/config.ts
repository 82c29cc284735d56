/**
 * Configuration schema of the IEC 104 master driver. It validates a device's settings when a
 * config is applied and feeds the console's forms; defaults live here, next to their meaning.
 * Timer and window defaults are those of IEC 60870-5-104 §6.9 and §5.5.
 */
import { Type, type Static } from 'typebox';

const ms = (def: number, description: string, minimum = 10) =>
  Type.Optional(Type.Integer({ minimum, maximum: 3_600_000, default: def, description }));

export const Iec104Config = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'outstation (RTU) address' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 2404 })),
    commonAddress: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65534,
        default: 1,
        description: 'common address of ASDU (station address)',
      }),
    ),
    originatorAddress: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 255,
        default: 0,
        description: 'originator address sent in the COT',
      }),
    ),
    t0Ms: ms(30_000, 't0: connection establishment time-out'),
    t1Ms: ms(15_000, 't1: time-out of sent I-frames and test frames; the link closes on expiry'),
    t2Ms: ms(10_000, 't2: acknowledgement delay for received I-frames (must be below t1)'),
    t3Ms: ms(20_000, 't3: idle time before a TESTFR test frame'),
    k: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 32767,
        default: 12,
        description: 'k: most unacknowledged I-frames sent',
      }),
    ),
    w: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 32767,
        default: 8,
        description: 'w: acknowledge after w received I-frames',
      }),
    ),
    interrogationIntervalMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400_000,
        default: 0,
        description: 'periodic general interrogation; 0 = only after each connect',
      }),
    ),
    counterInterrogation: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'follow each general interrogation with a counter interrogation (C_CI_NA_1) for M_IT points',
      }),
    ),
    clockSyncOnConnect: Type.Optional(
      Type.Boolean({ default: false, description: 'send C_CS_NA_1 with our UTC time after each connect' }),
    ),
    commandTimeoutMs: ms(10_000, 'wait for a command confirmation, and again for its termination'),
    awaitTermination: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'a write completes on activation termination (COT 10); false = on confirmation',
      }),
    ),
    backoffMinMs: ms(1000, 'first reconnect delay'),
    backoffMaxMs: ms(30_000, 'reconnect delay cap'),
  },
  { additionalProperties: false },
);
export type Iec104Config = Static<typeof Iec104Config>;
