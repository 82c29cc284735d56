/**
 * S7comm PDUs: the header, Setup Communication, Read Var and Write Var, in both directions (the
 * driver encodes jobs and decodes acknowledgements; the simulator's server does the reverse).
 * Layouts follow the Wireshark S7comm dissector (epan/dissectors/packet-s7comm.c) and snap7's
 * s7_types.h; clause names below are the dissector's field names.
 */
import { S7Errors } from '../errors.js';

export const PROTOCOL_ID = 0x32;
/** ROSCTR, "remote operating service control": what kind of PDU follows. */
export const ROSCTR = { JOB: 0x01, ACK: 0x02, ACK_DATA: 0x03, USERDATA: 0x07 } as const;
export const FUNCTION = { SETUP: 0xf0, READ_VAR: 0x04, WRITE_VAR: 0x05 } as const;
/** Memory areas (s7comm.param.item.area). */
export const AREA = { I: 0x81, Q: 0x82, M: 0x83, DB: 0x84, C: 0x1c, T: 0x1d } as const;
/** Transport sizes of a request item (s7comm.param.item.transp_size). */
export const ITEM_SIZE = { BIT: 0x01, BYTE: 0x02 } as const;
/** Transport sizes of a data item (s7comm.data.transportsize); 3, 4 and 5 count bits. */
export const DATA_SIZE = { NULL: 0x00, BIT: 0x03, BYTE: 0x04, INT: 0x05, REAL: 0x07, OCTET: 0x09 } as const;
export const RETURN_OK = 0xff;

/** Item return codes (s7comm.data.returncode). */
export const RETURN_CODES: Readonly<Record<number, string>> = {
  0x00: 'reserved',
  0x01: 'hardware fault',
  0x03: 'accessing the object not allowed',
  0x05: 'address out of range',
  0x06: 'data type not supported',
  0x07: 'data type inconsistent',
  0x0a: 'object does not exist',
  0xff: 'success',
};

export function returnCodeName(code: number): string {
  return RETURN_CODES[code] ?? 'unknown return code';
}

export interface S7Header {
  readonly rosctr: number;
  readonly pduRef: number;
  /** Ack and Ack-Data only: 0/0 means the job was accepted. */
  readonly errorClass: number;
  readonly errorCode: number;
}

export interface S7Pdu extends S7Header {
  readonly param: Uint8Array;
  readonly data: Uint8Array;
}

/** The address of one variable: what a Read Var / Write Var item names. */
export interface VarSpec {
  readonly area: number;
  /** DB number; 0 for other areas. */
  readonly db: number;
  /** First byte. */
  readonly start: number;
  /** Bit within the byte; only for `size: 'bit'`. */
  readonly bit: number;
  readonly size: 'bit' | 'byte';
  /** Elements of `size`; 1 for a bit. */
  readonly count: number;
}

export interface ReadResult {
  readonly returnCode: number;
  readonly data: Uint8Array;
}

export function encodePdu(
  h: { rosctr: number; pduRef: number; errorClass?: number; errorCode?: number },
  param: Uint8Array,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const ack = h.rosctr === ROSCTR.ACK || h.rosctr === ROSCTR.ACK_DATA;
  const hl = ack ? 12 : 10;
  const out = new Uint8Array(hl + param.length + data.length);
  const v = new DataView(out.buffer);
  out[0] = PROTOCOL_ID;
  out[1] = h.rosctr;
  v.setUint16(4, h.pduRef);
  v.setUint16(6, param.length);
  v.setUint16(8, data.length);
  if (ack) {
    out[10] = h.errorClass ?? 0;
    out[11] = h.errorCode ?? 0;
  }
  out.set(param, hl);
  out.set(data, hl + param.length);
  return out;
}

