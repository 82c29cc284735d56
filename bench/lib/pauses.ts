import {
  PerformanceObserver,
  monitorEventLoopDelay,
  performance,
  type IntervalHistogram,
} from 'node:perf_hooks';

/**
 * When this process (the load generator) could not run: its own garbage-collection pauses
 * (`gc` performance entries) and late ticks of a timer it drives (a tick due every `periodMs`
 * that comes later than that was held up by GC, by other work on its event loop, or by the
 * machine not scheduling it). A message that arrives during such a pause is timestamped when
 * the pause ends, so its latency includes the generator's pause, not only the broker's path:
 * `overlapping` lets a latency scenario tell those messages apart.
 *
 * Times are ns on the caller's `nowNs` clock (hrtime since the run began).
 */
export class GeneratorPauses {
  readonly #periodNs: number;
  /** performance.now() (ms) minus nowNs() (ns → ms): converts GC entry times to nowNs. */
  readonly #perfOffsetMs: number;
  /** Pause intervals, flattened [start, end, start, end, …], in the order they ended. */
  readonly #pauses: number[] = [];
  readonly #observer: PerformanceObserver;
  readonly #loop: IntervalHistogram;
  #lastTick = -1;
  #gcCount = 0;
  #gcTotalMs = 0;
  #gcMaxMs = 0;

  constructor(nowNs: () => number, periodMs: number) {
    this.#periodNs = periodMs * 1e6;
    this.#perfOffsetMs = performance.now() - nowNs() / 1e6;
    this.#observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const start = (e.startTime - this.#perfOffsetMs) * 1e6;
        this.#pauses.push(start, start + e.duration * 1e6);
        this.#gcCount++;
        this.#gcTotalMs += e.duration;
        if (e.duration > this.#gcMaxMs) this.#gcMaxMs = e.duration;
      }
    });
    this.#loop = monitorEventLoopDelay({ resolution: 1 });
  }

  start(): void {
    this.#observer.observe({ entryTypes: ['gc'] });
    this.#loop.enable();
  }

  stop(): void {
    this.#observer.disconnect();
    this.#loop.disable();
  }

  /** Call from the timer that fires every `periodMs`: a late tick is recorded as a pause. */
  tick(now: number): void {
    const last = this.#lastTick;
    this.#lastTick = now;
    if (last >= 0 && now - last > 2 * this.#periodNs) this.#pauses.push(last + this.#periodNs, now);
  }

  /** Whether a pause of the generator overlapped [fromNs, toNs] (a message's flight). */
  overlapping(fromNs: number, toNs: number): boolean {
    const p = this.#pauses;
    for (let i = 0; i < p.length; i += 2) if (p[i]! <= toNs && p[i + 1]! >= fromNs) return true;
    return false;
  }

  summary(): string {
    const loopP99 = this.#loop.percentile(99) / 1e6;
    const loopMax = this.#loop.max / 1e6;
    return (
      `gen GC ${this.#gcCount}× (max ${this.#gcMaxMs.toFixed(2)} ms, total ${this.#gcTotalMs.toFixed(0)} ms), ` +
      `gen loop delay p99 ${loopP99.toFixed(2)} ms max ${loopMax.toFixed(1)} ms`
    );
  }
}
