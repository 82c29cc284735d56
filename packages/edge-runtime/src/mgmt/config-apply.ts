import {
  Errors,
  formatIssues,
  isWatershedError,
  type Clock,
  type ConfigIssue,
  type Logger,
} from '@watershed/common';
import type { DriverModule } from '@watershed/driver-sdk';
import type { ConfigAck, ConfigPush, MgmtIssue } from '@watershed/model';
import type { DeviceConfig, EdgeConfig } from '../config.js';
import type { EdgeRuleConfig } from '../rules/rule-config.js';
import { EdgeErrors } from '../errors.js';
import { PlantBuildError, type Plant } from '../plant.js';
import { checkEdgeRules } from '../rules/check-rules.js';
import { RuleBuildError } from '../rules/rule-build-error.js';
import { checkPlantConfig } from '../validate.js';
import { DriverCatalog, driverIdsOf } from '../driver-catalog.js';
import { configChecksum } from './checksum.js';
import type { ConfigStore } from './config-store.js';

/** The config the gateway runs: version 0 is its local file, higher ones came from the console. */
export interface RunningConfig {
  readonly version: number;
  readonly checksum: string | undefined;
  readonly devices: readonly DeviceConfig[];
  readonly rules: readonly EdgeRuleConfig[];
  readonly plant: Plant;
}

export type ApplyOutcome = Omit<ConfigAck, 'v' | 'node' | 'ts'>;

export interface ConfigApplierOptions {
  /** The gateway's local config: identity, link and the version-0 plant. */
  base: EdgeConfig;
  /** The registered drivers; a catalog loads those a config names on first use. */
  modules: readonly DriverModule[] | DriverCatalog;
  store: ConfigStore;
  clock: Clock;
  logger: Logger;
  /** Builds a plant for these devices and rules (drivers created, rules compiled, nothing connected). */
  buildPlant: (devices: readonly DeviceConfig[], rules: readonly EdgeRuleConfig[]) => Promise<Plant>;
  /** Called once a new version runs, e.g. to announce its catalog. */
  onApplied?: (running: RunningConfig) => void;
}

/**
 * Applies config pushes one at a time, all or nothing.
 *
 * Strategy: validate everything that can be checked without I/O (version, checksum, schema,
 * driver settings, every address) and create the new drivers while the old plant keeps
 * running; only then stop the old plant and start the new one. Running the two side by side
 * was rejected: many PLCs accept a single Modbus TCP connection, and a serial line can be
 * opened by one driver only, so a make-before-break swap would fail or starve the device
 * exactly where it matters. The cost is one connect's worth of missed polls.
 * If starting the new plant or saving it fails, it is stopped and the previous config is
 * started again (`rolled-back`). The outbox, the uplink and every group's seq live outside the
 * plant, so buffered data and seq continuity survive any swap.
 */
