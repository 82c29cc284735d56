import { BrokerErrors } from '../errors.js';

/** Returned by {@link readFixedHeader} while the fixed header is still incomplete. */
export const HEADER_INCOMPLETE = -1;
/** Returned by {@link readFixedHeader} for a Remaining Length longer than four bytes. */
export const HEADER_MALFORMED = -2;

/**
 * Reads the fixed header at `start` (MQTT 5.0 §2.1.1: a type byte, then the Remaining Length as
 * a Variable Byte Integer of at most four bytes, §1.5.5) and returns the size of the whole
 * packet, header included; {@link HEADER_INCOMPLETE} when `end` cuts the header short, or
 * {@link HEADER_MALFORMED}. Non-minimal length encodings are accepted, as mqtt-packet accepts them.
 */
export function readFixedHeader(buf: Uint8Array, start: number, end: number): number {
  let length = 0;
  let multiplier = 1;
  for (let i = start + 1; i < end; i++) {
    const b = buf[i]!;
    length += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) return i + 1 - start + length;
    // The continuation bit on the fourth length byte announces a fifth one: malformed (§1.5.5).
    if (i - start === 4) return HEADER_MALFORMED;
    multiplier *= 128;
  }
  return HEADER_INCOMPLETE;
}

const TYPE_NAMES = [
  'reserved',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
] as const;
/** The flag bits each packet type must carry (MQTT 5.0 §2.1.3, Table 2-2); -1 for PUBLISH. */
const REQUIRED_FLAGS = [-2, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0] as const;

/**
 * What is wrong with a packet's first byte, judged before the rest arrives, so that a client
 * speaking another protocol (an HTTP request, say) is refused at once instead of being waited
 * for: reserved flag bits not as Table 2-2 says [MQTT-2.2.2-1/2], PUBLISH with both QoS bits
 * set [MQTT-3.3.1-4], or the reserved packet type 0. Undefined when the byte is acceptable.
 */
export function firstByteError(b: number): string | undefined {
  const type = b >> 4;
  const required = REQUIRED_FLAGS[type]!;
  if (required === -1) return (b & 0x06) === 0x06 ? 'Packet must not have both QoS bits set to 1' : undefined;
  if (required === -2) return 'reserved packet type 0';
  if ((b & 0x0f) === required) return undefined;
  return `Invalid header flag bits, must be 0x${required.toString(16)} for ${TYPE_NAMES[type]} packet`;
}

/** Room reserved for a packet split across reads, before more of it has arrived. */
const FIRST_CAPACITY = 1024;
/** Enough for any fixed header: type byte + four length bytes. */
const MAX_HEADER = 5;
const EMPTY = Buffer.alloc(0);

/**
 * Cuts one connection's byte stream into whole MQTT control packets, so a single shared
 * decoder can turn each into an object (see `decode.ts`) and no connection needs a streaming
 * parser of its own. The size of a packet is known from its fixed header before its body is
 * buffered, so a packet over the limit is refused before anything is accumulated (the limit we
 * announce as Maximum Packet Size, [MQTT-3.2.2-15] / MQTT 5.0 §4.13).
 *
 * Per-connection cost: a few numbers, plus, only while a packet is split across reads, one
 * buffer holding that packet so far (grown by doubling, never beyond the packet's size, so a
 * client that declares a large packet and sends little of it reserves little). An idle
 * connection holds no buffer at all.
 *
 * Use: `push(chunk)`, then `next()` until it returns undefined. A returned frame is a view of
 * the chunk (or of the assembled buffer) and stays valid after later pushes.
 */
export class FrameSplitter {
  readonly #maxPacketSize: number;
  #chunk: Buffer = EMPTY;
  #pos = 0;
  /** The packet being assembled across reads; undefined at a packet boundary. */
  #partial: Buffer | undefined;
  #filled = 0;
  /** Size of the packet in #partial; 0 while its header is still incomplete. */
  #total = 0;

  constructor(maxPacketSize: number) {
    this.#maxPacketSize = maxPacketSize;
  }

