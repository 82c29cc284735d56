/**
 * The bus session: a CJ/T 188 bus (M-Bus / RS-485 behind a concentrator or a transparent DTU)
 * carries one conversation at a time — the master asks, one meter answers, then the next
 * request may go. The session queues requests, puts one on the wire, and settles it with the
 * matching answer, a timeout, its AbortSignal or the connection's loss; then it sends the next.
 *
 * An answer matches when it has the response bit (C D7), the request's DI and SER, and the
 * request's address (any address for a broadcast). Anything else — an echo of our own request on
 * a half-duplex line, a late answer to a request that already timed out (its SER differs) — is
 * ignored. It owns no socket and no timer beyond the current request's, so it runs on a FakeClock.
 */
import type { Clock, TimerHandle } from '@watershed/common';
import { BROADCAST_ADDRESS } from '../codec/address.js';
import { encodeFrame, isResponse, type Frame } from '../codec/frame.js';
import { FrameSplitter } from '../codec/splitter.js';
import { Cjt188Errors } from '../errors.js';

export interface SessionOptions {
  clock: Clock;
  send(bytes: Uint8Array): void;
  /** FEH bytes sent before each frame to wake the meter's receiver. */
  preamble: number;
}

export interface Exchange {
  readonly frame: Frame;
  readonly rttMs: number;
}

interface Pending {
  request: Frame;
  timeoutMs: number;
  resolve(e: Exchange): void;
  reject(err: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timer: TimerHandle | undefined;
  sentAt: number;
}

export class BusSession {
  readonly #opts: SessionOptions;
  readonly #splitter: FrameSplitter;
  readonly #queue: Pending[] = [];
  #current: Pending | undefined;
  #ser = 0;
  #failed: Error | undefined;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#splitter = new FrameSplitter((f) => this.#onFrame(f));
  }

  /** Requests waiting for the bus, not counting the one on the wire. */
  get queued(): number {
    return this.#queue.length;
  }

  get busy(): boolean {
    return this.#current !== undefined;
  }

  /** Sends `request` (its SER is assigned here) when the bus is free; resolves with the answer. */
  exchange(request: Omit<Frame, 'ser'>, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<Exchange>((resolve, reject) => {
      const p: Pending = {
        request: { ...request, ser: 0 },
        timeoutMs,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        timer: undefined,
        sentAt: 0,
      };
      if (signal) {
        p.onAbort = () => this.#settle(p, signal.reason);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.#queue.push(p);
      this.#pump();
    });
  }

  onData(chunk: Uint8Array): void {
    this.#splitter.push(chunk);
  }

  /** The connection is gone: every request fails with `err`, and so does every later one. */
  fail(err: Error): void {
    this.#failed = err;
    const all = [...(this.#current ? [this.#current] : []), ...this.#queue];
    for (const p of all) this.#settle(p, err);
  }

  #pump(): void {
    if (this.#current || this.#failed) return;
    const p = this.#queue.shift();
    if (!p) return;
    this.#current = p;
    this.#ser = (this.#ser + 1) & 0xff;
    p.request = { ...p.request, ser: this.#ser };
    // Bytes left over from a previous conversation (a half-received answer) must not glue onto this one.
    this.#splitter.reset();
    p.sentAt = this.#opts.clock.now();
    p.timer = this.#opts.clock.setTimeout(() => {
      p.timer = undefined;
      this.#settle(
        p,
        Cjt188Errors.TIMEOUT.create([p.request.address, p.timeoutMs], { address: p.request.address }),
      );
    }, p.timeoutMs);
    this.#opts.send(encodeFrame(p.request, this.#opts.preamble));
  }

  #onFrame(f: Frame): void {
    const p = this.#current;
    if (!p || !isResponse(f) || f.di !== p.request.di || f.ser !== p.request.ser) return;
    if (p.request.address !== BROADCAST_ADDRESS && f.address !== p.request.address) return;
    this.#settle(p, undefined, { frame: f, rttMs: this.#opts.clock.now() - p.sentAt });
  }

  #settle(p: Pending, err: unknown, ok?: Exchange): void {
    if (p.timer) this.#opts.clock.clearTimeout(p.timer);
    p.timer = undefined;
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    if (this.#current === p) this.#current = undefined;
    else {
      const i = this.#queue.indexOf(p);
      if (i < 0) return;
      this.#queue.splice(i, 1);
    }
    if (ok) p.resolve(ok);
    else p.reject(err);
    this.#pump();
  }
}
