import type { Point } from '@watershed/model';
import type { Store } from '@watershed/store';
import { METER_GROUPS, meterNode, meterPoint, type MeterSeries } from './meter-points.js';

export type MeterProtocol = 'mqtt-json' | 'http-json';

/** A vendor meter the platform has seen: what the registry API lists. */
export interface RegisteredMeter {
  readonly id: string;
  readonly vendor: string;
  readonly district: string;
  readonly project: string;
  readonly protocol: MeterProtocol;
}

export interface RegistryVendor {
  id: string;
  project: string;
  protocol: MeterProtocol;
}

/**
 * The meters of the configured vendors. The store's point catalog is the record: a meter is
 * registered by declaring its points (`{district}.nbiot-{vendor}.meters.{id}` and its flag
 * series), so it survives restarts, shows in every point listing and needs no table of its
 * own in either store adapter. This class keeps an index of it in memory, loaded at start.
 */
export class MeterRegistry {
  readonly #store: Store;
  readonly #vendors: Map<string, RegistryVendor>;
  /** `vendor/id` → meter. */
  readonly #meters = new Map<string, RegisteredMeter>();
  /** Declared point ids (of every series). */
  readonly #points = new Set<string>();
  /** Declarations in flight, so concurrent first readings of one meter declare it once. */
  readonly #declaring = new Map<string, Promise<void>>();

  constructor(store: Store, vendors: readonly RegistryVendor[]) {
    this.#store = store;
    this.#vendors = new Map(vendors.map((v) => [v.id, v]));
  }

  /** Reads the meters registered by earlier runs from the store's point catalog. */
  async load(): Promise<void> {
    for (const vendor of this.#vendors.values()) {
      const points = await this.#store.listPoints({ node: meterNode(vendor.id) });
      for (const p of points) {
        this.#points.add(p.id);
        if (p.group === METER_GROUPS.total) this.#remember(vendor, p.tag, p.site);
      }
    }
  }

  /** The meter of `vendor` with this id, if seen. */
  find(vendor: string, id: string): RegisteredMeter | undefined {
    return this.#meters.get(`${vendor}/${id}`);
  }

  /** A meter by id alone (ids are unique per utility; vendors are asked in config order). */
  byId(id: string): RegisteredMeter | undefined {
    for (const v of this.#vendors.keys()) {
      const m = this.#meters.get(`${v}/${id}`);
      if (m) return m;
    }
    return undefined;
  }

  /** Every meter, ordered by id. */
  all(): RegisteredMeter[] {
    return [...this.#meters.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get size(): number {
    return this.#meters.size;
  }

  /**
   * Declares whatever points of this meter's `series` in `district` are not declared yet, and
   * records the meter there. Resolves once the store has them; rejects when it failed (the
   * meter then stays unregistered and the next reading tries again).
   */
  async ensure(vendor: string, id: string, district: string, series: readonly MeterSeries[]): Promise<void> {
    const v = this.#vendors.get(vendor);
    if (!v) throw new Error(`unknown vendor ${vendor}`);
    const missing: Point[] = [];
    const waits: Promise<void>[] = [];
    for (const s of series) {
      const p = meterPoint(district, vendor, id, s);
      if (this.#points.has(p.id)) continue;
      const inFlight = this.#declaring.get(p.id);
      if (inFlight) waits.push(inFlight);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const declared = this.#store.upsertPoints(missing).then(() => {
        for (const p of missing) this.#points.add(p.id);
      });
      const settled = declared.finally(() => {
        for (const p of missing) this.#declaring.delete(p.id);
      });
      for (const p of missing) this.#declaring.set(p.id, settled);
      waits.push(settled);
    }
    await Promise.all(waits);
    this.#remember(v, id, district);
  }

  #remember(vendor: RegistryVendor, id: string, district: string): void {
    const key = `${vendor.id}/${id}`;
    if (this.#meters.get(key)?.district === district) return;
    this.#meters.set(key, {
      id,
      vendor: vendor.id,
      district,
      project: vendor.project,
      protocol: vendor.protocol,
    });
  }
}
