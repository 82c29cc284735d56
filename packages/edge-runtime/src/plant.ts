import type { Clock, Logger } from '@watershed/common';
import {
  isReadable,
  type Driver,
  type DriverHealth,
  type DriverModule,
  type Readable,
} from '@watershed/driver-sdk';
import type { GroupInfo, Sample } from '@watershed/model';
import type { DeviceConfig, GroupConfig, TagConfig } from './config.js';
import { EdgeErrors } from './errors.js';
import { GroupPoller, type GroupStats } from './group-poller.js';
import { TagProcessor, type ProcessedValues } from './tag-processor.js';

/** Where a failure to build or start a plant lies: a path into the plant config. */
export interface PlantFailure {
  path: string;
  error: Error;
}

export interface PlantTag {
  device: string;
  driverId: string;
  driver: Driver & Readable;
  group: GroupConfig;
  tag: TagConfig;
}

export interface PlantOptions {
  devices: readonly DeviceConfig[];
  modules: ReadonlyMap<string, DriverModule>;
  clock: Clock;
  logger: Logger;
  /** Called with each group's processed poll, in poll order. */
  onPoll: (group: string, ts: number, values: ProcessedValues) => void;
  /** This version's edge rules: fed every poll's samples, closed when the plant stops. */
  rules?: PlantRules;
}

/** What the plant needs of its rules (EdgeRules). */
export interface PlantRules {
  feed(group: string, ts: number, tags: readonly TagConfig[], samples: readonly Sample[]): void;
  close(): Promise<void>;
}

interface PlantDevice {
  config: DeviceConfig;
  driver: Driver & Readable;
}

interface PlantGroup {
  device: string;
  poller: GroupPoller;
  processor: TagProcessor;
}

/**
 * The devices, groups and tags of one config version, running: one driver per device, one
 * poller per group. Built in two steps so a config can be refused before anything it replaces
 * is touched: `build` creates the drivers (no I/O, by the driver contract), `start` connects
 * them and starts polling. `stop` releases every socket and timer; a stopped plant is not
 * restarted — build a new one from the same config.
 */
