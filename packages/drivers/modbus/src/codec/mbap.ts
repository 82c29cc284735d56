/**
 * MBAP framing for Modbus TCP. Section numbers refer to the MODBUS Messaging on TCP/IP
 * Implementation Guide V1.0b (modbus.org, 2006), §3.1.3: a 7-byte header — transaction id (2),
 * protocol id (2, always 0), length (2, counting the unit id and the PDU), unit id (1) — then the PDU.
 */
import { ModbusErrors } from '../errors.js';
import { hex, readU16, writeU16 } from './pdu.js';

export const MBAP_HEADER_LENGTH = 7;
/** Largest PDU is 253 bytes (Application Protocol §4.1), so the length field is at most 254. */
const MAX_LENGTH_FIELD = 254;
/** Unit id plus at least a function code. */
const MIN_LENGTH_FIELD = 2;

export interface MbapFrame {
  transactionId: number;
  unitId: number;
  /** A view into the received bytes: valid only during the callback; copy to keep it. */
  pdu: Uint8Array;
}

export function encodeMbap(transactionId: number, unitId: number, pdu: Uint8Array): Uint8Array {
  const out = new Uint8Array(MBAP_HEADER_LENGTH + pdu.length);
  writeU16(out, 0, transactionId);
  writeU16(out, 2, 0);
  writeU16(out, 4, pdu.length + 1);
  out[6] = unitId;
  out.set(pdu, MBAP_HEADER_LENGTH);
  return out;
}

/**
 * Cuts a TCP byte stream into MBAP frames. TCP may deliver half a frame or several frames in one
 * chunk, so `push` keeps the incomplete tail for the next chunk. A header with a protocol id other
 * than 0 or an impossible length means the stream is out of step; there is no way to find the next
 * frame boundary, so `push` throws WS_ERR_MODBUS_FRAME and the owner must drop the connection.
 */
export class MbapSplitter {
  #tail: Uint8Array = new Uint8Array(0);
  readonly #onFrame: (frame: MbapFrame) => void;

  constructor(onFrame: (frame: MbapFrame) => void) {
    this.#onFrame = onFrame;
  }

  /** Bytes waiting for the rest of their frame. */
  get buffered(): number {
    return this.#tail.length;
  }

  push(chunk: Uint8Array): void {
    // Only join buffers when a frame straddles chunks; the common case reads the chunk in place.
    let buf = chunk;
    if (this.#tail.length > 0) {
      buf = new Uint8Array(this.#tail.length + chunk.length);
      buf.set(this.#tail, 0);
      buf.set(chunk, this.#tail.length);
    }
    let at = 0;
    while (buf.length - at >= MBAP_HEADER_LENGTH) {
      const protocol = readU16(buf, at + 2);
      const length = readU16(buf, at + 4);
      if (protocol !== 0 || length < MIN_LENGTH_FIELD || length > MAX_LENGTH_FIELD) {
        this.#tail = new Uint8Array(0);
        throw ModbusErrors.FRAME.create([`MBAP header with protocol ${protocol} and length ${length}`], {
          header: hex(buf.subarray(at, at + MBAP_HEADER_LENGTH)),
        });
      }
      const end = at + 6 + length;
      if (end > buf.length) break;
      this.#onFrame({
        transactionId: readU16(buf, at),
        unitId: buf[at + 6] ?? 0,
        pdu: buf.subarray(at + MBAP_HEADER_LENGTH, end),
      });
      at = end;
    }
    // Copy the tail: `chunk` belongs to the socket and may be reused.
    this.#tail = at === buf.length ? new Uint8Array(0) : buf.slice(at);
  }

  reset(): void {
    this.#tail = new Uint8Array(0);
  }
}