  /** Bytes held for a packet split across reads (0 at a packet boundary). */
  get buffered(): number {
    return this.#filled;
  }

  push(chunk: Buffer): void {
    this.#chunk = chunk;
    this.#pos = 0;
  }

  /**
   * The next whole packet of the pushed bytes, or undefined when they are used up. Throws
   * `WS_ERR_MQTT_PACKET_TOO_LARGE` or `WS_ERR_MQTT_MALFORMED_PACKET`; the stream cannot be
   * resynchronised after either, so the caller closes the connection.
   */
  next(): Buffer | undefined {
    if (this.#partial !== undefined) return this.#continue();
    const chunk = this.#chunk;
    const start = this.#pos;
    const end = chunk.length;
    if (start >= end) {
      this.#chunk = EMPTY; // do not hold the read buffer of an idle connection
      return undefined;
    }
    const wrong = firstByteError(chunk[start]!);
    if (wrong !== undefined) throw BrokerErrors.MALFORMED_PACKET.create([wrong]);
    const total = readFixedHeader(chunk, start, end);
    if (total === HEADER_INCOMPLETE) {
      this.#stash(chunk.subarray(start), 0);
      return undefined;
    }
    this.#checkSize(total);
    if (end - start < total) {
      this.#stash(chunk.subarray(start), total);
      return undefined;
    }
    this.#pos = start + total;
    return chunk.subarray(start, start + total);
  }

  #checkSize(total: number): void {
    if (total === HEADER_MALFORMED)
      throw BrokerErrors.MALFORMED_PACKET.create(['Remaining Length longer than 4 bytes']);
    if (total > this.#maxPacketSize) throw BrokerErrors.PACKET_TOO_LARGE.create([total, this.#maxPacketSize]);
  }

  /** Copies the start of a split packet out of the read buffer (which is then released). */
  #stash(head: Buffer, total: number): void {
    const capacity = total === 0 ? MAX_HEADER : Math.min(total, Math.max(FIRST_CAPACITY, 2 * head.length));
    this.#partial = Buffer.allocUnsafe(capacity);
    head.copy(this.#partial);
    this.#filled = head.length;
    this.#total = total;
    this.#chunk = EMPTY;
  }

  /** Adds pushed bytes to the split packet; returns it once complete. */
  #continue(): Buffer | undefined {
    const chunk = this.#chunk;
    let pos = this.#pos;
    let partial = this.#partial!;
    while (this.#total === 0) {
      // The fixed header itself was split: take one byte at a time until it is complete.
      if (pos >= chunk.length) return this.#waitForMore();
      partial[this.#filled++] = chunk[pos++]!;
      const total = readFixedHeader(partial, 0, this.#filled);
      if (total === HEADER_INCOMPLETE) continue;
      this.#checkSize(total);
      this.#total = total;
      partial = this.#grow(Math.min(total, FIRST_CAPACITY));
    }
    const want = this.#total - this.#filled;
    const take = Math.min(want, chunk.length - pos);
    if (this.#filled + take > partial.length)
      partial = this.#grow(Math.min(this.#total, Math.max(2 * partial.length, this.#filled + take)));
    chunk.copy(partial, this.#filled, pos, pos + take);
    this.#filled += take;
    this.#pos = pos + take;
    if (this.#filled < this.#total) return this.#waitForMore();
    const total = this.#total;
    this.#partial = undefined;
    this.#filled = 0;
    this.#total = 0;
    // A packet shorter than the header buffer (e.g. PINGREQ split after its type byte).
    return partial.length === total ? partial : partial.subarray(0, total);
  }

  #grow(capacity: number): Buffer {
    const old = this.#partial!;
    if (capacity <= old.length) return old;
    const grown = Buffer.allocUnsafe(capacity);
    old.copy(grown, 0, 0, this.#filled);
    this.#partial = grown;
    return grown;
  }

  #waitForMore(): undefined {
    this.#chunk = EMPTY;
    return undefined;
  }
}