export class Plant {
  readonly #devices: Map<string, PlantDevice>;
  readonly #groups = new Map<string, PlantGroup>();
  readonly #logger: Logger;
  readonly #rules: PlantRules | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(opts: PlantOptions, devices: Map<string, PlantDevice>) {
    this.#devices = devices;
    this.#logger = opts.logger;
    this.#rules = opts.rules;
    const rules = opts.rules;
    for (const [name, d] of devices) {
      for (const group of d.config.groups) {
        const processor = new TagProcessor(group.tags, group);
        const poller = new GroupPoller({
          group,
          driver: d.driver,
          clock: opts.clock,
          logger: opts.logger.child({ device: name, group: group.name }),
          onPoll: (r) => {
            opts.onPoll(r.group, r.ts, processor.process(r.samples, r.ts));
            // Rules see every polled value, not only those the deadband lets through.
            rules?.feed(r.group, r.ts, group.tags, r.samples);
          },
        });
        this.#groups.set(group.name, { device: name, poller, processor });
      }
    }
  }

  /**
   * Creates every device's driver. Throws a PlantBuildError naming the device's path when a
   * driver module is unknown, cannot poll, or throws while being created; drivers created
   * before it are closed.
   */
  static async build(opts: PlantOptions): Promise<Plant> {
    const devices = new Map<string, PlantDevice>();
    for (const [i, config] of opts.devices.entries()) {
      try {
        devices.set(config.name, { config, driver: await createDriver(config, opts) });
      } catch (err) {
        await Promise.allSettled([...devices.values()].map((d) => d.driver.close()));
        throw new PlantBuildError({ path: `devices.${i}`, error: err as Error });
      }
    }
    return new Plant(opts, devices);
  }

  /** Connects every device, then starts polling. If a driver throws, everything is stopped again. */
  async start(): Promise<void> {
    // Map order is config order, so an index here is the device's index in the config.
    const devices = [...this.#devices.values()];
    const results = await Promise.allSettled(devices.map((d) => d.driver.connect()));
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      await this.stop();
      const reason = (results[failed] as PromiseRejectedResult).reason as Error;
      const path = `devices.${failed}`;
      throw new PlantBuildError({
        path,
        error: EdgeErrors.DEVICE_START.create(
          [devices[failed]?.config.name ?? '', reason.message],
          { path },
          reason,
        ),
      });
    }
    for (const g of this.#groups.values()) g.poller.start();
  }

  /**
   * Stops every poller (waiting for reads in flight), then the rules (waiting for their writes),
   * then closes every driver; idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.all([...this.#groups.values()].map((g) => g.poller.stop()));
      await this.#rules?.close().catch((err: Error) => this.#logger.warn({ err }, 'rules close failed'));
      const closed = await Promise.allSettled([...this.#devices.values()].map((d) => d.driver.close()));
      for (const r of closed) {
        if (r.status === 'rejected') this.#logger.warn({ err: r.reason as Error }, 'driver close failed');
      }
    })();
    return this.#stopping;
  }

  get groupNames(): string[] {
    return [...this.#groups.keys()];
  }

  tag(group: string, tag: string): PlantTag | undefined {
    const g = this.#groups.get(group);
    const d = g && this.#devices.get(g.device);
    const t = d && g.poller.group.tags.find((x) => x.name === tag);
    if (!g || !d || !t) return undefined;
    return { device: g.device, driverId: d.config.driver, driver: d.driver, group: g.poller.group, tag: t };
  }

  devices(): Record<string, { driver: string; health: DriverHealth }> {
    return Object.fromEntries(
      [...this.#devices].map(([name, d]) => [name, { driver: d.config.driver, health: d.driver.health() }]),
    );
  }

  groups(): Record<string, GroupStats & { device: string; intervalMs: number }> {
    return Object.fromEntries(
      [...this.#groups].map(([name, g]) => [
        name,
        { ...g.poller.stats, device: g.device, intervalMs: g.poller.group.intervalMs },
      ]),
    );
  }

  /** The tag catalog announced in the birth status. */
  catalog(): GroupInfo[] {
    return [...this.#devices.values()].flatMap((d) => groupInfo(d.config));
  }
}

/** Building or starting a plant failed at `path`; `error` carries the catalog code. */
export class PlantBuildError extends Error {
  readonly path: string;
  readonly error: Error;
  constructor(failure: PlantFailure) {
    super(`${failure.path}: ${failure.error.message}`, { cause: failure.error });
    this.name = 'PlantBuildError';
    this.path = failure.path;
    this.error = failure.error;
  }
}

/** Creates one device's driver; throws a catalog error when that is not possible. */
async function createDriver(config: DeviceConfig, opts: PlantOptions): Promise<Driver & Readable> {
  const mod = opts.modules.get(config.driver);
  if (!mod) {
    throw EdgeErrors.UNKNOWN_DRIVER.create([config.name, config.driver, [...opts.modules.keys()].join(', ')]);
  }
  let driver: Driver;
  try {
    driver = mod.create(config.config, {
      clock: opts.clock,
      logger: opts.logger.child({ device: config.name }),
    });
  } catch (err) {
    throw EdgeErrors.DRIVER_CREATE.create(
      [config.name, config.driver, (err as Error).message],
      undefined,
      err,
    );
  }
  if (!isReadable(driver)) {
    await driver.close();
    throw EdgeErrors.NOT_READABLE.create([config.driver, config.name]);
  }
  return driver;
}

function groupInfo(device: DeviceConfig): GroupInfo[] {
  return device.groups.map((g) => ({
    name: g.name,
    device: device.name,
    intervalMs: g.intervalMs,
    tags: g.tags.map((t) => ({
      name: t.name,
      dataType: t.dataType,
      ...(t.unit !== undefined ? { unit: t.unit } : {}),
      ...(t.quantity !== undefined ? { quantity: t.quantity } : {}),
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.asset !== undefined ? { asset: t.asset } : {}),
      ...(t.writable !== undefined ? { writable: t.writable } : {}),
    })),
  }));
}
