/**
 * RTU framing: unit address (1) + PDU + CRC-16 (2, low byte first). Section numbers refer to
 * MODBUS over Serial Line Specification V1.02 (modbus.org, 2006): §2.5.1 frame, §6.2.2 CRC.
 * RTU frames carry no length field, so the splitter derives each frame's length from its function
 * code and byte count (Application Protocol V1.1b3 §6).
 */
import { ModbusErrors } from '../errors.js';
import { FC, hex } from './pdu.js';

/** CRC-16/MODBUS: initial 0xFFFF, reflected polynomial 0xA001 (Serial Line §6.2.2). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i] ?? 0;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function encodeRtu(unitId: number, pdu: Uint8Array): Uint8Array {
  const out = new Uint8Array(pdu.length + 3);
  out[0] = unitId;
  out.set(pdu, 1);
  const crc = crc16(out, 0, pdu.length + 1);
  // §2.5.1.2: the CRC is sent low-order byte first, unlike every other field.
  out[pdu.length + 1] = crc & 0xff;
  out[pdu.length + 2] = crc >>> 8;
  return out;
}

export interface RtuFrame {
  unitId: number;
  /** A view into the received bytes: valid only during the callback. */
  pdu: Uint8Array;
}

/** Serial Line §2.5.1: 256 bytes at most (address + 253-byte PDU + CRC). */
const MAX_RTU_FRAME = 256;

/**
 * Total frame length (address + PDU + CRC) once enough bytes are in, `undefined` while more are
 * needed, or -1 for a function code this side cannot frame.
 */
function frameLength(buf: Uint8Array, at: number, direction: 'request' | 'response'): number | undefined {
  if (buf.length - at < 2) return undefined;
  const fc = buf[at + 1] ?? 0;
  if (direction === 'response' && fc & 0x80) return 5; // exception: addr, fc, code, crc×2 (§7)
  switch (fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS:
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS:
      if (direction === 'request') return 8;
      return buf.length - at < 3 ? undefined : 5 + (buf[at + 2] ?? 0);
    case FC.WRITE_SINGLE_COIL:
    case FC.WRITE_SINGLE_REGISTER:
      return 8;
    case FC.WRITE_MULTIPLE_COILS:
    case FC.WRITE_MULTIPLE_REGISTERS:
      if (direction === 'response') return 8;
      return buf.length - at < 7 ? undefined : 9 + (buf[at + 6] ?? 0);
    default:
      return -1;
  }
}

/**
 * Cuts an RTU byte stream (serial line, or RTU tunnelled over TCP) into frames and checks CRCs.
 * On a CRC mismatch or an unframeable function code the buffered bytes are dropped and `push`
 * throws WS_ERR_MODBUS_FRAME: on a serial line the next silent interval (t3.5) resynchronises,
 * which the owner signals by calling `reset()`.
 */
export class RtuSplitter {
  #tail: Uint8Array = new Uint8Array(0);
  readonly #direction: 'request' | 'response';
  readonly #onFrame: (frame: RtuFrame) => void;

  /** `direction` is what this side receives: a client receives responses, a server requests. */
  constructor(direction: 'request' | 'response', onFrame: (frame: RtuFrame) => void) {
    this.#direction = direction;
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
    for (;;) {
      const len = frameLength(buf, at, this.#direction);
      if (len === undefined || (len > 0 && at + len > buf.length)) break;
      if (len < 0 || len > MAX_RTU_FRAME) {
        this.#tail = new Uint8Array(0);
        throw ModbusErrors.FRAME.create([`RTU frame with function 0x${(buf[at + 1] ?? 0).toString(16)}`], {
          bytes: hex(buf.subarray(at)),
        });
      }
      const crc = crc16(buf, at, at + len - 2);
      const got = (buf[at + len - 2] ?? 0) | ((buf[at + len - 1] ?? 0) << 8);
      if (crc !== got) {
        this.#tail = new Uint8Array(0);
        throw ModbusErrors.FRAME.create([`RTU CRC 0x${got.toString(16)} should be 0x${crc.toString(16)}`], {
          bytes: hex(buf.subarray(at, at + len)),
        });
      }
      this.#onFrame({ unitId: buf[at] ?? 0, pdu: buf.subarray(at + 1, at + len - 2) });
      at += len;
    }
    this.#tail = at === buf.length ? new Uint8Array(0) : buf.slice(at);
  }

  reset(): void {
    this.#tail = new Uint8Array(0);
  }
}
