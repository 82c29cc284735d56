import type { Clock, TimerHandle } from '@watershed/common';
import type { Sample, SampleValue } from '@watershed/model';
import { createDetector, type Detector } from './conditions.js';
import type { AlarmRule } from './rule.js';
import type { AlarmState } from './state.js';

/** What a runtime asks of its engine when the condition, after its delay, has changed. */
export interface RuntimeHost {
  readonly clock: Clock;
  activate(rt: AlarmRuntime, value: SampleValue | undefined): void;
  clear(rt: AlarmRuntime, value: SampleValue | undefined): void;
}

/**
 * One rule at work: its detector, the on/off delay (ISA-18.2 §10.5.2.3: the condition must hold
 * for the whole delay, so a value bouncing across the limit never completes one), and the no-data
 * watchdog. It owns its timers and cancels them in `stop`.
 */
export class AlarmRuntime {
  readonly rule: AlarmRule;
  state: AlarmState;
  readonly #host: RuntimeHost;
  #detector: Detector;
  #pending: { target: boolean; timer: TimerHandle } | undefined;
  #watchdog: TimerHandle | undefined;
  #lastValue: SampleValue | undefined;
  shelveTimer: TimerHandle | undefined;

  constructor(rule: AlarmRule, state: AlarmState, host: RuntimeHost) {
    this.rule = rule;
    this.state = state;
    this.#host = host;
    this.#detector = createDetector(rule.condition, state.active);
    this.#lastValue = state.value;
  }

  /** Begins watching: the no-data watchdog starts counting from now. */
  start(): void {
    this.#arm();
  }

  ingest(sample: Sample): void {
    if (this.state.outOfService) return;
    this.#lastValue = sample.value;
    this.#arm();
    const verdict = this.#detector.update(sample);
    if (verdict !== undefined) this.#verdict(verdict);
  }

  /** Forgets what the detector has seen (back in service: evaluation starts afresh). */
  reset(): void {
    this.#cancelPending();
    this.#detector = createDetector(this.rule.condition, this.state.active);
    this.#arm();
  }

  /** Cancels the pending delay and the watchdog; the shelving timer too. */
  stop(): void {
    this.#cancelPending();
    if (this.#watchdog) this.#host.clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    if (this.shelveTimer) this.#host.clock.clearTimeout(this.shelveTimer);
    this.shelveTimer = undefined;
  }

  /** Out of service: no verdicts, no timers but the shelving one. */
  pause(): void {
    this.#cancelPending();
    if (this.#watchdog) this.#host.clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  #verdict(abnormal: boolean): void {
    if (abnormal === this.state.active) {
      // The condition is back where the alarm already is: an unfinished delay towards the other side is void.
      this.#cancelPending();
      return;
    }
    if (this.#pending?.target === abnormal) return; // already waiting for this change
    this.#cancelPending();
    const delay = (abnormal ? this.rule.onDelayMs : this.rule.offDelayMs) ?? 0;
    if (delay === 0) {
      this.#apply(abnormal);
      return;
    }
    const timer = this.#host.clock.setTimeout(() => {
      this.#pending = undefined;
      this.#apply(abnormal);
    }, delay);
    timer.unref?.();
    this.#pending = { target: abnormal, timer };
  }

  #apply(abnormal: boolean): void {
    if (abnormal) this.#host.activate(this, this.#lastValue);
    else this.#host.clear(this, this.#lastValue);
  }

  #cancelPending(): void {
    if (this.#pending) this.#host.clock.clearTimeout(this.#pending.timer);
    this.#pending = undefined;
  }

  /** The no-data watchdog: re-armed by every sample, fires after intervals × intervalMs of silence. */
  #arm(): void {
    const c = this.rule.condition;
    if (c.kind !== 'noData') return;
    if (this.#watchdog) this.#host.clock.clearTimeout(this.#watchdog);
    this.#watchdog = this.#host.clock.setTimeout(() => {
      this.#watchdog = undefined;
      this.#lastValue = null;
      this.#verdict(true);
    }, c.intervalMs * c.intervals);
    this.#watchdog.unref?.();
  }
}
