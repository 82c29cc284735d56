import {
  formatIssues,
  loadConfig,
  silentLogger,
  systemClock,
  validate,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@watershed/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimConfigSchema, type PlantProtocol, type SimConfig } from './config.js';
import { SimErrors } from './errors.js';
import { resolveNetworksDir } from './hydraulics/networks.js';
import type { HydraulicRun } from './hydraulics/run.js';
import { openCity } from './city/open-city.js';
import { servedPlant, servePlant, type ServedPlant } from './plants/serve-plant.js';
import { PlantRuntime, type PointValue } from './plants/plant-runtime.js';
import { mapPlant } from './plants/register-map.js';
import { ScenarioEvent } from './scenario/events.js';
import { GroundTruthWriter } from './scenario/ground-truth.js';
import { GroundTruthLog } from './http/ground-truth-log.js';
import { GroundTruthServer } from './http/ground-truth-server.js';
import { pressureFromRuns, ServedGroundTruthWriter } from './http/served-ground-truth.js';
import { ScenarioRunner } from './scenario/scenario-runner.js';
import { drawRandomEvents } from './scenario/random-events.js';
import { LivePlants, type LivePlant } from './city/live-plants.js';
import { formatSimTime, parseTimeOfDay } from './time-of-day.js';
import { startMeterBus, type MeterBus } from './meters/meter-bus.js';
import { startConcentrators, type DistrictMeters } from './meters/concentrators.js';
import { MeterPopulation } from './meters/population.js';
import type { VendorFleet } from './meters/vendors/fleet.js';
import { startVendorFleets } from './meters/vendors/start-fleets.js';

export interface SimulatorOptions extends Partial<SimConfig> {
  clock?: Clock;
  logger?: Logger;
}

/** A plant as a client sees it: where to connect and what it serves. */
export type { ServedPlant } from './plants/serve-plant.js';

/** The simulated household meters, behind one CJ/T 188 concentrator on TCP. */
export interface ServedMeters {
  readonly protocol: 'cjt188';
  readonly host: string;
  readonly port: number;
  /** 14-digit meter addresses, as the driver's `METERADDR:field` tags take them. */
  readonly addresses: readonly string[];
  /** The live population (totals, valves, demand), for tests and analytics. */
  readonly population: MeterPopulation;
}

/** A district's household meters behind their CJ/T 188 concentrator. */
export interface ServedConcentrator extends ServedMeters {
  readonly district: string;
}

export interface SimTick {
  /** Simulated seconds since 00:00 of the model's day 0 (warm-up included); `% 86400` is the time of day. */
  readonly simTime: number;
  /** The clock's time of the tick, ms since the epoch. */
  readonly wallTime: number;
}

/**
 * A running city simulator. Once a second of wall time it advances the hydraulic model by
 * `speed` simulated seconds, turns the state into instrument readings and serves them.
 */
export interface Simulator {
  readonly plants: readonly ServedPlant[];
  /** The simulated meters, when `meters` is configured. */
  readonly meters?: ServedMeters;
  /** The district concentrators of `concentrators`, in configuration order. */
  readonly concentrators: readonly ServedConcentrator[];
  /** The ground-truth HTTP endpoint, when `groundTruthPort` is configured. */
  readonly groundTruth?: { readonly host: string; readonly port: number; readonly url: string };
  /** The NB-IoT vendor meter fleets of `vendorMeters`, in configuration order. */
  readonly vendorMeters: readonly VendorFleet[];
  /** The exact values served right now, by tag (after noise and resolution; floats as float32). */
  current(plantId: string): Record<string, PointValue>;
  /** Simulated time of the last tick. */
  readonly simTime: number;
  /**
   * Schedules a scenario event now: its `after` counts from the current simulated time, it is
   * played at the tick that reaches it and recorded in the ground-truth file like any other.
   */
  inject(event: ScenarioEvent): void;
  /** Called after every tick, once the new values are served; returns an unsubscribe function. */
  onTick(listener: (t: SimTick) => void): () => void;
  /** Stops the clock, closes every server and releases the models. Idempotent. */
  close(): Promise<void>;
}

const TICK_MS = 1000;

