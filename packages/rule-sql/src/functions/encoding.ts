import { createHash, randomUUID } from 'node:crypto';
import { EvalFault } from '../errors.js';
import { requireInt, requireString, show, typeName } from '../values.js';
import { scalar, type FunctionTable } from './registry.js';

/**
 * Bit operations, base64/hex and hashes. Bit operations use BigInt so values beyond 32 bits keep
 * their meaning (EMQX integers are arbitrary precision; JS `&` would truncate to int32).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bytesOf(v: unknown, what: string): Buffer {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (v instanceof Uint8Array) return Buffer.from(v);
  throw new EvalFault(`${what} expects a string or binary, got ${typeName(v)} ${show(v)}`);
}

/** Decoded bytes as text when they are UTF-8, else as a Uint8Array (binary stays binary). */
function fromBytes(b: Uint8Array): string | Uint8Array {
  try {
    return utf8.decode(b);
  } catch {
    return new Uint8Array(b);
  }
}

function big(v: unknown, what: string): bigint {
  return BigInt(requireInt(v, what));
}

function num(b: bigint, what: string): number {
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw new EvalFault(`${what}: result ${b} exceeds the safe integer range`);
  return n;
}

function bits(name: string, f: (a: bigint, b: bigint) => bigint) {
  return scalar(2, 2, ['number', 'number'], 'number', ([a, b]) => num(f(big(a, name), big(b, name)), name));
}

function hash(algorithm: string) {
  return scalar(1, 1, ['string'], 'string', ([v]) =>
    createHash(algorithm).update(bytesOf(v, algorithm)).digest('hex'),
  );
}

export const encodingFunctions: FunctionTable = {
  bitand: bits('bitand', (a, b) => a & b),
  bitor: bits('bitor', (a, b) => a | b),
  bitxor: bits('bitxor', (a, b) => a ^ b),
  bitnot: scalar(1, 1, ['number'], 'number', ([a]) => num(~big(a, 'bitnot'), 'bitnot')),
  bitsl: bits('bitsl', (a, n) => a << n),
  bitsr: bits('bitsr', (a, n) => a >> n),
  base64_encode: scalar(1, 1, ['string'], 'string', ([v]) => bytesOf(v, 'base64_encode').toString('base64')),
  base64_decode: scalar(1, 1, ['string'], 'any', ([v]) => {
    const s = requireString(v, 'base64_decode');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1)
      throw new EvalFault(`base64_decode: not base64 ${show(s)}`);
    return fromBytes(Buffer.from(s, 'base64'));
  }),
  /** EMQX renders hex in upper case. */
  bin2hexstr: scalar(1, 1, ['string'], 'string', ([v]) =>
    bytesOf(v, 'bin2hexstr').toString('hex').toUpperCase(),
  ),
  hexstr2bin: scalar(1, 1, ['string'], 'any', ([v]) => {
    const s = requireString(v, 'hexstr2bin');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(s))
      throw new EvalFault(`hexstr2bin: not an even-length hex string ${show(s)}`);
    return fromBytes(Buffer.from(s, 'hex'));
  }),
  md5: hash('md5'),
  sha: hash('sha1'),
  sha256: hash('sha256'),
  uuid_v4: scalar(0, 0, [], 'string', () => randomUUID()),
  uuid_v4_no_hyphen: scalar(0, 0, [], 'string', () => randomUUID().replaceAll('-', '')),
};