export function decodePdu(b: Uint8Array): S7Pdu {
  if (b.length < 10 || b[0] !== PROTOCOL_ID)
    throw S7Errors.FRAME.create(['not an S7comm PDU (protocol id 0x32)']);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const rosctr = b[1]!;
  const hl = rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA ? 12 : 10;
  const paramLen = v.getUint16(6);
  const dataLen = v.getUint16(8);
  if (b.length < hl + paramLen + dataLen) throw S7Errors.FRAME.create(['S7comm lengths overrun the PDU']);
  return {
    rosctr,
    pduRef: v.getUint16(4),
    errorClass: hl === 12 ? b[10]! : 0,
    errorCode: hl === 12 ? b[11]! : 0,
    param: b.subarray(hl, hl + paramLen),
    data: b.subarray(hl + paramLen, hl + paramLen + dataLen),
  };
}

export interface SetupParams {
  readonly maxAmqCalling: number;
  readonly maxAmqCalled: number;
  readonly pduLength: number;
}

export function encodeSetup(p: SetupParams): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  out[0] = FUNCTION.SETUP;
  v.setUint16(2, p.maxAmqCalling);
  v.setUint16(4, p.maxAmqCalled);
  v.setUint16(6, p.pduLength);
  return out;
}

export function decodeSetup(param: Uint8Array): SetupParams {
  if (param.length < 8 || param[0] !== FUNCTION.SETUP)
    throw S7Errors.FRAME.create(['not a Setup Communication parameter']);
  const v = new DataView(param.buffer, param.byteOffset, param.byteLength);
  return { maxAmqCalling: v.getUint16(2), maxAmqCalled: v.getUint16(4), pduLength: v.getUint16(6) };
}

/** Bytes of a request parameter per item and fixed; used to plan requests within the PDU. */
export const READ_PARAM_FIXED = 2;
export const ITEM_SPEC_LENGTH = 12;
/** Header of a data item (return code, transport size, length). */
export const DATA_ITEM_HEADER = 4;

