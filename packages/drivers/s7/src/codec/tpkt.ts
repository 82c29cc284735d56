/**
 * TPKT framing, RFC 1006 §6: every ISO transport PDU on TCP travels in a packet with a 4-byte
 * header — version 3, a reserved octet, and the packet length (header included) as a 16-bit
 * big-endian number. TCP is a byte stream, so the splitter reassembles packets across chunks.
 */
import { S7Errors } from '../errors.js';

export const TPKT_VERSION = 3;
export const TPKT_HEADER = 4;
/** RFC 1006 §6: the length field allows up to 65535 octets; 7 is the smallest meaningful packet. */
const MIN_PACKET = 7;

export function encodeTpkt(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(TPKT_HEADER + payload.length);
  out[0] = TPKT_VERSION;
  out[1] = 0;
  new DataView(out.buffer).setUint16(2, out.length);
  out.set(payload, TPKT_HEADER);
  return out;
}

/** Collects stream chunks and yields each complete TPKT payload (the COTP TPDU). */
export class TpktSplitter {
  #buf: Uint8Array = new Uint8Array(0);

  /** Feeds one chunk; returns the payloads it completed. Throws WS_ERR_S7_FRAME on a bad header. */
  push(chunk: Uint8Array): Uint8Array[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf);
    merged.set(chunk, this.#buf.length);
    const out: Uint8Array[] = [];
    let at = 0;
    while (merged.length - at >= TPKT_HEADER) {
      if (merged[at] !== TPKT_VERSION) {
        throw S7Errors.FRAME.create([`TPKT version ${merged[at]} (RFC 1006 requires 3)`]);
      }
      const length = (merged[at + 2]! << 8) | merged[at + 3]!;
      if (length < MIN_PACKET) throw S7Errors.FRAME.create([`TPKT length ${length}`]);
      if (merged.length - at < length) break;
      out.push(merged.slice(at + TPKT_HEADER, at + length));
      at += length;
    }
    this.#buf = merged.slice(at);
    return out;
  }
}
