/**
 * The client session: sends requests over one connection and matches responses to them. It owns
 * no socket — the link feeds it bytes and gives it a `send` function — so it runs the same over
 * any transport and, with a FakeClock, times out deterministically in tests.
 *
 * Guarantees: at most `maxInFlight` requests are on the wire (1 for RTU framing, which has no
 * transaction id); each in-flight request settles exactly once — with its response, an exception
 * error, WS_ERR_MODBUS_TIMEOUT after `timeoutMs`, its AbortSignal's reason, or the error passed to
 * `fail()` when the connection goes away.
 */
import type { Clock, TimerHandle } from '@watershed/common';
import {
  decodeResponse,
  encodeRequest,
  exceptionName,
  isException,
  type Request,
  type Response,
} from '../codec/pdu.js';
import { ModbusErrors } from '../errors.js';
import type { Framing, Splitter } from './framing.js';

export interface SessionOptions {
  framing: Framing;
  clock: Clock;
  timeoutMs: number;
  maxInFlight: number;
  send(bytes: Uint8Array): void;
  /** An MBAP stream is out of step (garbage header): the owner should drop the connection. */
  onProtocolError(error: Error): void;
}

export interface Exchange {
  response: Exclude<Response, { exception: number }>;
  rttMs: number;
}

interface Pending {
  id: number;
  unitId: number;
  request: Request;
  pdu: Uint8Array;
  resolve(e: Exchange): void;
  reject(err: unknown): void;
  sentAt: number;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class ClientSession {
  readonly #opts: SessionOptions;
  readonly #maxInFlight: number;
  readonly #splitter: Splitter;
  readonly #queue: Pending[] = [];
  readonly #inFlight = new Map<number, Pending>();
  #nextId = 0;
  #failed: Error | undefined;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#maxInFlight = opts.framing.pipelined ? Math.max(1, opts.maxInFlight) : 1;
    this.#splitter = opts.framing.splitter((id, unitId, pdu) => this.#onFrame(id, unitId, pdu));
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  get queued(): number {
    return this.#queue.length;
  }

  request(unitId: number, request: Request, signal?: AbortSignal): Promise<Exchange> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<Exchange>((resolve, reject) => {
      const p: Pending = {
        id: 0,
        unitId,
        request,
        pdu: encodeRequest(request),
        resolve,
        reject,
        sentAt: 0,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        p.onAbort = () => this.#settle(p, () => reject(signal.reason as Error));
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.#queue.push(p);
      this.#pump();
    });
  }

  /** Feeds received bytes. */
  onData(chunk: Uint8Array): void {
    try {
      this.#splitter.push(chunk);
    } catch (err) {
      if (this.#opts.framing.pipelined) {
        this.#opts.onProtocolError(err as Error);
        return;
      }
      // RTU: a corrupted answer (CRC, noise) spoils only the request in flight; the splitter has
      // dropped its bytes and the line resynchronises before the next request (Serial Line §2.5.1.1).
      const p = this.#inFlight.values().next().value;
      if (p) this.#settle(p, () => p.reject(err));
    }
  }

  /** Rejects everything pending and queued with `error`; later requests reject at once. */
  fail(error: Error): void {
    this.#failed ??= error;
    for (const p of [...this.#inFlight.values(), ...this.#queue]) this.#settle(p, () => p.reject(error));
  }

  #pump(): void {
    while (this.#inFlight.size < this.#maxInFlight && this.#queue.length > 0) {
      const p = this.#queue[0]!;
      // Its abort listener may not have run yet when an earlier listener freed the slot.
      if (p.signal?.aborted) {
        this.#settle(p, () => p.reject(p.signal?.reason));
        continue;
      }
      this.#queue.shift();
      // RTU: nothing is in flight, so buffered bytes are the tail of an answer that came too late;
      // drop them, as a serial device resynchronises on the silence before a new request.
      if (!this.#opts.framing.pipelined) this.#splitter.reset();
      p.id = this.#allocateId();
      p.sentAt = this.#opts.clock.now();
      this.#inFlight.set(p.id, p);
      p.timer = this.#opts.clock.setTimeout(() => {
        this.#settle(p, () =>
          p.reject(
            ModbusErrors.TIMEOUT.create([p.unitId, this.#opts.timeoutMs], {
              unitId: p.unitId,
              fc: p.request.fc,
            }),
          ),
        );
      }, this.#opts.timeoutMs);
      this.#opts.send(this.#opts.framing.encode(p.id, p.unitId, p.pdu));
    }
  }

  /** Transaction ids run 1..65535 and skip ids still in flight (Messaging Guide §3.1.3). */
  #allocateId(): number {
    do this.#nextId = (this.#nextId % 0xffff) + 1;
    while (this.#inFlight.has(this.#nextId));
    return this.#nextId;
  }

  #onFrame(id: number | undefined, unitId: number, pdu: Uint8Array): void {
    // Without ids (RTU) the only candidate is the single request in flight.
    const p = id === undefined ? this.#inFlight.values().next().value : this.#inFlight.get(id);
    // A response to a request that already timed out or was aborted: nothing waits for it.
    if (!p) return;
    // RTU: a late answer to an earlier, timed-out request shows up as a unit or function mismatch
    // and is dropped. MBAP matches on the transaction id alone: some gateways rewrite the unit id,
    // and a function mismatch is caught as a malformed answer by decodeResponse.
    if (id === undefined && (p.unitId !== unitId || ((pdu[0] ?? 0) & 0x7f) !== p.request.fc)) return;
    let response: Response;
    try {
      response = decodeResponse(pdu, p.request);
    } catch (err) {
      this.#settle(p, () => p.reject(err));
      return;
    }
    const rttMs = this.#opts.clock.now() - p.sentAt;
    if (isException(response)) {
      const err = ModbusErrors.EXCEPTION.create(
        [
          unitId,
          p.request.fc.toString(16).padStart(2, '0'),
          response.exception,
          exceptionName(response.exception),
        ],
        { unitId, fc: p.request.fc, exceptionCode: response.exception },
      );
      this.#settle(p, () => p.reject(err));
    } else {
      this.#settle(p, () => p.resolve({ response, rttMs }));
    }
  }

  /** Removes a request from wherever it is, releases its timer and listener, then settles it once. */
  #settle(p: Pending, settle: () => void): void {
    const queuedAt = this.#queue.indexOf(p);
    if (queuedAt >= 0) this.#queue.splice(queuedAt, 1);
    else if (this.#inFlight.get(p.id) === p) this.#inFlight.delete(p.id);
    else return;
    if (p.timer) this.#opts.clock.clearTimeout(p.timer);
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    settle();
    if (!this.#failed) this.#pump();
  }
}
