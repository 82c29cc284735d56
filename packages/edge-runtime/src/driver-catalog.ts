import type { DriverModule } from '@watershed/driver-sdk';
import { EdgeErrors } from './errors.js';

/**
 * A driver the gateway build can use, loaded only when a config names it. `load` is typically
 * `() => import('@watershed/driver-opcua').then((m) => m.opcuaDriver)`: a gateway pays for a
 * protocol stack (node-opcua alone is tens of MB of heap) only if one of its devices speaks it.
 */
export interface DriverEntry {
  readonly id: string;
  load(): Promise<DriverModule>;
}

function isModule(d: DriverEntry | DriverModule): d is DriverModule {
  return typeof (d as Partial<DriverModule>).create === 'function';
}

/**
 * The drivers a gateway knows, by id, and the ones it has loaded. Built from the one explicit
 * list in apps/edge (DESIGN.md: "registered in one explicit list"); the list may hold loaded
 * modules (tests) or loaders (the product). A module is loaded at most once, on the first config
 * that names it, and kept: a config pushed later that names it again finds it here.
 */
export class DriverCatalog {
  readonly #entries = new Map<string, DriverEntry>();
  readonly #loaded = new Map<string, DriverModule>();
  readonly #loading = new Map<string, Promise<DriverModule>>();

  constructor(drivers: readonly (DriverEntry | DriverModule)[]) {
    for (const d of drivers) {
      if (isModule(d)) {
        this.#loaded.set(d.id, d);
        this.#entries.set(d.id, { id: d.id, load: () => Promise.resolve(d) });
      } else this.#entries.set(d.id, d);
    }
  }

  /** Every registered id, loaded or not: what an unknown `driver` is told to choose from. */
  get ids(): string[] {
    return [...this.#entries.keys()];
  }

  /** The modules loaded so far, by id (a live view: later loads appear in it). */
  get loaded(): ReadonlyMap<string, DriverModule> {
    return this.#loaded;
  }

  /**
   * Loads the registered modules among `ids` (each once, concurrent callers share the load) and
   * returns them. An unregistered id is skipped, not thrown: config validation reports it with
   * its path and the registered ids. A module whose import fails rejects with that error.
   */
  async load(ids: Iterable<string>): Promise<DriverModule[]> {
    const wanted = [...new Set(ids)].filter((id) => this.#entries.has(id));
    return Promise.all(wanted.map((id) => this.#loadOne(id)));
  }

  #loadOne(id: string): Promise<DriverModule> {
    const have = this.#loaded.get(id);
    if (have) return Promise.resolve(have);
    let loading = this.#loading.get(id);
    if (!loading) {
      const entry = this.#entries.get(id) as DriverEntry;
      loading = entry.load().then(
        (m) => {
          this.#loading.delete(id);
          // The list and the module must agree, or a config would validate against another driver.
          if (m.id !== id) throw EdgeErrors.DRIVER_LOAD.create([`entry "${id}" gave module "${m.id}"`]);
          this.#loaded.set(id, m);
          return m;
        },
        (err: unknown) => {
          // Not cached: a transient failure (a file being replaced by an upgrade) may pass later.
          this.#loading.delete(id);
          throw err;
        },
      );
      this.#loading.set(id, loading);
    }
    return loading;
  }
}

/**
 * The `driver` ids a raw (not yet validated) plant config names: `devices[*].driver` where it
 * is a string. Used to load modules before validation, which needs their schemas; anything
 * malformed is left to the validation to report.
 */
export function driverIdsOf(plant: unknown): string[] {
  const devices = (plant as { devices?: unknown } | null)?.devices;
  if (!Array.isArray(devices)) return [];
  const ids: string[] = [];
  for (const d of devices as unknown[]) {
    const id = (d as { driver?: unknown } | null)?.driver;
    if (typeof id === 'string') ids.push(id);
  }
  return ids;
}
