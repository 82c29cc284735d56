import { DiskQueue, type DiskSlice } from './disk-queue.js';
import type { SinkRow } from './types.js';

/** A batch taken from the queue; acknowledged (removed) or restored when the sink closes. */
export interface QueuedBatch {
  readonly rows: readonly SinkRow[];
  /** Set when the rows were read from disk: they stay there until acknowledged. */
  readonly slice?: DiskSlice;
}

export interface PushResult {
  /** Rows refused because the disk queue would exceed its bound. */
  readonly dropped: number;
  /** Rows that cannot be serialised for the disk queue (a BigInt, a cycle). */
  readonly unserialisable: number;
  readonly firstError?: string;
  /** Set when the disk write itself failed (the rows meant for disk are in `dropped`). */
  readonly diskError?: string;
}

/**
 * One FIFO in two tiers: the oldest rows in memory, newer rows on disk. A row goes to memory
 * only while the disk tier is empty and memory has room; once anything is on disk, new rows
 * go to disk behind it. Batches are taken from memory first. So every memory row is older than
 * every disk row and the spill can never reorder rows.
 */
export class RowQueue {
  #memory: SinkRow[] = [];
  readonly #disk: DiskQueue;
  readonly #memoryRows: number;
  readonly #diskMaxBytes: number;

  constructor(file: string, memoryRows: number, diskMaxBytes: number) {
    this.#disk = new DiskQueue(file);
    this.#memoryRows = memoryRows;
    this.#diskMaxBytes = diskMaxBytes;
  }

  get memoryCount(): number {
    return this.#memory.length;
  }

  get diskCount(): number {
    return this.#disk.count;
  }

  get diskBytes(): number {
    return this.#disk.bytes;
  }

  get size(): number {
    return this.#memory.length + this.#disk.count;
  }

  /** Below half of both bounds: where a raised queue-full alarm clears (hysteresis). */
  get belowLowWater(): boolean {
    return this.#memory.length <= this.#memoryRows / 2 && this.#disk.bytes <= this.#diskMaxBytes / 2;
  }

  push(rows: readonly SinkRow[]): PushResult {
    let i = 0;
    while (i < rows.length && this.#disk.count === 0 && this.#memory.length < this.#memoryRows) {
      this.#memory.push(rows[i++]!);
    }
    if (i === rows.length) return { dropped: 0, unserialisable: 0 };
    const bodies: string[] = [];
    let bytes = 0;
    let dropped = 0;
    let unserialisable = 0;
    let firstError: string | undefined;
    for (; i < rows.length; i++) {
      let body: string;
      try {
        body = JSON.stringify(rows[i]);
      } catch (err) {
        unserialisable++;
        firstError ??= (err as Error).message;
        continue;
      }
      const b = Buffer.byteLength(body);
      if (this.#disk.bytes + bytes + b > this.#diskMaxBytes) {
        dropped++;
        continue;
      }
      bodies.push(body);
      bytes += b;
    }
    let diskError: string | undefined;
    try {
      this.#disk.append(bodies, bytes);
    } catch (err) {
      // SQLITE_FULL, an I/O error: these rows cannot be kept; counted, never lost silently.
      diskError = (err as Error).message;
      dropped += bodies.length;
    }
    return {
      dropped,
      unserialisable,
      ...(firstError === undefined ? {} : { firstError }),
      ...(diskError === undefined ? {} : { diskError }),
    };
  }

  /** The next batch of up to `max` rows, oldest first; memory rows leave the queue now. */
  take(max: number): QueuedBatch | undefined {
    if (this.#memory.length > 0) {
      return { rows: this.#memory.splice(0, max) };
    }
    const slice = this.#disk.peek(max);
    if (!slice) return undefined;
    return { rows: slice.bodies.map((b) => JSON.parse(b) as SinkRow), slice };
  }

  /** The batch was delivered or failed for good: its rows leave the disk too. */
  ack(batch: QueuedBatch): void {
    if (batch.slice) this.#disk.removeThrough(batch.slice);
  }

  /**
   * Puts an unsent memory batch and the memory tier at the head of the disk file, in order, so
   * the next start sends them first. The disk bound is not applied: these rows were accepted.
   */
  persist(unsent: QueuedBatch | undefined): void {
    const rows = unsent && !unsent.slice ? [...unsent.rows, ...this.#memory] : this.#memory;
    const bodies: string[] = [];
    let bytes = 0;
    for (const r of rows) {
      try {
        const body = JSON.stringify(r);
        bodies.push(body);
        bytes += Buffer.byteLength(body);
      } catch {
        // A row that cannot be serialised was accepted into memory; it cannot outlive the process.
      }
    }
    this.#disk.prepend(bodies, bytes);
    this.#memory = [];
  }

  close(): void {
    this.#disk.close();
  }
}