/**
 * Starts the simulator: opens each plant's network, runs the warm-up, starts one protocol
 * server per plant (Modbus TCP, or OPC UA / IEC 104 for plants named in `protocols`), the meter
 * concentrator, the vendor meter fleets (connected to their broker or URL) and the ground-truth
 * endpoint when configured, and begins ticking. Options are validated against SimConfigSchema
 * (its defaults fill what is missing); a bad option throws WS_ERR_CONFIG_INVALID naming it.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { clock = systemClock, logger = silentLogger(), ...settings } = options;
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const opts = loadConfig({ schema: SimConfigSchema, value: given, label: 'simulator options' });
  const dir = resolveNetworksDir(opts.networksDir);
  const speed = opts.speed;
  const seed = opts.seed;
  const simStart = opts.warmupHours * 3600 + parseTimeOfDay(opts.startTime);

  const runs = new Map<string, HydraulicRun>();
  const live: LivePlant[] = [];
  // The endpoint serves what the file records; with an endpoint but no file, the file is a temp one.
  const truthLog =
    opts.groundTruthPort !== undefined ? new GroundTruthLog(pressureFromRuns(runs)) : undefined;
  const truthFile =
    opts.groundTruthFile ??
    (truthLog ? join(tmpdir(), `watershed-sim-ground-truth-${process.pid}.jsonl`) : undefined);
  const truth =
    truthFile === undefined
      ? undefined
      : truthLog
        ? new ServedGroundTruthWriter(truthFile, logger, truthLog)
        : new GroundTruthWriter(truthFile, logger);
  let truthServer: GroundTruthServer | undefined;
  const fleets: VendorFleet[] = [];
  let meters: { population: MeterPopulation; bus: MeterBus } | undefined;
  const concentrators: DistrictMeters[] = [];
  const targets = new LivePlants(
    live,
    (plant, port) =>
      servePlant({
        definition: plant.definition,
        registers: plant.protocol === 'modbus-tcp' ? mapPlant(plant.definition) : [],
        protocol: plant.protocol,
        nth: 0,
        settings: { ...opts, modbusPort: port, opcuaPort: port, iec104Port: port, s7Port: port },
        runtime: plant.runtime,
        run: plant.run,
        clock,
        logger,
      }),
    logger,
  );
  const closeAll = async (): Promise<void> => {
    await targets.settled();
    await Promise.allSettled([
      ...live.map((p) => p.server?.close()),
      meters?.bus.close(),
      ...concentrators.map((c) => c.bus.close()),
      truthServer?.close(),
      ...fleets.map((f) => f.close()),
    ]);
    for (const run of runs.values()) {
      try {
        run.close();
      } catch (err) {
        logger.warn({ err, network: run.name }, 'closing the hydraulic run failed');
      }
    }
    await truth?.flush();
  };
  try {
    const city = await openCity(opts, dir, simStart, runs);
    const served = new Map<PlantProtocol, number>();
    for (const { definition: def, run, protocol } of city) {
      const runtime = new PlantRuntime(def, run, seed);
      // Each protocol numbers its own ports: the nth plant of a protocol listens on base + n.
      const nth = served.get(protocol) ?? 0;
      served.set(protocol, nth + 1);
      const server = await servePlant({
        definition: def,
        registers: protocol === 'modbus-tcp' ? mapPlant(def) : [],
        protocol,
        nth,
        settings: opts,
        runtime,
        run,
        clock,
        logger,
      });
      live.push({ definition: def, runtime, protocol, server, run });
    }
    if (opts.meters) {
      const m = opts.meters;
      const population = new MeterPopulation({
        count: m.count,
        seed,
        start: simStart,
        ...(m.dailyM3PerMeter !== undefined ? { dailyM3PerMeter: m.dailyM3PerMeter } : {}),
        ...(m.batteryLowShare !== undefined ? { batteryLowShare: m.batteryLowShare } : {}),
        ...(m.firstAddress !== undefined ? { firstAddress: m.firstAddress } : {}),
      });
      const bus = await startMeterBus({
        population,
        host: opts.host,
        port: m.concentratorPort ?? 9001,
        simTime: () => population.time,
        epochMs: Date.parse(`${m.startDate ?? '2026-01-01'}T00:00:00Z`),
        logger: logger.child({ meters: m.count }),
      });
      meters = { population, bus };
    }
    await startConcentrators(opts, { seed, simStart, logger, started: (c) => concentrators.push(c) });
    await startVendorFleets(opts, { seed, simStart, logger, started: (f) => fleets.push(f) });
    if (truthLog)
      truthServer = await GroundTruthServer.start({
        log: truthLog,
        host: opts.host,
        port: opts.groundTruthPort ?? 0,
        logger: logger.child({ component: 'ground-truth-http' }),
      });
    const random = opts.randomEvents
      ? drawRandomEvents(
          opts.randomEvents,
          live.map((p) => p.definition),
          seed,
        )
      : [];
    const scenario = new ScenarioRunner({
      events: [...opts.events, ...random],
      start: simStart,
      defaultNetwork: live[0]?.definition.district ?? live[0]?.definition.network ?? '',
      runs,
      plants: targets,
      ...(truth ? { truth } : {}),
      logger,
    });
    // The first sample is taken in the constructor; if it fails, nothing may stay open.
    return new RunningSimulator({
      clock,
      logger,
      speed,
      simStart,
      live,
      scenario,
      closeAll,
      meters,
      concentrators,
      fleets,
      ...(truthLog && truthServer ? { truth: { log: truthLog, server: truthServer } } : {}),
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
}

interface RunningParts {
  clock: Clock;
  logger: Logger;
  speed: number;
  simStart: number;
  live: LivePlant[];
  scenario: ScenarioRunner;
  closeAll(): Promise<void>;
  meters: { population: MeterPopulation; bus: MeterBus } | undefined;
  concentrators: readonly DistrictMeters[];
  truth?: { log: GroundTruthLog; server: GroundTruthServer };
  fleets: VendorFleet[];
}

class RunningSimulator implements Simulator {
  readonly plants: readonly ServedPlant[];
  readonly meters?: ServedMeters;
  readonly groundTruth?: { readonly host: string; readonly port: number; readonly url: string };
  readonly vendorMeters: readonly VendorFleet[];
  readonly concentrators: readonly ServedConcentrator[];
  readonly #p: RunningParts;
  readonly #listeners = new Set<(t: SimTick) => void>();
  readonly #wallStart: number;
  readonly #timer: TimerHandle;
  #n = 0;
  #simTime: number;
  #stopped = false;
  #closing: Promise<void> | undefined;

  constructor(parts: RunningParts) {
    this.#p = parts;
    this.#wallStart = parts.clock.now();
    this.#simTime = parts.simStart;
    this.plants = parts.live.flatMap(({ definition, server, protocol }) =>
      server ? [servedPlant(definition, server, protocol)] : [],
    );
    if (parts.meters) {
      const { bus, population } = parts.meters;
      this.meters = {
        protocol: 'cjt188',
        host: bus.host,
        port: bus.port,
        addresses: bus.addresses,
        population,
      };
    }
    if (parts.truth) {
      const { host, port, url } = parts.truth.server;
      this.groundTruth = { host, port, url };
    }
    this.vendorMeters = parts.fleets;
    this.concentrators = parts.concentrators.map(({ district, bus, population }) => ({
      district,
      protocol: 'cjt188' as const,
      host: bus.host,
      port: bus.port,
      addresses: bus.addresses,
      population,
    }));
    this.#sample();
    this.#timer = parts.clock.setInterval(() => this.#tick(), TICK_MS);
    parts.logger.info(
      {
        plants: this.plants.map((p) => `${p.id}@${p.protocol}://${p.host}:${p.port}`),
        speed: parts.speed,
        simTime: formatSimTime(this.#simTime),
      },
      'simulator started',
    );
  }

  get simTime(): number {
    return this.#simTime;
  }

  current(plantId: string): Record<string, PointValue> {
    const plant = this.#p.live.find((p) => p.definition.id === plantId);
    if (!plant)
      throw SimErrors.UNKNOWN_PLANT.create([plantId, this.#p.live.map((p) => p.definition.id).join(', ')]);
    return plant.runtime.current();
  }

  inject(event: ScenarioEvent): void {
    const issues = validate(ScenarioEvent, event);
    if (issues.length > 0) throw SimErrors.BAD_EVENT.create([formatIssues(issues)], { issues });
    this.#p.scenario.schedule(event, this.#simTime);
  }

  onTick(listener: (t: SimTick) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopped = true;
      this.#p.clock.clearInterval(this.#timer);
      this.#listeners.clear();
      await this.#p.closeAll();
      this.#p.logger.info({ simTime: formatSimTime(this.#simTime) }, 'simulator stopped');
    })();
    return this.#closing;
  }

  #tick(): void {
    if (this.#stopped) return;
    // Sample number from the clock, not a counter: a late timer skips samples instead of slowing simulated time.
    this.#n = Math.max(this.#n + 1, Math.round((this.#p.clock.now() - this.#wallStart) / TICK_MS));
    this.#simTime = this.#p.simStart + this.#n * this.#p.speed;
    try {
      this.#sample();
    } catch (err) {
      // The model cannot go on (e.g. the run reached its end): keep serving the last values.
      this.#stopped = true;
      this.#p.clock.clearInterval(this.#timer);
      this.#p.logger.error({ err, simTime: formatSimTime(this.#simTime) }, 'simulation stopped');
      return;
    }
    const tick: SimTick = { simTime: this.#simTime, wallTime: this.#p.clock.now() };
    for (const listener of this.#listeners) {
      try {
        listener(tick);
      } catch (err) {
        this.#p.logger.warn({ err }, 'tick listener failed');
      }
    }
  }

  #sample(): void {
    const t = this.#simTime;
    this.#p.scenario.playUntil(t, this.#p.clock.now());
    for (const run of new Set(this.#p.live.map((p) => p.run))) run.advanceTo(t);
    const now = this.#p.clock.now();
    for (const plant of this.#p.live) {
      const values = plant.runtime.sample(t, this.#n);
      plant.server?.publish(values, now);
    }
    this.#p.meters?.population.advanceTo(t);
    for (const c of this.#p.concentrators) c.population.advanceTo(t);
    this.#p.truth?.log.sample(t, now);
    for (const fleet of this.#p.fleets) fleet.advanceTo(t);
  }
}
