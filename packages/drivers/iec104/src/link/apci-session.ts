/**
 * The APCI link procedures of IEC 60870-5-104 §5, for either end of one TCP connection: a state
 * machine fed by received bytes and an injected Clock, which emits bytes through `send` and ASDUs
 * through `onAsdu`. It owns no socket: when the standard says "close the connection" it calls
 * `onFail` once and the owner closes it.
 *
 *   stopped --STARTDT act/con--> started --STOPDT act/con--> stopped      (§5.3)
 *
 * Send side: I-frames carry N(S) = V(S) and the current N(R) (§5.1); at most `k` may be
 * unacknowledged (§5.5), further ASDUs wait in a queue. Receive side: each I-frame's N(S) must
 * equal V(R), otherwise the link is out of step and must be closed (§5.1); it is acknowledged at
 * the latest after `w` I-frames or t2 (§5.5, §6.9) by an S-frame or by N(R) of an I-frame we send.
 * Timers (§6.9, interoperability list): t1 on every sent I-frame and U-frame act awaiting its
 * acknowledgement — expiry closes the link; t2 for acknowledgements; t3 idle → TESTFR act (test
 * procedure, §5.2).
 */
import type { Clock, TimerHandle, WatershedError } from '@watershed/common';
import {
  ApduSplitter,
  SEQ_MODULO,
  U,
  decodeApdu,
  encodeI,
  encodeS,
  encodeU,
  seqDistance,
  uName,
  type UFunction,
} from '../codec/apci.js';
import { Iec104Errors } from '../errors.js';

export type ApciRole = 'controlling' | 'controlled';
export type ApciState = 'stopped' | 'starting' | 'started' | 'stopping' | 'failed';

export interface ApciTimers {
  /** Timeout of a sent I-frame or U-frame act (§6.9 default 15 s). */
  t1Ms: number;
  /** Acknowledgement delay for received I-frames, t2 < t1 (§6.9 default 10 s). */
  t2Ms: number;
  /** Idle time before a test frame (§6.9 default 20 s). */
  t3Ms: number;
  /** Most unacknowledged I-frames we send (§5.5 default 12). */
  k: number;
  /** Acknowledge at the latest after w received I-frames (§5.5 default 8). */
  w: number;
}

export const DEFAULT_TIMERS: ApciTimers = { t1Ms: 15_000, t2Ms: 10_000, t3Ms: 20_000, k: 12, w: 8 };

export interface ApciSessionOptions extends ApciTimers {
  role: ApciRole;
  clock: Clock;
  send(bytes: Uint8Array): void;
  onAsdu(asdu: Uint8Array): void;
  /** Data transfer started (STARTDT confirmed, or accepted on the controlled side). */
  onStarted?(): void;
  onStopped?(): void;
  /** The connection must be closed; called once. */
  onFail(err: WatershedError): void;
  /** ASDUs held while the window is full or transfer is stopped; the oldest is dropped beyond it. */
  maxQueue?: number;
}

export interface ApciStats {
  iSent: number;
  iReceived: number;
  testFrames: number;
  dropped: number;
}

export class ApciSession {
  readonly #o: ApciSessionOptions;
  readonly #splitter: ApduSplitter;
  #state: ApciState = 'stopped';
  /** V(S), V(R) and the oldest of our I-frames not yet acknowledged (§5.1). */
  #vs = 0;
  #vr = 0;
  #ackedUpTo = 0;
  /** Send times of unacknowledged I-frames, oldest first, for t1. */
  readonly #sentAt: number[] = [];
  /** Received I-frames we have not acknowledged yet. */
  #unackedIn = 0;
  /** The U-frame act awaiting its con, and when it was sent. */
  #pendingU: { fn: UFunction; at: number } | undefined;
  #stopRequested = false;
  /** FIFO of ASDUs waiting to be sent: `#queue[#head…]`; shifting an array would be O(n). */
  #queue: Uint8Array[] = [];
  #head = 0;
  #lastRx: number;
  #t1: TimerHandle | undefined;
  #t2: TimerHandle | undefined;
  #t3: TimerHandle | undefined;
  readonly stats: ApciStats = { iSent: 0, iReceived: 0, testFrames: 0, dropped: 0 };

  constructor(opts: ApciSessionOptions) {
    this.#o = opts;
    this.#lastRx = opts.clock.now();
    this.#splitter = new ApduSplitter((frame) => this.#onFrame(frame));
    this.#armT3();
  }

