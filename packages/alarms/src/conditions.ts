import type { Sample } from '@watershed/model';
import type { AlarmCondition, LimitCondition, RateCondition, StuckCondition } from './rule.js';

/**
 * Sample-driven detectors: each turns the point's samples into the rule's raw condition
 * (true = abnormal). `undefined` means "this sample says nothing", e.g. a bad-quality sample for
 * a limit rule: a value the source itself distrusts neither raises nor clears a process alarm
 * (ISA-18.2 §10.5.2: bad-quality alarms are their own, separate alarms). The on/off delays and
 * the state model live in the engine; the detectors only know the condition.
 *
 * The raw condition is latched where the rule has hysteresis, so a value wandering inside the
 * deadband keeps the verdict it had.
 */
export interface Detector {
  update(sample: Sample): boolean | undefined;
}

/** Numbers as numbers, booleans as 0/1; anything else is not a measurement a limit applies to. */
export function numeric(sample: Sample): number | undefined {
  if (sample.quality === 'bad') return undefined;
  if (typeof sample.value === 'number') return Number.isFinite(sample.value) ? sample.value : undefined;
  if (typeof sample.value === 'boolean') return sample.value ? 1 : 0;
  return undefined;
}

class LimitDetector implements Detector {
  readonly #c: LimitCondition;
  #latched: boolean;

  constructor(c: LimitCondition, active: boolean) {
    this.#c = c;
    this.#latched = active;
  }

  update(sample: Sample): boolean | undefined {
    const v = numeric(sample);
    if (v === undefined) return undefined;
    const { limit, deadband = 0 } = this.#c;
    // High: raise above the limit, return only below limit − deadband (ISA-18.2 §10.5.2.2 deadband).
    if (this.#c.kind === 'high') this.#latched = this.#latched ? v >= limit - deadband : v > limit;
    else this.#latched = this.#latched ? v <= limit + deadband : v < limit;
    return this.#latched;
  }
}

class RateDetector implements Detector {
  readonly #c: RateCondition;
  /** (ts, value) of the samples inside the window, oldest first. */
  #window: { ts: number; v: number }[] = [];
  #latched: boolean;

  constructor(c: RateCondition, active: boolean) {
    this.#c = c;
    this.#latched = active;
  }

  update(sample: Sample): boolean | undefined {
    const v = numeric(sample);
    if (v === undefined) return undefined;
    const last = this.#window[this.#window.length - 1];
    if (last && sample.ts <= last.ts) return undefined; // replayed or out-of-order sample
    this.#window.push({ ts: sample.ts, v });
    const from = sample.ts - this.#c.windowMs;
    while (this.#window.length > 1 && this.#window[0]!.ts < from) this.#window.shift();
    const oldest = this.#window[0]!;
    const delta = v - oldest.v;
    const dir = this.#c.direction ?? 'both';
    const moved = dir === 'rise' ? delta : dir === 'fall' ? -delta : Math.abs(delta);
    const threshold = this.#latched ? this.#c.change - (this.#c.deadband ?? 0) : this.#c.change;
    this.#latched = this.#latched ? moved >= threshold : moved > threshold;
    return this.#latched;
  }
}

class StuckDetector implements Detector {
  readonly #c: StuckCondition;
  #ref: number | undefined;
  #since = 0;
  #count = 0;

  constructor(c: StuckCondition) {
    this.#c = c;
  }

  update(sample: Sample): boolean | undefined {
    const v = numeric(sample);
    if (v === undefined) return undefined;
    const same = this.#ref !== undefined && Math.abs(v - this.#ref) <= (this.#c.tolerance ?? 0);
    if (!same) {
      this.#ref = v;
      this.#since = sample.ts;
      this.#count = 1;
      return false;
    }
    this.#count++;
    const bySamples = this.#c.samples !== undefined && this.#count >= this.#c.samples;
    const byTime = this.#c.durationMs !== undefined && sample.ts - this.#since >= this.#c.durationMs;
    return bySamples || byTime;
  }
}

class QualityDetector implements Detector {
  readonly #uncertain: boolean;

  constructor(includeUncertain: boolean) {
    this.#uncertain = includeUncertain;
  }

  update(sample: Sample): boolean {
    return sample.quality === 'bad' || (this.#uncertain && sample.quality === 'uncertain');
  }
}

/** Any sample is data: the no-data condition ends with it (the engine re-arms its timer). */
const dataArrived: Detector = { update: () => false };

/** `active`: the alarm is active already (restored after a restart), so hysteresis starts latched. */
export function createDetector(c: AlarmCondition, active = false): Detector {
  switch (c.kind) {
    case 'high':
    case 'low':
      return new LimitDetector(c, active);
    case 'rate':
      return new RateDetector(c, active);
    case 'stuck':
      return new StuckDetector(c);
    case 'badQuality':
      return new QualityDetector(c.includeUncertain ?? false);
    case 'noData':
      return dataArrived;
  }
}
