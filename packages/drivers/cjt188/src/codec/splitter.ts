/**
 * Cuts a byte stream into CJ/T 188 frames. A concentrator or DTU passes the bus through as it
 * is, so the stream carries FEH preambles, line noise from meters waking up and, now and then, a
 * frame cut in two by the TCP segmenting. The splitter hunts for 68H, waits until the length
 * field says the frame is complete, and accepts it only if the end byte and checksum agree;
 * otherwise it drops that 68H and hunts again, so one bad byte never costs more than the frame
 * it hit.
 */
import { checksum, decodeFrame, END, HEADER_BYTES, START, type Frame } from './frame.js';

/** More than any legal frame (11 + 255 + 2): a guard against unbounded buffering. */
const MAX_BUFFER = 4096;

export class FrameSplitter {
  readonly #onFrame: (frame: Frame) => void;
  readonly #onGarbage: ((bytes: number) => void) | undefined;
  #buf = new Uint8Array(0);

  constructor(onFrame: (frame: Frame) => void, onGarbage?: (bytes: number) => void) {
    this.#onFrame = onFrame;
    this.#onGarbage = onGarbage;
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.#buf.length;
  }

  push(chunk: Uint8Array): void {
    let buf: Uint8Array;
    if (this.#buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.#buf.length + chunk.length);
      buf.set(this.#buf, 0);
      buf.set(chunk, this.#buf.length);
    }
    let i = 0;
    let skipped = 0;
    while (i < buf.length) {
      if (buf[i] !== START) {
        // FEH preambles count as skipped too; they carry nothing.
        if (buf[i] !== 0xfe) skipped++;
        i++;
        continue;
      }
      const end = completeAt(buf, i);
      if (end === INCOMPLETE) {
        // A stray 68H whose "length" runs past what we have would hold the stream until that
        // many bytes arrive; if a whole valid frame starts further on, the 68H was noise.
        const next = nextValidStart(buf, i + 1);
        if (next < 0) break;
        skipped += next - i;
        i = next;
        continue;
      }
      const frame = end === INVALID ? undefined : decodeFrame(buf.subarray(i, end));
      if (frame === undefined || typeof frame === 'string') {
        skipped++;
        i++;
        continue;
      }
      i = end;
      this.#onFrame(frame);
    }
    if (skipped > 0) this.#onGarbage?.(skipped);
    let rest = buf.subarray(i);
    if (rest.length > MAX_BUFFER) rest = rest.subarray(rest.length - MAX_BUFFER);
    // Copy: `chunk` belongs to the caller (a socket's Buffer may be pooled).
    this.#buf = rest.length === 0 ? new Uint8Array(0) : rest.slice();
  }

  reset(): void {
    this.#buf = new Uint8Array(0);
  }
}

const INCOMPLETE = -1;
const INVALID = -2;

/** End offset of the frame starting at `i` when it is whole and checks out; INCOMPLETE or INVALID otherwise. */
function completeAt(buf: Uint8Array, i: number): number {
  if (buf.length - i < HEADER_BYTES) return INCOMPLETE;
  const end = i + HEADER_BYTES + (buf[i + HEADER_BYTES - 1] ?? 0) + 2;
  if (end > buf.length) return INCOMPLETE;
  if (buf[end - 1] !== END || buf[end - 2] !== checksum(buf, i, end - 2)) return INVALID;
  return end;
}

function nextValidStart(buf: Uint8Array, from: number): number {
  for (let j = buf.indexOf(START, from); j >= 0; j = buf.indexOf(START, j + 1)) {
    if (completeAt(buf, j) >= 0) return j;
  }
  return -1;
}
