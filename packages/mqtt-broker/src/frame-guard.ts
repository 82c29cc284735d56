/**
 * Reads just the fixed headers of an incoming MQTT byte stream (type byte + Remaining Length,
 * MQTT 5.0 §2.1) to learn each packet's size before its body is buffered. The codec would
 * otherwise accumulate up to 256 MB for one declared packet before noticing it is too big.
 * Pure: bytes in, a verdict out.
 */
export class FrameSizeGuard {
  readonly #max: number;
  /** Body bytes of the current packet still to pass over. */
  #skip = 0;
  /** Bytes of the current fixed header seen so far; 0 at a packet boundary. */
  #headerBytes = 0;
  #length = 0;
  #multiplier = 1;

  constructor(maxPacketSize: number) {
    this.#max = maxPacketSize;
  }

  /** Returns the size of the first packet in `chunk` larger than the limit, or -1 if none. */
  check(chunk: Uint8Array): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.#skip > 0) {
        const step = Math.min(this.#skip, n - i);
        this.#skip -= step;
        i += step;
        continue;
      }
      const b = chunk[i++]!;
      if (this.#headerBytes === 0) {
        this.#headerBytes = 1;
        this.#length = 0;
        this.#multiplier = 1;
        continue;
      }
      this.#length += (b & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      this.#headerBytes++;
      // A fifth length byte is malformed; the codec reports that, we stop tracking.
      if (b & 0x80) {
        if (this.#headerBytes > 4) return -1;
        continue;
      }
      const total = this.#headerBytes + this.#length;
      if (total > this.#max) return total;
      this.#skip = this.#length;
      this.#headerBytes = 0;
    }
    return -1;
  }
}
