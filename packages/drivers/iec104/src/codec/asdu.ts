/**
 * ASDU encoding with the IEC 60870-5-104 §7 parameters: type identification (1 octet), variable
 * structure qualifier (1), cause of transmission (2: cause, P/N and T bits, originator address),
 * common address (2) and information object addresses of 3 octets (IEC 60870-5-101 §7.2.1–7.2.5).
 *
 *   VSQ (101 §7.2.2)  bits 1–7 number of objects, bit 8 SQ: 0 = each object has its own IOA,
 *                     1 = one IOA for the first object and the next ones follow at IOA+1, IOA+2 …
 *   COT (101 §7.2.3)  bits 1–6 cause, bit 7 P/N (1 = negative confirmation), bit 8 T (test)
 */
import { MAX_ASDU_LENGTH, hex } from './apci.js';
import { ELEMENTS, type InfoObject } from './elements.js';
import { typeName } from './types.js';
import { Iec104Errors } from '../errors.js';

export const HEADER_LENGTH = 6;
export const IOA_LENGTH = 3;
export const MAX_IOA = 0xffffff;
export const MAX_OBJECTS = 127;

export interface Asdu {
  typeId: number;
  /** SQ bit: objects are consecutive and share one IOA on the wire. */
  sequence?: boolean;
  cot: number;
  /** P/N bit: a negative confirmation. */
  negative?: boolean;
  /** T bit: test, not for processing. */
  test?: boolean;
  originator?: number;
  commonAddress: number;
  objects: InfoObject[];
}

export interface DecodedAsdu extends Asdu {
  /** False when the type id is not one this codec knows; `objects` is then empty. */
  supported: boolean;
}

/** Octets of one ASDU of this type with `count` objects; undefined for an unknown type. */
export function asduLength(typeId: number, count: number, sequence = false): number | undefined {
  const e = ELEMENTS.get(typeId);
  if (!e) return undefined;
  return HEADER_LENGTH + (sequence ? IOA_LENGTH + count * e.size : count * (IOA_LENGTH + e.size));
}

/** How many objects of a type fit in one ASDU (APDU at most 253 octets after the length, §5). */
export function maxObjects(typeId: number, sequence = false): number {
  const e = ELEMENTS.get(typeId);
  if (!e) return 0;
  const room = MAX_ASDU_LENGTH - HEADER_LENGTH - (sequence ? IOA_LENGTH : 0);
  return Math.min(MAX_OBJECTS, Math.floor(room / (e.size + (sequence ? 0 : IOA_LENGTH))));
}

export function encodeAsdu(a: Asdu): Uint8Array {
  const e = ELEMENTS.get(a.typeId);
  if (!e) throw Iec104Errors.FRAME.create([`cannot encode ${typeName(a.typeId)}`]);
  const n = a.objects.length;
  const length = asduLength(a.typeId, n, a.sequence) ?? 0;
  if (n < 1 || n > MAX_OBJECTS || length > MAX_ASDU_LENGTH)
    throw Iec104Errors.FRAME.create([`${n} objects of ${typeName(a.typeId)} do not fit one ASDU`]);
  const out = new Uint8Array(length);
  out[0] = a.typeId;
  out[1] = n | (a.sequence ? 0x80 : 0);
  out[2] = (a.cot & 0x3f) | (a.negative ? 0x40 : 0) | (a.test ? 0x80 : 0);
  out[3] = a.originator ?? 0;
  out[4] = a.commonAddress & 0xff;
  out[5] = (a.commonAddress >> 8) & 0xff;
  let at = HEADER_LENGTH;
  for (let i = 0; i < n; i++) {
    const o = a.objects[i] as InfoObject;
    if (!a.sequence || i === 0) {
      writeIoa(out, at, o.ioa);
      at += IOA_LENGTH;
    } else if (o.ioa !== (a.objects[0] as InfoObject).ioa + i) {
      throw Iec104Errors.FRAME.create([`SQ=1 objects must have consecutive IOAs (${o.ioa})`]);
    }
    e.write(out, at, o);
    at += e.size;
  }
  return out;
}

export function decodeAsdu(b: Uint8Array): DecodedAsdu {
  if (b.length < HEADER_LENGTH) throw Iec104Errors.FRAME.create([`ASDU of ${b.length} octets`]);
  const typeId = b[0] ?? 0;
  const vsq = b[1] ?? 0;
  const sequence = (vsq & 0x80) !== 0;
  const n = vsq & 0x7f;
  const cotByte = b[2] ?? 0;
  const header = {
    typeId,
    sequence,
    cot: cotByte & 0x3f,
    negative: (cotByte & 0x40) !== 0,
    test: (cotByte & 0x80) !== 0,
    originator: b[3] ?? 0,
    commonAddress: (b[4] ?? 0) | ((b[5] ?? 0) << 8),
  };
  const e = ELEMENTS.get(typeId);
  if (!e) return { ...header, objects: [], supported: false };
  const expected = asduLength(typeId, n, sequence);
  if (expected !== b.length)
    throw Iec104Errors.FRAME.create([
      `${typeName(typeId)} with ${n} objects (SQ=${sequence ? 1 : 0}) needs ${expected} octets, got ${b.length}: ${hex(b.subarray(0, 12))}`,
    ]);
  const objects: InfoObject[] = [];
  let at = HEADER_LENGTH;
  let ioa = 0;
  for (let i = 0; i < n; i++) {
    if (!sequence || i === 0) {
      ioa = readIoa(b, at);
      at += IOA_LENGTH;
    } else ioa++;
    const o: InfoObject = { ioa, value: 0 };
    e.read(b, at, o);
    at += e.size;
    objects.push(o);
  }
  return { ...header, objects, supported: true };
}

function writeIoa(out: Uint8Array, at: number, ioa: number): void {
  if (!Number.isInteger(ioa) || ioa < 0 || ioa > MAX_IOA)
    throw Iec104Errors.FRAME.create([`IOA ${ioa} outside 0…${MAX_IOA}`]);
  out[at] = ioa & 0xff;
  out[at + 1] = (ioa >> 8) & 0xff;
  out[at + 2] = (ioa >> 16) & 0xff;
}

function readIoa(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16);
}
