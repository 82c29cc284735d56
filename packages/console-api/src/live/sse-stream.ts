import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '@watershed/common';
import type { SampleRow } from '@watershed/store';
import { toLiveSample } from '../samples.js';

export interface SseStreamOptions {
  clock: Clock;
  /** Least time between two `samples` events; bursts in between are coalesced. */
  minIntervalMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Only these points, when given. */
  filter: ReadonlySet<string> | undefined;
  /** Rows held for a slow client before they collapse to the newest per point. */
  maxBuffered: number;
}

/**
 * One Server-Sent Events connection (WHATWG HTML §9.2). Owns its response, its coalescing timer
 * and its heartbeat timer; `close()` releases all three and runs the `onClose` callback once,
 * whether the server shuts down or the client goes away.
 */
export class SseStream {
  readonly #res: ServerResponse;
  readonly #opts: SseStreamOptions;
  #onClose: (() => void) | undefined;
  #buffer: SampleRow[] = [];
  #timer: TimerHandle | undefined;
  #heartbeat: TimerHandle | undefined;
  #lastSent = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(res: ServerResponse, opts: SseStreamOptions) {
    this.#res = res;
    this.#opts = opts;
  }

  /** Runs `fn` once when the stream closes (at once if it already has). */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#onClose = fn;
  }

  /** Sends the headers and starts the heartbeat; the response then stays open until `close()`. */
  start(): void {
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    // `retry` tells EventSource how soon to reconnect (§9.2.6); the comment flushes the headers.
    this.#res.write('retry: 2000\n: connected\n\n');
    this.#res.on('close', () => this.close());
    if (this.#res.destroyed) {
      this.close(); // the client left before we started
      return;
    }
    this.#heartbeat = this.#opts.clock.setInterval(
      // A named event, not a comment: EventSource hides comments from the page, and the console's
      // silence watchdog needs to see the stream is alive on a quiet plant.
      () => this.#write('event: heartbeat\ndata: {}\n\n'),
      this.#opts.heartbeatMs,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(rows: readonly SampleRow[]): void {
    if (this.#closed) return;
    const filter = this.#opts.filter;
    const buffer = this.#buffer;
    for (const row of rows) if (!filter || filter.has(row.point)) buffer.push(row);
    if (buffer.length === 0) return;
    if (buffer.length > this.#opts.maxBuffered) this.#buffer = newestPerPoint(buffer);
    this.#schedule();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const { clock } = this.#opts;
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    if (this.#heartbeat !== undefined) clock.clearInterval(this.#heartbeat);
    this.#buffer = [];
    if (!this.#res.writableEnded) this.#res.end();
    this.#onClose?.();
    this.#onClose = undefined;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const wait = this.#lastSent + this.#opts.minIntervalMs - this.#opts.clock.now();
    if (wait <= 0) {
      this.#flush();
      return;
    }
    this.#timer = this.#opts.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
  }

  #flush(): void {
    if (this.#closed || this.#buffer.length === 0) return;
    if (this.#res.writableNeedDrain) {
      // The client reads slower than we produce: hold the rows (bounded by maxBuffered) and retry.
      this.#lastSent = this.#opts.clock.now();
      this.#schedule();
      return;
    }
    const rows = this.#buffer;
    this.#buffer = [];
    this.#lastSent = this.#opts.clock.now();
    this.#write(`event: samples\ndata: ${JSON.stringify(rows.map(toLiveSample))}\n\n`);
  }

  #write(chunk: string): void {
    if (!this.#closed && !this.#res.writableEnded) this.#res.write(chunk);
  }
}

function newestPerPoint(rows: readonly SampleRow[]): SampleRow[] {
  const newest = new Map<string, SampleRow>();
  for (const row of rows) {
    const seen = newest.get(row.point);
    if (!seen || row.ts >= seen.ts) newest.set(row.point, row);
  }
  return [...newest.values()];
}
