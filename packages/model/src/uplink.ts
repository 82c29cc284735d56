import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Name } from './names.js';
import { SampleValue } from './sample.js';

/**
 * One message per group per poll, edge → cloud, on `ws/v1/{site}/{node}/{group}/data`.
 * `values` holds every tag read in the poll; a tag whose read failed has value null and an
 * entry in `errors`; a tag whose quality is not good has an entry in `quality`.
 * `seq` increases by one per message per group, so the cloud can see gaps and duplicates
 * after store-and-forward replay. Shaped after Neuron's `values`/`errors` so consumers adapt.
 */
export const UplinkMessage = Type.Object(
  {
    v: Type.Literal(1),
    node: Name,
    group: Name,
    ts: Type.Integer({ description: 'poll time, ms since the Unix epoch' }),
    seq: Type.Integer({ minimum: 0 }),
    values: Type.Record(Type.String(), SampleValue),
    quality: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Literal('uncertain'), Type.Literal('bad')])),
    ),
    errors: Type.Optional(Type.Record(Type.String(), Type.String({ description: 'WS_ERR_* code' }))),
  },
  { additionalProperties: false },
);
export type UplinkMessage = Static<typeof UplinkMessage>;

const uplinkValidator = Compile(UplinkMessage);

export interface DecodeError {
  path: string;
  message: string;
}

/** Parses and validates an uplink payload; never throws. */
export function decodeUplink(
  payload: Uint8Array | string,
): { ok: true; message: UplinkMessage } | { ok: false; errors: DecodeError[] } {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: `not JSON: ${(err as Error).message}` }] };
  }
  if (uplinkValidator.Check(value)) return { ok: true, message: value };
  return {
    ok: false,
    errors: uplinkValidator.Errors(value).map((e) => ({ path: e.instancePath || '/', message: e.message })),
  };
}

export function encodeUplink(message: UplinkMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}
