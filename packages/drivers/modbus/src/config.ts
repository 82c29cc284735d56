/**
 * Configuration schemas of the Modbus driver modules. They validate a device's settings when a
 * config is applied and feed the console's forms; defaults live here, next to their meaning.
 */
import { Type, type Static } from 'typebox';

const ms = (def: number, description: string, minimum = 10) =>
  Type.Optional(Type.Integer({ minimum, maximum: 3_600_000, default: def, description }));

/** Settings every Modbus client has, whatever carries its bytes. */
export const clientSettings = {
  timeoutMs: ms(3000, 'response timeout per request'),
  maxInFlight: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 16,
      default: 1,
      description: 'requests outstanding at once (Modbus TCP only); 1 is kind to PLCs',
    }),
  ),
  maxRegistersPerRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 125, default: 125 })),
  maxBitsPerRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 2000 })),
  maxGap: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 125,
      default: 0,
      description: 'unrequested registers a read may span to join two tags',
    }),
  ),
  retries: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 5,
      default: 0,
      description: 'extra attempts after a read times out',
    }),
  ),
  unitFailThreshold: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 100,
      default: 3,
      description: 'failures in a row that suspend a unit; 0 = never',
    }),
  ),
  unitSuspendMinMs: ms(5000, 'first suspension of a failing unit'),
  unitSuspendMaxMs: ms(60_000, 'suspension cap'),
  backoffMinMs: ms(500, 'first reconnect delay'),
  backoffMaxMs: ms(30_000, 'reconnect delay cap'),
};

export const ClientSettings = Type.Object(clientSettings, { additionalProperties: false });
export type ClientSettings = Static<typeof ClientSettings> & { framing?: 'mbap' | 'rtu' };

export const ModbusTcpConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'device or gateway address' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 502 })),
    framing: Type.Optional(
      Type.Union([Type.Literal('mbap'), Type.Literal('rtu')], {
        default: 'mbap',
        description: 'mbap = Modbus TCP; rtu = RTU frames tunnelled over TCP (serial servers, DTUs)',
      }),
    ),
    connectTimeoutMs: ms(3000, 'TCP connect timeout'),
    ...clientSettings,
  },
  { additionalProperties: false },
);
export type ModbusTcpConfig = Static<typeof ModbusTcpConfig>;

export const ModbusRtuConfig = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'serial device, e.g. /dev/ttyUSB0' }),
    baudRate: Type.Optional(Type.Integer({ minimum: 300, maximum: 921_600, default: 9600 })),
    dataBits: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8 })),
    parity: Type.Optional(
      Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'even' }),
    ),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1 })),
    ...clientSettings,
  },
  { additionalProperties: false },
);
export type ModbusRtuConfig = Static<typeof ModbusRtuConfig>;
