/**
 * Per-meter retries and suspension. Every meter behind a concentrator shares one bus where only
 * one conversation may run, so a dead meter costs a full timeout per attempt and delays every
 * other meter by as much. Timeouts are retried `retries` times; after `failThreshold` failed
 * requests in a row the meter is suspended — its requests fail at once with
 * WS_ERR_CJT188_METER_SUSPENDED — for a period that doubles up to `suspendMaxMs`. When the period
 * ends the next request goes through as a probe; an answer clears the record.
 *
 * Only timeouts count: a lost connection or a closed driver says nothing about the meter.
 */
import type { Clock } from '@watershed/common';
import { Cjt188Errors } from '../errors.js';

export interface MeterPolicy {
  retries: number;
  failThreshold: number;
  suspendMinMs: number;
  suspendMaxMs: number;
}

interface MeterRecord {
  failures: number;
  suspensions: number;
  suspendedUntil: number;
}

export class MeterGuard {
  readonly #policy: MeterPolicy;
  readonly #clock: Clock;
  readonly #meters = new Map<string, MeterRecord>();

  constructor(policy: MeterPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  suspended(address: string): boolean {
    return (this.#meters.get(address)?.suspendedUntil ?? 0) > this.#clock.now();
  }

  /** Runs `attempt` for `address`, retrying timeouts when `retry` is set. */
  async run<T>(address: string, attempt: () => Promise<T>, retry: boolean): Promise<T> {
    const rec = this.#meters.get(address);
    const now = this.#clock.now();
    if (rec && rec.suspendedUntil > now) {
      throw Cjt188Errors.METER_SUSPENDED.create([address, rec.suspendedUntil - now, rec.failures], {
        address,
      });
    }
    for (let tries = 0; ; tries++) {
      try {
        const result = await attempt();
        this.#meters.delete(address);
        return result;
      } catch (err) {
        const silent = Cjt188Errors.TIMEOUT.is(err);
        if (silent && retry && tries < this.#policy.retries) continue;
        if (silent) this.#recordFailure(address);
        throw err;
      }
    }
  }

  #recordFailure(address: string): void {
    let rec = this.#meters.get(address);
    if (!rec) {
      rec = { failures: 0, suspensions: 0, suspendedUntil: 0 };
      this.#meters.set(address, rec);
    }
    rec.failures++;
    const { failThreshold, suspendMinMs, suspendMaxMs } = this.#policy;
    if (failThreshold > 0 && rec.failures >= failThreshold) {
      const period = Math.min(suspendMaxMs, suspendMinMs * 2 ** Math.min(rec.suspensions, 30));
      rec.suspensions++;
      rec.suspendedUntil = this.#clock.now() + period;
    }
  }
}