export class ConfigApplier {
  readonly #opts: CatalogedOptions;
  #running: RunningConfig;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(opts: CatalogedOptions, running: RunningConfig) {
    this.#opts = opts;
    this.#running = running;
  }

  /**
   * Starts the last config applied from the console if one was saved and is still valid for
   * this build, else the local file's plant (version 0).
   */
  static async start(options: ConfigApplierOptions): Promise<ConfigApplier> {
    const opts = { ...options, modules: catalogOf(options.modules) };
    const saved = await loadSaved(opts);
    if (saved) {
      try {
        const plant = await opts.buildPlant(saved.devices, saved.rules);
        await plant.start();
        opts.logger.info(
          { configVersion: saved.version },
          'running the config last applied from the console',
        );
        return new ConfigApplier(opts, { ...saved, plant });
      } catch (err) {
        opts.logger.error(
          { err, configVersion: saved.version },
          'saved config does not start; using the local config',
        );
      }
    }
    const rules = opts.base.rules ?? [];
    const plant = await opts.buildPlant(opts.base.devices, rules);
    await plant.start();
    return new ConfigApplier(opts, {
      version: 0,
      checksum: undefined,
      devices: opts.base.devices,
      rules,
      plant,
    });
  }

  get running(): RunningConfig {
    return this.#running;
  }

  /** Handles one push after those before it; never throws, the outcome says what happened. */
  apply(push: ConfigPush): Promise<ApplyOutcome> {
    const next = this.#queue.then(() => this.#apply(push));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for a push in progress, then stops the running plant. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#running.plant.stop();
  }

  async #apply(push: ConfigPush): Promise<ApplyOutcome> {
    const { logger } = this.#opts;
    const running = this.#running;
    const reject = (err: Error & { code: string }, errors: MgmtIssue[] = []): ApplyOutcome => {
      logger.warn({ configVersion: push.version, code: err.code, errors }, `config rejected: ${err.message}`);
      return { version: push.version, result: 'rejected', running: running.version, code: err.code, errors };
    };
    if (this.#closed) return reject(Errors.CLOSED.create(['the gateway']));

    if (push.version === running.version) {
      if (push.checksum === running.checksum)
        return { version: push.version, result: 'ignored', running: running.version };
      return reject(EdgeErrors.CONFIG_CONFLICT.create([push.version]));
    }
    if (push.version < running.version) {
      return reject(EdgeErrors.CONFIG_STALE.create([push.version, running.version]));
    }
    const actual = configChecksum(push.config);
    if (actual !== push.checksum) {
      return reject(EdgeErrors.CONFIG_CHECKSUM.create([push.checksum, actual]), [
        { path: 'checksum', message: `expected ${actual}`, code: EdgeErrors.CONFIG_CHECKSUM.code },
      ]);
    }
    const catalog = this.#opts.modules;
    let modules;
    try {
      modules = await catalog.load(driverIdsOf(push.config));
    } catch (err) {
      return reject(EdgeErrors.DRIVER_LOAD.create([(err as Error).message], {}, err));
    }
    const checked = checkPlantConfig(push.config, this.#opts.base, modules, catalog.ids);
    if (!checked.ok) {
      return reject(
        Errors.CONFIG_INVALID.create([`config version ${push.version}`, formatIssues(checked.issues)]),
        checked.issues.map(issueOf),
      );
    }
    const ruleIssues = await checkEdgeRules(checked.rules);
    if (ruleIssues.length > 0) {
      return reject(
        Errors.CONFIG_INVALID.create([`config version ${push.version}`, formatIssues(ruleIssues)]),
        ruleIssues.map(issueOf),
      );
    }
    return this.#swap(push, checked.devices, checked.rules);
  }

  async #swap(push: ConfigPush, devices: DeviceConfig[], rules: EdgeRuleConfig[]): Promise<ApplyOutcome> {
    const { logger, store, clock } = this.#opts;
    const previous = this.#running;
    let next: Plant | undefined;
    let stoppedPrevious = false;
    try {
      next = await this.#opts.buildPlant(devices, rules);
      await previous.plant.stop();
      stoppedPrevious = true;
      await next.start();
      store.save({
        version: push.version,
        checksum: push.checksum,
        appliedAt: clock.now(),
        config: push.config,
      });
    } catch (err) {
      await next?.stop();
      const failure = failureOf(err);
      logger.error(
        { configVersion: push.version, err, path: failure.path },
        'config apply failed; rolling back',
      );
      const errors: MgmtIssue[] = [failure];
      if (stoppedPrevious) {
        const restored = await this.#restart(previous);
        if (restored instanceof Error) {
          errors.push({ path: '', message: `the previous config did not restart: ${restored.message}` });
        }
      }
      return {
        version: push.version,
        result: 'rolled-back',
        running: this.#running.version,
        ...(failure.code !== undefined ? { code: failure.code } : {}),
        errors,
      };
    }
    this.#running = { version: push.version, checksum: push.checksum, devices, rules, plant: next };
    logger.info(
      { configVersion: push.version, devices: devices.length, rules: rules.length },
      'config applied',
    );
    this.#opts.onApplied?.(this.#running);
    return { version: push.version, result: 'applied', running: push.version };
  }

  /** Starts the previous config again with fresh drivers (the old ones are closed for good). */
  async #restart(previous: RunningConfig): Promise<RunningConfig | Error> {
    try {
      const plant = await this.#opts.buildPlant(previous.devices, previous.rules);
      await plant.start();
      this.#running = { ...previous, plant };
      return this.#running;
    } catch (err) {
      // Nothing runs now; keep an empty plant so health and writes answer, and say so loudly.
      this.#opts.logger.fatal({ err }, 'the previous config did not restart either; no device is polled');
      const empty = await this.#opts.buildPlant([], []);
      this.#running = { ...previous, plant: empty };
      return err as Error;
    }
  }
}

type CatalogedOptions = ConfigApplierOptions & { modules: DriverCatalog };

/** The catalog behind `modules`: one built from a plain list loads nothing (all are loaded). */
function catalogOf(modules: readonly DriverModule[] | DriverCatalog): DriverCatalog {
  return modules instanceof DriverCatalog ? modules : new DriverCatalog(modules);
}

async function loadSaved(opts: CatalogedOptions): Promise<Omit<RunningConfig, 'plant'> | undefined> {
  let saved;
  try {
    saved = opts.store.load();
  } catch (err) {
    opts.logger.error({ err }, 'saved config unreadable; using the local config');
    return undefined;
  }
  if (!saved) return undefined;
  if (configChecksum(saved.config) !== saved.checksum) {
    opts.logger.error(
      { file: opts.store.file },
      'saved config does not match its checksum; using the local config',
    );
    return undefined;
  }
  let modules;
  try {
    modules = await opts.modules.load(driverIdsOf(saved.config));
  } catch (err) {
    opts.logger.error({ err }, 'a driver of the saved config does not load; using the local config');
    return undefined;
  }
  const checked = checkPlantConfig(saved.config, opts.base, modules, opts.modules.ids);
  if (!checked.ok) {
    opts.logger.error(
      { issues: checked.issues },
      'saved config is not valid for this gateway; using the local config',
    );
    return undefined;
  }
  return { version: saved.version, checksum: saved.checksum, devices: checked.devices, rules: checked.rules };
}

function issueOf(i: ConfigIssue): MgmtIssue {
  const got = i.value === undefined ? 'nothing' : JSON.stringify(i.value);
  return { path: i.path, message: `${i.expected}, got ${got}`, code: Errors.CONFIG_INVALID.code };
}

function failureOf(err: unknown): MgmtIssue {
  if (err instanceof PlantBuildError || err instanceof RuleBuildError) {
    const code = isWatershedError(err.error) ? err.error.code : undefined;
    return { path: err.path, message: err.error.message, ...(code ? { code } : {}) };
  }
  const code = isWatershedError(err) ? err.code : undefined;
  return { path: '', message: (err as Error).message, ...(code ? { code } : {}) };
}