  get state(): ApciState {
    return this.#state;
  }

  /** I-frames sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#sentAt.length;
  }

  /** ASDUs waiting for the window or for STARTDT. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Controlling station: asks the peer to start data transfer (STARTDT act, §5.3). */
  start(): void {
    if (this.#o.role !== 'controlling' || this.#state !== 'stopped') return;
    this.#state = 'starting';
    this.#sendU(U.STARTDT_ACT);
  }

  /** Controlling station: asks the peer to stop data transfer (STOPDT act, §5.3). */
  stop(): void {
    if (this.#o.role !== 'controlling' || this.#state !== 'started') return;
    this.#state = 'stopping';
    this.#ackNow();
    this.#sendU(U.STOPDT_ACT);
  }

  /** Queues an ASDU; it goes out at once while transfer is started and the k-window has room. */
  sendAsdu(asdu: Uint8Array): void {
    if (this.#state === 'failed') return;
    this.#queue.push(asdu);
    const max = this.#o.maxQueue ?? 10_000;
    while (this.queued > max) {
      this.#dequeue();
      this.stats.dropped++;
    }
    this.#flush();
  }

  onData(chunk: Uint8Array): void {
    if (this.#state === 'failed') return;
    try {
      this.#splitter.push(chunk);
    } catch (err) {
      this.#fail(err as WatershedError);
    }
  }

  /** Releases the timers; the session ignores everything afterwards. */
  dispose(): void {
    this.#state = 'failed';
    this.#clearTimers();
    this.#queue = [];
    this.#head = 0;
  }

  #onFrame(frame: Uint8Array): void {
    if (this.#state === 'failed') return;
    this.#lastRx = this.#o.clock.now();
    const apdu = decodeApdu(frame);
    switch (apdu.format) {
      case 'I':
        this.#onI(apdu.ns, apdu.nr, apdu.asdu);
        break;
      case 'S':
        this.#onAck(apdu.nr);
        break;
      case 'U':
        this.#onU(apdu.fn);
        break;
    }
  }

  #onI(ns: number, nr: number, asdu: Uint8Array): void {
    if (this.#state !== 'started' && this.#state !== 'stopping') {
      throw Iec104Errors.SEQUENCE.create([`I-frame while data transfer is ${this.#state}`]);
    }
    if (ns !== this.#vr) {
      throw Iec104Errors.SEQUENCE.create([`received N(S) ${ns}, expected ${this.#vr}`]);
    }
    this.#vr = (this.#vr + 1) % SEQ_MODULO;
    this.stats.iReceived++;
    if (!this.#onAck(nr)) return;
    this.#unackedIn++;
    if (this.#unackedIn >= this.#o.w) this.#ackNow();
    else
      this.#t2 ??= this.#o.clock.setTimeout(() => {
        this.#t2 = undefined;
        this.#ackNow();
      }, this.#o.t2Ms);
    this.#o.onAsdu(asdu);
  }

  /** Applies a received N(R); false when the link failed because of it. */
  #onAck(nr: number): boolean {
    const acked = seqDistance(nr, this.#ackedUpTo);
    if (acked > this.#sentAt.length) {
      this.#fail(
        Iec104Errors.SEQUENCE.create([`N(R) ${nr} acknowledges frames never sent (V(S) ${this.#vs})`]),
      );
      return false;
    }
    if (acked > 0) {
      this.#sentAt.splice(0, acked);
      this.#ackedUpTo = nr;
      this.#armT1();
      if (this.#stopRequested && this.#sentAt.length === 0) this.#confirmStop();
      this.#flush();
    }
    return true;
  }

  #onU(fn: UFunction): void {
    const role = this.#o.role;
    switch (fn) {
      case U.TESTFR_ACT:
        this.#o.send(encodeU(U.TESTFR_CON));
        return;
      case U.STARTDT_ACT:
        if (role !== 'controlled') break;
        this.#o.send(encodeU(U.STARTDT_CON));
        this.#stopRequested = false;
        this.#started();
        return;
      case U.STOPDT_ACT:
        if (role !== 'controlled') break;
        // §5.3: outstanding I-frames are acknowledged before STOPDT con; ours first, then we confirm.
        this.#ackNow();
        this.#state = 'stopping';
        this.#stopRequested = true;
        if (this.#sentAt.length === 0) this.#confirmStop();
        return;
      case U.TESTFR_CON:
      case U.STARTDT_CON:
      case U.STOPDT_CON:
        if (this.#pendingU?.fn !== actOf(fn)) break;
        this.#pendingU = undefined;
        this.#armT1();
        if (fn === U.STARTDT_CON) this.#started();
        else if (fn === U.STOPDT_CON) this.#stopped();
        return;
    }
    throw Iec104Errors.SEQUENCE.create([`unexpected ${uName(fn)} at the ${role} station (${this.#state})`]);
  }

  #started(): void {
    this.#state = 'started';
    this.#o.onStarted?.();
    this.#flush();
  }

  #confirmStop(): void {
    this.#stopRequested = false;
    this.#o.send(encodeU(U.STOPDT_CON));
    this.#stopped();
  }

  #stopped(): void {
    this.#state = 'stopped';
    this.#o.onStopped?.();
  }

  #flush(): void {
    while (this.#state === 'started' && this.queued > 0 && this.#sentAt.length < this.#o.k) {
      const asdu = this.#dequeue();
      const frame = encodeI(this.#vs, this.#vr, asdu);
      this.#vs = (this.#vs + 1) % SEQ_MODULO;
      this.#sentAt.push(this.#o.clock.now());
      this.stats.iSent++;
      // Our N(R) acknowledges everything received so far (§5.1).
      this.#ackedIn();
      if (this.#sentAt.length === 1) this.#armT1();
      this.#o.send(frame);
    }
  }

  #dequeue(): Uint8Array {
    const asdu = this.#queue[this.#head] as Uint8Array;
    this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return asdu;
  }

  #ackNow(): void {
    if (this.#unackedIn === 0) return;
    this.#ackedIn();
    this.#o.send(encodeS(this.#vr));
  }

  #ackedIn(): void {
    this.#unackedIn = 0;
    if (this.#t2) this.#o.clock.clearTimeout(this.#t2);
    this.#t2 = undefined;
  }

  #sendU(fn: UFunction): void {
    this.#pendingU = { fn, at: this.#o.clock.now() };
    this.#armT1();
    this.#o.send(encodeU(fn));
  }

  /** One t1 timer for the oldest unacknowledged frame, I- or U-format. */
  #armT1(): void {
    if (this.#t1) this.#o.clock.clearTimeout(this.#t1);
    this.#t1 = undefined;
    const oldest = Math.min(this.#sentAt[0] ?? Infinity, this.#pendingU?.at ?? Infinity);
    if (oldest === Infinity) return;
    const delay = Math.max(0, oldest + this.#o.t1Ms - this.#o.clock.now());
    this.#t1 = this.#o.clock.setTimeout(() => {
      this.#t1 = undefined;
      const what = this.#pendingU ? uName(this.#pendingU.fn) : `I-frame N(S) ${this.#ackedUpTo}`;
      this.#fail(Iec104Errors.T1_TIMEOUT.create([what, this.#o.t1Ms]));
    }, delay);
  }

  #armT3(): void {
    const delay = Math.max(0, this.#lastRx + this.#o.t3Ms - this.#o.clock.now());
    this.#t3 = this.#o.clock.setTimeout(() => {
      this.#t3 = undefined;
      if (this.#state === 'failed') return;
      // t3 counts from the last received frame; test only once the link has been idle that long.
      // Idle time restarts either way, so a pending act (whose t1 is running) does not make this
      // timer fire again at once.
      if (this.#o.clock.now() - this.#lastRx >= this.#o.t3Ms) {
        if (!this.#pendingU) {
          this.stats.testFrames++;
          this.#sendU(U.TESTFR_ACT);
        }
        this.#lastRx = this.#o.clock.now();
      }
      this.#armT3();
    }, delay);
  }

  #fail(err: WatershedError): void {
    if (this.#state === 'failed') return;
    this.dispose();
    this.#o.onFail(err);
  }

  #clearTimers(): void {
    for (const t of [this.#t1, this.#t2, this.#t3]) if (t) this.#o.clock.clearTimeout(t);
    this.#t1 = this.#t2 = this.#t3 = undefined;
  }
}

function actOf(con: UFunction): UFunction {
  return con === U.STARTDT_CON ? U.STARTDT_ACT : con === U.STOPDT_CON ? U.STOPDT_ACT : U.TESTFR_ACT;
}
