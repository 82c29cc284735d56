/**
 * Per-unit retries and suspension. Several units share one link (units behind a gateway, or
 * devices on one RS-485 bus, where only one request may be outstanding). A dead unit costs a full
 * timeout per request and, on a shared link, delays every other unit by as much; so after
 * `failThreshold` failures in a row the unit is suspended — its requests fail at once with
 * WS_ERR_MODBUS_UNIT_SUSPENDED — for a period that doubles up to `suspendMaxMs`. When the period
 * ends the next request goes through as a probe; success clears the record.
 *
 * Only failures that say "this unit is not answering" count: timeouts, and exceptions 0x0A/0x0B
 * from a gateway. A lost link, a closed driver or an ordinary exception (bad address) do not.
 */
import type { Clock } from '@watershed/common';
import { EXCEPTION } from '../codec/pdu.js';
import { ModbusErrors } from '../errors.js';

export interface UnitPolicy {
  /** Extra attempts after a timeout, for reads; 0 = none. */
  retries: number;
  /** Failures in a row that suspend a unit; 0 disables suspension. */
  failThreshold: number;
  suspendMinMs: number;
  suspendMaxMs: number;
}

interface UnitRecord {
  failures: number;
  suspensions: number;
  suspendedUntil: number;
}

export class UnitGuard {
  readonly #policy: UnitPolicy;
  readonly #clock: Clock;
  readonly #units = new Map<number, UnitRecord>();

  constructor(policy: UnitPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  /** Whether a unit is suspended now (for health and tests). */
  suspended(unitId: number): boolean {
    return (this.#units.get(unitId)?.suspendedUntil ?? 0) > this.#clock.now();
  }

  /** Runs `attempt` for `unitId`, retrying timeouts when `retry` is set. */
  async run<T>(unitId: number, attempt: () => Promise<T>, retry: boolean): Promise<T> {
    const rec = this.#units.get(unitId);
    const now = this.#clock.now();
    if (rec && rec.suspendedUntil > now) {
      throw ModbusErrors.UNIT_SUSPENDED.create([unitId, rec.suspendedUntil - now, rec.failures], { unitId });
    }
    for (let tries = 0; ; tries++) {
      try {
        const result = await attempt();
        this.#units.delete(unitId);
        return result;
      } catch (err) {
        const unitDown = isUnitDown(err);
        if (unitDown && retry && tries < this.#policy.retries) continue;
        if (unitDown) this.#recordFailure(unitId);
        throw err;
      }
    }
  }

  #recordFailure(unitId: number): void {
    let rec = this.#units.get(unitId);
    if (!rec) {
      rec = { failures: 0, suspensions: 0, suspendedUntil: 0 };
      this.#units.set(unitId, rec);
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

function isUnitDown(err: unknown): boolean {
  if (ModbusErrors.TIMEOUT.is(err)) return true;
  if (ModbusErrors.EXCEPTION.is(err)) {
    const code = err.details?.['exceptionCode'];
    return code === EXCEPTION.GATEWAY_TARGET_FAILED || code === EXCEPTION.GATEWAY_PATH_UNAVAILABLE;
  }
  return false;
}
