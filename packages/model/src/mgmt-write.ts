import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { decodeMgmt, type MgmtDecoded } from './mgmt.js';
import { DataType } from './point.js';
import { SampleValue } from './sample.js';

/**
 * A remote write, console → gateway on `ws/v1/{site}/{node}/mgmt/write`. `point` is the point
 * id `site.node.group.tag`; `value` is in engineering units (the gateway undoes the tag's
 * scale/offset). `deadline` (ms epoch) bounds how stale a command may be when it is carried
 * out: a setpoint meant for now must not be applied minutes later after a reconnect.
 * `id` is the console's request id; a repeated id is answered again, never written twice.
 */
export const WriteRequest = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 1, maxLength: 128 }),
    point: Type.String({ description: 'site.node.group.tag' }),
    value: SampleValue,
    expectedType: Type.Optional(DataType),
    deadline: Type.Integer({ description: 'ms epoch after which the gateway refuses the write' }),
  },
  { additionalProperties: false },
);
export type WriteRequest = Static<typeof WriteRequest>;

/**
 * Gateway → console on `mgmt/write-result`, one per request id. `ok` means written and read
 * back equal within the tag's tolerance; otherwise `code` is a WS_ERR_* code from the catalog.
 * `readBack` is the value read after the write (engineering units), when a read was made.
 */
export const WriteResult = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String(),
    point: Type.String(),
    ok: Type.Boolean(),
    ts: Type.Integer(),
    code: Type.Optional(Type.String({ description: 'WS_ERR_* code when ok is false' })),
    message: Type.Optional(Type.String()),
    readBack: Type.Optional(SampleValue),
  },
  { additionalProperties: false },
);
export type WriteResult = Static<typeof WriteResult>;

const writeRequestValidator = Compile(WriteRequest);
const writeResultValidator = Compile(WriteResult);

export function decodeWriteRequest(payload: Uint8Array | string): MgmtDecoded<WriteRequest> {
  return decodeMgmt(writeRequestValidator, payload);
}

export function decodeWriteResult(payload: Uint8Array | string): MgmtDecoded<WriteResult> {
  return decodeMgmt(writeResultValidator, payload);
}
