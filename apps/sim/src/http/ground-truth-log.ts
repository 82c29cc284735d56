import type { GroundTruthRecord } from '../scenario/ground-truth.js';

/** One point of a district's true leak outflow. */
export interface LeakPoint {
  /** Wall-clock time of the tick, ms epoch: the time base of the samples the platform stores. */
  ts: number;
  /** Simulated seconds since 00:00 of day 0. */
  simTime: number;
  /** Total outflow of the district's active leaks, m³/h. */
  flow: number;
}

export interface EventQuery {
  /** Event kind, e.g. `leak` or `pump-trip`. */
  type?: string;
  /** Inclusive bounds on the record's wall time, ms epoch. */
  from?: number;
  to?: number;
}

export interface LeakQuery {
  district: string;
  from?: number;
  to?: number;
}

/** Pressure at a node now, in any unit (only ratios are used); undefined when unknown. */
export type PressureAt = (network: string, node: string, simTime: number) => number | undefined;

interface ActiveLeak {
  /** Outflow the leak was sized for, m³/h, at pressure `p0`. */
  flow: number;
  p0: number;
}

/**
 * The simulator's ground truth in memory, for the HTTP endpoint: every injected event as recorded
 * in the ground-truth file, and the true leak outflow of each district (a network is one
 * district) sampled every tick. A leak is an emitter q = C·p^γ (EPANET 2.2 manual §3.1) sized to
 * its nominal flow at the pressure when it started; with the default exponent γ = 0.5 its
 * outflow at pressure p is flow·√(p/p0), so the series follows pressure like the model does.
 */
export class GroundTruthLog {
  readonly #events: GroundTruthRecord[] = [];
  readonly #series = new Map<string, LeakPoint[]>();
  readonly #active = new Map<string, Map<string, ActiveLeak>>();
  readonly #pressureAt: PressureAt;

  constructor(pressureAt: PressureAt) {
    this.#pressureAt = pressureAt;
  }

  /** Takes one record as it is written to the ground-truth file. */
  record(r: GroundTruthRecord): void {
    this.#events.push(r);
    if (r.kind !== 'leak') return;
    const leaks = this.#active.get(r.network) ?? new Map<string, ActiveLeak>();
    this.#active.set(r.network, leaks);
    this.#series.set(r.network, this.#series.get(r.network) ?? []);
    const flow = Number(r.details['flow'] ?? 0);
    if (r.phase === 'end' || !(flow > 0)) leaks.delete(r.element);
    else leaks.set(r.element, { flow, p0: this.#pressureAt(r.network, r.element, r.simTime) ?? 0 });
  }

  /** Samples every district that has had a leak at a tick (after the model reached `simTime`). */
  sample(simTime: number, ts: number): void {
    for (const [network, leaks] of this.#active) {
      let flow = 0;
      for (const [node, leak] of leaks) {
        const p = this.#pressureAt(network, node, simTime);
        flow += p === undefined || leak.p0 <= 0 ? leak.flow : leak.flow * Math.sqrt(Math.max(p, 0) / leak.p0);
      }
      this.#series.get(network)?.push({ ts, simTime, flow });
    }
  }

  events(q: EventQuery = {}): GroundTruthRecord[] {
    return this.#events.filter((r) => {
      if (q.type !== undefined && r.kind !== q.type) return false;
      const at = Date.parse(r.wallTime);
      return within(at, q);
    });
  }

  /** Districts with a leak series. */
  districts(): string[] {
    return [...this.#series.keys()];
  }

  /** A district's series within the bounds; undefined for a district that never leaked. */
  leaks(q: LeakQuery): LeakPoint[] | undefined {
    return this.#series.get(q.district)?.filter((p) => within(p.ts, q));
  }
}

function within(at: number, q: { from?: number; to?: number }): boolean {
  return (q.from === undefined || at >= q.from) && (q.to === undefined || at <= q.to);
}
