import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { DecodeError } from './uplink.js';

/**
 * The configuration channel, console → gateway on `ws/v1/{site}/{node}/mgmt/config`.
 *
 * `version` is a positive integer that only grows: the gateway applies a push only when its
 * version is above the one it runs, so a redelivered or stale push (QoS 1 may repeat; the
 * console should publish the push retained so a gateway that was offline still gets it) is
 * harmless. `checksum` is the lowercase hex SHA-256 of `canonicalJson(config)` (below): it
 * catches a payload mangled on the way or edited by hand without bumping the checksum.
 */
export const ConfigPush = Type.Object(
  {
    v: Type.Literal(1),
    version: Type.Integer({ minimum: 1, description: 'monotonic config version' }),
    checksum: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'hex SHA-256 of canonicalJson(config)',
    }),
    /** The gateway's plant section: `{ devices: [...] }`, validated by the gateway's own schema. */
    config: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type ConfigPush = Static<typeof ConfigPush>;

/** One problem with a pushed config, addressed by its path in `config` (`devices.0.driver`). */
export const MgmtIssue = Type.Object(
  {
    path: Type.String(),
    message: Type.String(),
    code: Type.Optional(Type.String({ description: 'WS_ERR_* code' })),
  },
  { additionalProperties: false },
);
export type MgmtIssue = Static<typeof MgmtIssue>;

/**
 * Gateway → console on `mgmt/ack`, one per push:
 *  - `applied`: the gateway now runs this version (and persisted it);
 *  - `rejected`: the push was refused before anything changed (bad checksum, invalid config,
 *    older version); `errors` say why, by path;
 *  - `rolled-back`: applying failed part-way and the previous version runs again;
 *  - `ignored`: this exact version is already running (a redelivery), nothing to do.
 * `running` is the version the gateway runs after handling the push.
 */
export const ConfigAck = Type.Object(
  {
    v: Type.Literal(1),
    node: Type.String(),
    ts: Type.Integer(),
    version: Type.Integer({ minimum: 0 }),
    result: Type.Union([
      Type.Literal('applied'),
      Type.Literal('rejected'),
      Type.Literal('rolled-back'),
      Type.Literal('ignored'),
    ]),
    running: Type.Integer({ minimum: 0 }),
    code: Type.Optional(Type.String({ description: 'WS_ERR_* code of the main reason' })),
    errors: Type.Optional(Type.Array(MgmtIssue)),
  },
  { additionalProperties: false },
);
export type ConfigAck = Static<typeof ConfigAck>;

/**
 * JSON with object keys sorted (by UTF-16 code units) at every level and no whitespace: the
 * same value always gives the same text, whatever order its keys were written in. For the
 * values a config holds (objects, arrays, strings, finite numbers, booleans, null) this is the
 * JSON Canonicalization Scheme of RFC 8785, since JSON.stringify already prints numbers as
 * ECMAScript does (RFC 8785 §3.2.2.3). `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('canonical JSON has no representation for ' + String(value));
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What `decodeMgmt` needs of a compiled schema (typebox's `Compile` result). */
export interface MgmtValidator<T> {
  Check(value: unknown): value is T;
  Errors(value: unknown): readonly { instancePath: string; message: string }[];
}

/** A decoded payload, or why it is not one; `value` is what parsed, so an id can still be read. */
export type MgmtDecoded<T> = { ok: true; message: T } | { ok: false; value: unknown; errors: DecodeError[] };

/** Parses and validates one management payload against its schema; never throws. */
export function decodeMgmt<T>(validator: MgmtValidator<T>, payload: Uint8Array | string): MgmtDecoded<T> {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      value: undefined,
      errors: [{ path: '', message: `not JSON: ${(err as Error).message}` }],
    };
  }
  if (validator.Check(value)) return { ok: true, message: value };
  return {
    ok: false,
    value,
    errors: validator.Errors(value).map((e) => ({ path: e.instancePath || '/', message: e.message })),
  };
}

const configPushValidator = Compile(ConfigPush);
const configAckValidator = Compile(ConfigAck);

export function decodeConfigPush(payload: Uint8Array | string): MgmtDecoded<ConfigPush> {
  return decodeMgmt(configPushValidator, payload);
}

export function decodeConfigAck(payload: Uint8Array | string): MgmtDecoded<ConfigAck> {
  return decodeMgmt(configAckValidator, payload);
}
