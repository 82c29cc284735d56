import type { Clock, TimerHandle } from '@watershed/common';
import type { Duplex } from 'node:stream';

/**
 * A token bucket that may go into debt: `take` always succeeds and returns how long (ms) the
 * taker must wait before the balance is back to zero. Capacity is one second's worth, so a
 * client may burst up to its per-second budget and then settles to the rate.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  #balance: number;
  #at: number;

  constructor(perSecond: number, now: number) {
    this.#ratePerMs = perSecond / 1000;
    this.#capacity = perSecond;
    this.#balance = perSecond;
    this.#at = now;
  }

  take(amount: number, now: number): number {
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#balance = Math.min(this.#capacity, this.#balance + elapsed * this.#ratePerMs) - amount;
    return this.#balance >= 0 ? 0 : Math.ceil(-this.#balance / this.#ratePerMs);
  }
}

/**
 * Per-client inbound rate limit (messages/s and bytes/s). Excess is delayed, never dropped:
 * when a budget is overdrawn the socket is paused until it has refilled, so TCP flow control
 * pushes back on the publisher. Dropping would silently lose QoS 0 data and, for QoS 1/2, only
 * provoke resends; closing would turn a burst into a reconnect storm. Packets already read in
 * the same chunk are handled — the debt they leave is paid by the pause that follows.
 */
export class InboundThrottle {
  readonly #clock: Clock;
  readonly #stream: Duplex;
  readonly #messages: TokenBucket | undefined;
  readonly #bytes: TokenBucket | undefined;
  #timer: TimerHandle | undefined;
  #pendingMessages = 0;
  #pauses = 0;
  /** True while something else (acks owed to a slow store) keeps reading paused. */
  readonly #heldElsewhere: () => boolean;

  constructor(
    clock: Clock,
    stream: Duplex,
    messagesPerS: number,
    bytesPerS: number,
    heldElsewhere: () => boolean = () => false,
  ) {
    this.#clock = clock;
    this.#stream = stream;
    this.#heldElsewhere = heldElsewhere;
    const now = clock.now();
    if (Number.isFinite(messagesPerS)) this.#messages = new TokenBucket(messagesPerS, now);
    if (Number.isFinite(bytesPerS)) this.#bytes = new TokenBucket(bytesPerS, now);
  }

  /** True when no budget is configured (the connection then skips the accounting). */
  static unlimited(messagesPerS: number, bytesPerS: number): boolean {
    return !Number.isFinite(messagesPerS) && !Number.isFinite(bytesPerS);
  }

  /** Counts one PUBLISH from the client; charged with the bytes of its chunk in `afterChunk`. */
  message(): void {
    this.#pendingMessages++;
  }

  /** Charges a chunk just parsed; pauses the stream when a budget is overdrawn. */
  afterChunk(bytes: number): void {
    const now = this.#clock.now();
    const byBytes = this.#bytes?.take(bytes, now) ?? 0;
    const byMessages =
      this.#pendingMessages > 0 ? (this.#messages?.take(this.#pendingMessages, now) ?? 0) : 0;
    this.#pendingMessages = 0;
    const wait = Math.max(byBytes, byMessages);
    if (wait <= 0 || this.#timer !== undefined) return;
    this.#pauses++;
    this.#stream.pause();
    this.#timer = this.#clock.setTimeout(this.#resume, wait);
  }

  /** How often reading was paused (for tests and diagnostics). */
  get pauses(): number {
    return this.#pauses;
  }

  get paused(): boolean {
    return this.#timer !== undefined;
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #resume = (): void => {
    this.#timer = undefined;
    if (!this.#stream.destroyed && !this.#heldElsewhere()) this.#stream.resume();
  };
}
