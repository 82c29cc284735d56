/**
 * Configuration of the cjt188 driver module: one concentrator or transparent DTU on TCP and the
 * meters behind it. Defaults live here, next to their meaning; the schema feeds validation and
 * the console's forms.
 */
import { Type, type Static } from 'typebox';

const ms = (def: number, description: string, minimum = 10) =>
  Type.Optional(Type.Integer({ minimum, maximum: 3_600_000, default: def, description }));

export const Cjt188Config = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'concentrator or DTU address' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port of the concentrator / DTU' }),
    meterType: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 255,
        default: 0x10,
        description: 'meter type T: 16 (10H) cold water, 17 (11H) hot water, 48 (30H) gas …',
      }),
    ),
    timeoutMs: ms(2000, 'answer timeout per request (a 2400 bit/s bus needs ~150 ms for a 901FH answer)'),
    retries: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 5, default: 1, description: 'extra attempts after a timeout' }),
    ),
    preamble: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 8,
        default: 2,
        description: 'FEH wake-up bytes before each frame',
      }),
    ),
    connectTimeoutMs: ms(3000, 'TCP connect timeout'),
    meterFailThreshold: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        default: 3,
        description: 'failed requests in a row that suspend a meter; 0 = never',
      }),
    ),
    meterSuspendMinMs: ms(10_000, 'first suspension of a silent meter'),
    meterSuspendMaxMs: ms(600_000, 'suspension cap'),
    backoffMinMs: ms(500, 'first reconnect delay'),
    backoffMaxMs: ms(30_000, 'reconnect delay cap'),
  },
  { additionalProperties: false },
);
export type Cjt188Config = Static<typeof Cjt188Config>;
