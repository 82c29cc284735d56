/**
 * One S7 client session on one connection:
 *
 *   COTP CR --> CC (ISO 8073 §14.5, TSAPs name the CPU) --> S7 Setup Communication job --> Ack-Data
 *   (the PLC answers with the PDU length it accepts) --> ready: Read Var / Write Var jobs.
 *
 * Jobs go one at a time (the PLC's "max AmQ called" is often 1 on small CPUs, and polls are
 * sequential anyway); each job carries a PDU reference so a late answer to a timed-out job is
 * recognised and dropped rather than taken for the next job's answer.
 */
import type { Clock, TimerHandle } from '@watershed/common';
import { decodeTpdu, encodeCr, encodeDt } from '../codec/cotp.js';
import { decodePdu, decodeSetup, encodePdu, encodeSetup, ROSCTR, type S7Pdu } from '../codec/s7comm.js';
import { encodeTpkt, TpktSplitter } from '../codec/tpkt.js';
import { S7Errors } from '../errors.js';

export interface SessionOptions {
  readonly clock: Clock;
  readonly send: (bytes: Uint8Array) => void;
  readonly description: string;
  readonly localTsap: number;
  readonly remoteTsap: number;
  /** PDU length to ask for; the PLC may grant less. */
  readonly pduSize: number;
  readonly timeoutMs: number;
  /** The handshake completed; `pduSize` is the negotiated length. */
  readonly onReady: (pduSize: number) => void;
  /** The connection is unusable (refused, broken frame, handshake timeout). */
  readonly onFail: (err: Error, timedOut: boolean) => void;
}

interface Pending {
  readonly ref: number;
  readonly what: string;
  readonly sentAt: number;
  readonly timer: TimerHandle;
  readonly resolve: (r: { pdu: S7Pdu; rttMs: number }) => void;
  readonly reject: (err: Error) => void;
}

type Phase = 'cotp' | 'setup' | 'ready' | 'dead';

export class S7Session {
  readonly #o: SessionOptions;
  readonly #splitter = new TpktSplitter();
  #phase: Phase = 'cotp';
  #pduSize = 0;
  #ref = 0;
  #pending: Pending | undefined;
  #handshakeTimer: TimerHandle | undefined;
  /** Jobs wait here for their turn; one job on the wire at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(o: SessionOptions) {
    this.#o = o;
  }

  get pduSize(): number {
    return this.#pduSize;
  }

  /** Sends the COTP connection request; the rest of the handshake follows the answers. */
  start(): void {
    this.#handshakeTimer = this.#o.clock.setTimeout(() => {
      this.#fail(
        S7Errors.TIMEOUT.create(['the connection setup', this.#o.description, this.#o.timeoutMs]),
        true,
      );
    }, this.#o.timeoutMs);
    this.#send(encodeCr({ srcRef: 0x0001, callingTsap: this.#o.localTsap, calledTsap: this.#o.remoteTsap }));
  }

  onData(chunk: Uint8Array): void {
    try {
      for (const tpdu of this.#splitter.push(chunk)) this.#onTpdu(tpdu);
    } catch (err) {
      this.#fail(err as Error, false);
    }
  }

  /**
   * Runs one job (parameter + data) and resolves with the acknowledgement. Rejects with
   * WS_ERR_S7_TIMEOUT, WS_ERR_S7_PDU_ERROR (header error class/code) or the disposal error.
   */
  job(
    what: string,
    param: Uint8Array,
    data?: Uint8Array,
    signal?: AbortSignal,
  ): Promise<{ pdu: S7Pdu; rttMs: number }> {
    const run = this.#queue.then(() => this.#run(what, param, data, signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Fails the pending job and stops every timer; the link closes the connection. */
  dispose(err: Error): void {
    this.#phase = 'dead';
    if (this.#handshakeTimer) this.#o.clock.clearTimeout(this.#handshakeTimer);
    const p = this.#pending;
    this.#pending = undefined;
    if (p) {
      this.#o.clock.clearTimeout(p.timer);
      p.reject(err);
    }
  }

  #run(
    what: string,
    param: Uint8Array,
    data: Uint8Array | undefined,
    signal?: AbortSignal,
  ): Promise<{ pdu: S7Pdu; rttMs: number }> {
    if (this.#phase !== 'ready')
      return Promise.reject(S7Errors.DISCONNECTED.create([this.#o.description, 'session not ready']));
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      this.#ref = (this.#ref % 0xffff) + 1;
      const ref = this.#ref;
      const timer = this.#o.clock.setTimeout(() => {
        if (this.#pending?.ref !== ref) return;
        this.#pending = undefined;
        reject(S7Errors.TIMEOUT.create([what, this.#o.description, this.#o.timeoutMs]));
      }, this.#o.timeoutMs);
      this.#pending = { ref, what, sentAt: this.#o.clock.now(), timer, resolve, reject };
      this.#send(encodeDt(encodePdu({ rosctr: ROSCTR.JOB, pduRef: ref }, param, data)));
    });
  }

  #onTpdu(bytes: Uint8Array): void {
    const tpdu = decodeTpdu(bytes);
    if (tpdu.kind === 'DR') {
      throw S7Errors.REFUSED.create([
        'the ISO connection',
        `disconnect request, reason 0x${tpdu.reason.toString(16)} (wrong rack/slot or TSAP?)`,
      ]);
    }
    if (tpdu.kind === 'CC' && this.#phase === 'cotp') {
      this.#phase = 'setup';
      // Max AmQ 1/1: we never have more than one job outstanding (see the class comment).
      this.#send(
        encodeDt(
          encodePdu(
            { rosctr: ROSCTR.JOB, pduRef: 0 },
            encodeSetup({ maxAmqCalling: 1, maxAmqCalled: 1, pduLength: this.#o.pduSize }),
          ),
        ),
      );
      return;
    }
    if (tpdu.kind !== 'DT')
      throw S7Errors.FRAME.create([`unexpected COTP ${tpdu.kind} in phase ${this.#phase}`]);
    const pdu = decodePdu(tpdu.payload);
    if (this.#phase === 'setup') {
      if (pdu.errorClass !== 0) {
        throw S7Errors.REFUSED.create([
          'the communication setup',
          `error class 0x${pdu.errorClass.toString(16)} code 0x${pdu.errorCode.toString(16)}`,
        ]);
      }
      this.#pduSize = Math.min(decodeSetup(pdu.param).pduLength, this.#o.pduSize);
      this.#phase = 'ready';
      if (this.#handshakeTimer) this.#o.clock.clearTimeout(this.#handshakeTimer);
      this.#handshakeTimer = undefined;
      this.#o.onReady(this.#pduSize);
      return;
    }
    const p = this.#pending;
    // An answer to a job that already timed out: its reference no longer matches.
    if (!p || p.ref !== pdu.pduRef) return;
    this.#pending = undefined;
    this.#o.clock.clearTimeout(p.timer);
    if (pdu.errorClass !== 0 || pdu.errorCode !== 0) {
      p.reject(S7Errors.PDU_ERROR.create([p.what, pdu.errorClass.toString(16), pdu.errorCode.toString(16)]));
      return;
    }
    p.resolve({ pdu, rttMs: this.#o.clock.now() - p.sentAt });
  }

  #send(tpdu: Uint8Array): void {
    this.#o.send(encodeTpkt(tpdu));
  }

  #fail(err: Error, timedOut: boolean): void {
    if (this.#phase === 'dead') return;
    this.dispose(err);
    this.#o.onFail(err, timedOut);
  }
}
