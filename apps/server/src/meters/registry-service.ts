import type { SampleRow, Store } from '@watershed/store';
import { meterPointId } from './meter-points.js';
import type { MeterRegistry, RegisteredMeter } from './meter-registry.js';

/** A registered meter with its newest reading (console-api MeterView). */
export interface MeterSummary extends RegisteredMeter {
  point: string;
  lastReadingTs?: number;
  lastTotalM3?: number;
  batteryLow?: boolean;
  valveOpen?: boolean;
}

/** The console API's MeterRegistryService over the registry and the store's samples. */
export class MeterRegistryQueries {
  readonly #registry: MeterRegistry;
  readonly #store: Store;

  constructor(registry: MeterRegistry, store: Store) {
    this.#registry = registry;
    this.#store = store;
  }

  async list(): Promise<MeterSummary[]> {
    return this.#summaries(this.#registry.all());
  }

  async get(id: string): Promise<MeterSummary | undefined> {
    const m = this.#registry.byId(id);
    return m ? (await this.#summaries([m]))[0] : undefined;
  }

  /** Register readings in [from, to], newest first, at most `limit`. */
  async readings(
    id: string,
    range: { from: number; to: number; limit: number },
  ): Promise<{ ts: number; totalM3: number }[]> {
    const m = this.#registry.byId(id);
    if (!m) return [];
    // The store pages from the earliest; the newest `limit` are the tail of the range.
    const rows = await this.#store.series(meterPointId(m.district, m.vendor, m.id, 'total'), {
      from: range.from,
      to: range.to,
    });
    return rows
      .slice(-range.limit)
      .reverse()
      .filter((r): r is SampleRow & { value: number } => typeof r.value === 'number')
      .map((r) => ({ ts: r.ts, totalM3: r.value }));
  }

  async #summaries(meters: readonly RegisteredMeter[]): Promise<MeterSummary[]> {
    const ids = meters.flatMap((m) => [
      meterPointId(m.district, m.vendor, m.id, 'total'),
      meterPointId(m.district, m.vendor, m.id, 'batteryLow'),
      meterPointId(m.district, m.vendor, m.id, 'valveOpen'),
    ]);
    const latest = ids.length > 0 ? await this.#store.latest(ids) : new Map<string, SampleRow>();
    return meters.map((m) => {
      const point = meterPointId(m.district, m.vendor, m.id, 'total');
      const s: MeterSummary = { ...m, point };
      const total = latest.get(point);
      if (total && typeof total.value === 'number') {
        s.lastReadingTs = total.ts;
        s.lastTotalM3 = total.value;
      }
      const battery = latest.get(meterPointId(m.district, m.vendor, m.id, 'batteryLow'))?.value;
      if (typeof battery === 'boolean') s.batteryLow = battery;
      const valve = latest.get(meterPointId(m.district, m.vendor, m.id, 'valveOpen'))?.value;
      if (typeof valve === 'boolean') s.valveOpen = valve;
      return s;
    });
  }
}
