/**
 * APCI framing of IEC 60870-5-104 §5. Every APDU starts with the start octet 68H, then the length
 * of the APDU after the length octet (4 control octets + the ASDU, at most 253, §5), then
 * four control octets whose low bits select the format (§5):
 *
 *   I-format  bit0 of octet 1 = 0      N(S) in octets 1–2, N(R) in octets 3–4, an ASDU follows
 *   S-format  octet 1 = 01H            N(R) in octets 3–4, no ASDU
 *   U-format  octet 1 = xxxxxx11       one of STARTDT/STOPDT/TESTFR act|con, no ASDU
 *
 * Sequence numbers are 15 bits (modulo 32768, §5.1) and are stored shifted left by one bit.
 */
import { Iec104Errors } from '../errors.js';

export const START = 0x68;
/** Largest value of the length octet (§5: maximum APDU length 255, so 253 after start and length). */
export const MAX_LENGTH = 253;
export const MAX_ASDU_LENGTH = MAX_LENGTH - 4;
export const SEQ_MODULO = 32768;

/** U-format functions (§5; used by §5.2 test frames and §5.3 start/stop): the bit of control octet 1 that is set besides the 11 format bits. */
export const U = {
  STARTDT_ACT: 0x07,
  STARTDT_CON: 0x0b,
  STOPDT_ACT: 0x13,
  STOPDT_CON: 0x23,
  TESTFR_ACT: 0x43,
  TESTFR_CON: 0x83,
} as const;
export type UFunction = (typeof U)[keyof typeof U];
const U_VALUES = new Set<number>(Object.values(U));

export function uName(fn: UFunction): string {
  for (const [k, v] of Object.entries(U)) if (v === fn) return k;
  return `U(0x${fn.toString(16)})`;
}

export type Apdu =
  | { format: 'I'; ns: number; nr: number; asdu: Uint8Array }
  | { format: 'S'; nr: number }
  | { format: 'U'; fn: UFunction };

export function encodeI(ns: number, nr: number, asdu: Uint8Array): Uint8Array {
  if (asdu.length < 1 || asdu.length > MAX_ASDU_LENGTH)
    throw Iec104Errors.FRAME.create([`ASDU of ${asdu.length} octets (1…${MAX_ASDU_LENGTH})`]);
  const out = new Uint8Array(6 + asdu.length);
  out[0] = START;
  out[1] = 4 + asdu.length;
  writeSeq(out, 2, ns);
  writeSeq(out, 4, nr);
  out.set(asdu, 6);
  return out;
}

export function encodeS(nr: number): Uint8Array {
  const out = Uint8Array.of(START, 4, 0x01, 0x00, 0, 0);
  writeSeq(out, 4, nr);
  return out;
}

export function encodeU(fn: UFunction): Uint8Array {
  return Uint8Array.of(START, 4, fn, 0, 0, 0);
}

/** Decodes one complete APDU (start octet through the last ASDU octet). */
export function decodeApdu(frame: Uint8Array): Apdu {
  if (frame.length < 6 || frame[0] !== START || frame[1] !== frame.length - 2)
    throw Iec104Errors.FRAME.create([`APDU header ${hex(frame.subarray(0, 6))}`]);
  const c1 = frame[2] ?? 0;
  if ((c1 & 0x01) === 0) {
    if (frame.length === 6) throw Iec104Errors.FRAME.create(['I-format APDU without an ASDU']);
    return { format: 'I', ns: readSeq(frame, 2), nr: readSeq(frame, 4), asdu: frame.subarray(6) };
  }
  if (frame.length !== 6) throw Iec104Errors.FRAME.create([`${frame[1]}-octet S/U-format APDU`]);
  if ((c1 & 0x03) === 0x01) {
    if (c1 !== 0x01 || frame[3] !== 0) throw Iec104Errors.FRAME.create([`S-format control ${hex(frame)}`]);
    return { format: 'S', nr: readSeq(frame, 4) };
  }
  if (!U_VALUES.has(c1) || frame[3] !== 0 || frame[4] !== 0 || frame[5] !== 0)
    throw Iec104Errors.FRAME.create([`U-format control ${hex(frame.subarray(2, 6))}`]);
  return { format: 'U', fn: c1 as UFunction };
}

/**
 * Cuts a TCP byte stream into APDUs. TCP may deliver half a frame or several in one chunk, so
 * `push` keeps the incomplete tail. A byte other than 68H where a frame must start, or a length
 * outside 4…253, means the stream is out of step; 104 has no resynchronisation, so `push` throws
 * WS_ERR_IEC104_FRAME and the owner closes the connection (§5: the receiver checks start and length).
 */
export class ApduSplitter {
  #tail: Uint8Array = new Uint8Array(0);
  readonly #onFrame: (frame: Uint8Array) => void;

  constructor(onFrame: (frame: Uint8Array) => void) {
    this.#onFrame = onFrame;
  }

  get buffered(): number {
    return this.#tail.length;
  }

  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.#tail.length > 0) {
      buf = new Uint8Array(this.#tail.length + chunk.length);
      buf.set(this.#tail, 0);
      buf.set(chunk, this.#tail.length);
    }
    let at = 0;
    while (buf.length - at >= 2) {
      const length = buf[at + 1] ?? 0;
      if (buf[at] !== START || length < 4 || length > MAX_LENGTH) {
        this.#tail = new Uint8Array(0);
        throw Iec104Errors.FRAME.create([`stream out of step at ${hex(buf.subarray(at, at + 6))}`]);
      }
      const end = at + 2 + length;
      if (end > buf.length) break;
      this.#onFrame(buf.subarray(at, end));
      at = end;
    }
    this.#tail = at === buf.length ? new Uint8Array(0) : buf.slice(at);
  }

  reset(): void {
    this.#tail = new Uint8Array(0);
  }
}

/** (a − b) modulo 32768: how far sequence number `a` is ahead of `b`. */
export function seqDistance(a: number, b: number): number {
  return (a - b + SEQ_MODULO) % SEQ_MODULO;
}

function writeSeq(out: Uint8Array, at: number, n: number): void {
  const v = (n % SEQ_MODULO) << 1;
  out[at] = v & 0xfe;
  out[at + 1] = (v >> 8) & 0xff;
}

function readSeq(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) >> 1) | ((b[at + 1] ?? 0) << 7);
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
