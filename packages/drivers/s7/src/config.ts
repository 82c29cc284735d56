/**
 * Configuration schema of the S7 driver module: where the PLC is, how to name the CPU (rack and
 * slot, or TSAPs for CPUs and CPs configured otherwise), and timing. Defaults live here.
 */
import { Type, type Static } from 'typebox';

const ms = (def: number, description: string) =>
  Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000, default: def, description }));

export const S7Config = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'PLC or CP address' }),
    port: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65535,
        default: 102,
        description: 'ISO-on-TCP port (RFC 1006: 102)',
      }),
    ),
    rack: Type.Optional(Type.Integer({ minimum: 0, maximum: 7, default: 0 })),
    slot: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 31,
        default: 1,
        description: 'CPU slot: 2 on S7-300, 1 on S7-1200/1500 (snap7 docs)',
      }),
    ),
    connectionType: Type.Optional(
      Type.Union([Type.Literal('pg'), Type.Literal('op'), Type.Literal('basic')], {
        default: 'pg',
        description: 'PG (programming device), OP (operator panel) or S7 basic connection resource',
      }),
    ),
    localTsap: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 0xffff,
        description: 'calling TSAP; overrides the default 0x0100',
      }),
    ),
    remoteTsap: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 0xffff,
        description: 'called TSAP; overrides connectionType/rack/slot',
      }),
    ),
    pduSize: Type.Optional(
      Type.Integer({
        minimum: 240,
        maximum: 960,
        default: 480,
        description: 'PDU length to negotiate; the PLC may grant less',
      }),
    ),
    maxGap: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 512,
        default: 32,
        description: 'unrequested bytes a read may span to join two tags',
      }),
    ),
    maxItemsPerRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 20 })),
    timeoutMs: ms(3000, 'answer timeout per job and for the connection setup'),
    connectTimeoutMs: ms(3000, 'TCP connect timeout'),
    backoffMinMs: ms(500, 'first reconnect delay'),
    backoffMaxMs: ms(30_000, 'reconnect delay cap'),
  },
  { additionalProperties: false },
);
export type S7Config = Static<typeof S7Config>;

const CONNECTION_TYPE = { pg: 1, op: 2, basic: 3 } as const;

/**
 * The TSAPs of a connection. The called TSAP's high octet is the connection type, the low one
 * rack * 32 + slot (snap7 reference, "Connection" — Cli_SetConnectionParams).
 */
export function tsaps(c: S7Config): { local: number; remote: number } {
  const rack = c.rack ?? 0;
  const slot = c.slot ?? 1;
  return {
    local: c.localTsap ?? 0x0100,
    remote: c.remoteTsap ?? (CONNECTION_TYPE[c.connectionType ?? 'pg'] << 8) | ((rack << 5) | slot),
  };
}