function encodeItems(fn: number, items: readonly VarSpec[]): Uint8Array {
  const out = new Uint8Array(READ_PARAM_FIXED + ITEM_SPEC_LENGTH * items.length);
  const v = new DataView(out.buffer);
  out[0] = fn;
  out[1] = items.length;
  items.forEach((it, i) => {
    const at = 2 + i * ITEM_SPEC_LENGTH;
    // Variable specification 0x12, 10 more octets, syntax id 0x10 = S7ANY.
    out.set([0x12, 0x0a, 0x10, it.size === 'bit' ? ITEM_SIZE.BIT : ITEM_SIZE.BYTE], at);
    v.setUint16(at + 4, it.count);
    v.setUint16(at + 6, it.db);
    out[at + 8] = it.area;
    // The address is a bit offset in 3 octets: byte * 8 + bit.
    const address = it.start * 8 + (it.size === 'bit' ? it.bit : 0);
    out.set([(address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff], at + 9);
  });
  return out;
}

function decodeItems(fn: number, param: Uint8Array): VarSpec[] {
  if (param[0] !== fn || param.length < 2)
    throw S7Errors.FRAME.create([`not a function 0x${fn.toString(16)} parameter`]);
  const n = param[1]!;
  if (param.length < 2 + n * ITEM_SPEC_LENGTH)
    throw S7Errors.FRAME.create(['item list overruns the parameter']);
  const v = new DataView(param.buffer, param.byteOffset, param.byteLength);
  const items: VarSpec[] = [];
  for (let i = 0; i < n; i++) {
    const at = 2 + i * ITEM_SPEC_LENGTH;
    if (param[at] !== 0x12 || param[at + 2] !== 0x10)
      throw S7Errors.FRAME.create(['item is not an S7ANY address']);
    const address = (param[at + 9]! << 16) | (param[at + 10]! << 8) | param[at + 11]!;
    const bitItem = param[at + 3] === ITEM_SIZE.BIT;
    items.push({
      size: bitItem ? 'bit' : 'byte',
      count: v.getUint16(at + 4),
      db: v.getUint16(at + 6),
      area: param[at + 8]!,
      start: address >> 3,
      bit: bitItem ? address & 7 : 0,
    });
  }
  return items;
}

export const encodeReadRequest = (items: readonly VarSpec[]): Uint8Array =>
  encodeItems(FUNCTION.READ_VAR, items);
export const decodeReadRequest = (param: Uint8Array): VarSpec[] => decodeItems(FUNCTION.READ_VAR, param);
export const encodeWriteParam = (items: readonly VarSpec[]): Uint8Array =>
  encodeItems(FUNCTION.WRITE_VAR, items);
export const decodeWriteParam = (param: Uint8Array): VarSpec[] => decodeItems(FUNCTION.WRITE_VAR, param);

/**
 * Data items of a Read Var response or Write Var request: return code (0x00 in a request),
 * transport size, length (in bits for sizes 3/4/5, else octets), the data, and a fill octet after
 * an odd length except for the last item.
 */
export function encodeDataItems(
  items: readonly { returnCode: number; bit?: boolean; data: Uint8Array }[],
): Uint8Array {
  const parts: number[] = [];
  items.forEach((it, i) => {
    const ok = it.returnCode === RETURN_OK || it.returnCode === 0;
    const ts = !ok ? DATA_SIZE.NULL : it.bit === true ? DATA_SIZE.BIT : DATA_SIZE.BYTE;
    const data = ok ? it.data : new Uint8Array(0);
    const length = ts === DATA_SIZE.BYTE ? data.length * 8 : data.length;
    parts.push(it.returnCode, ts, length >> 8, length & 0xff, ...data);
    if (data.length % 2 === 1 && i < items.length - 1) parts.push(0);
  });
  return Uint8Array.from(parts);
}

/**
 * Decodes `count` data items. In a Write Var job (`inRequest`) the first octet is reserved
 * (0x00) and every item carries data; in a Read Var acknowledgement it is the return code.
 */
export function decodeDataItems(data: Uint8Array, count: number, inRequest = false): ReadResult[] {
  const out: ReadResult[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (data.length < at + DATA_ITEM_HEADER) {
      // A failed item may come as a bare return code with nothing after it.
      if (!inRequest && data.length > at && data[at] !== RETURN_OK) {
        out.push({ returnCode: data[at]!, data: new Uint8Array(0) });
        at = data.length;
        continue;
      }
      throw S7Errors.FRAME.create([`data item ${i + 1} of ${count} is missing`]);
    }
    const returnCode = inRequest ? RETURN_OK : data[at]!;
    if (returnCode !== RETURN_OK) {
      // A failed item is its 4-octet header alone; snap7 leaves a stray value in its length field.
      out.push({ returnCode, data: new Uint8Array(0) });
      at += DATA_ITEM_HEADER;
      continue;
    }
    const ts = data[at + 1]!;
    const raw = (data[at + 2]! << 8) | data[at + 3]!;
    const bits = ts === DATA_SIZE.BIT || ts === DATA_SIZE.BYTE || ts === DATA_SIZE.INT;
    const length = bits && ts !== DATA_SIZE.BIT ? raw >> 3 : raw;
    const body = data.subarray(at + DATA_ITEM_HEADER, at + DATA_ITEM_HEADER + length);
    if (body.length !== length) throw S7Errors.FRAME.create([`data item ${i + 1} overruns the PDU`]);
    out.push({ returnCode, data: body });
    at += DATA_ITEM_HEADER + length + (length % 2 === 1 ? 1 : 0);
  }
  return out;
}

/** Read Var / Write Var acknowledgement parameter: function and item count. */
export function encodeAckParam(fn: number, count: number): Uint8Array {
  return Uint8Array.of(fn, count);
}

/** Write Var acknowledgement data: one return code per item. */
export function decodeWriteAck(data: Uint8Array, count: number): number[] {
  if (data.length < count) throw S7Errors.FRAME.create(['write acknowledgement lacks return codes']);
  return [...data.subarray(0, count)];
}
