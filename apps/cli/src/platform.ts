import { loadConfig, systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startEdge, type EdgeConfigInput, type EdgeRuntime } from '@watershed/edge';
import { ServerConfig, startServer, type RunningServer } from '@watershed/server';
import {
  SimConfigSchema,
  loadScenario,
  plantDefinition,
  resolveNetworksDir,
  startSimulator,
  type Simulator,
} from '@watershed/sim';
import { VERSION } from './paths.js';
import { enrolGateways } from './fleet-enrolment.js';
import { concentratorNode, edgeConfigForConcentrator, edgeConfigForPlant } from './plant-gateway.js';
import { scenarioMeters, scenarioSettings } from './scenario.js';
import type { ScenarioName } from './scenario-names.js';

export interface PlatformOptions {
  dataDir: string;
  host?: string;
  apiPort?: number;
  mqttPort?: number;
  /** Modbus TCP port of the first simulated plant; 0 (default) = any free port. */
  modbusPort?: number;
  /** Plants whose PLC speaks OPC UA instead of Modbus TCP, by plant id. */
  opcuaPlants?: readonly string[];
  /** OPC UA port of the first OPC UA plant; 0 (default) = any free port. */
  opcuaPort?: number;
  /**
   * The simulated city: `reference` (26 plants and stations over Modbus TCP, OPC UA, IEC 104 and
   * S7, CJ/T 188 meters behind concentrators) or `small`; undefined = the simulator's default city.
   */
  scenario?: ScenarioName;
  /** Poll interval of the concentrator gateways' meter groups, ms. */
  meterIntervalMs?: number;
  /** Simulation speed: 1 = real time, 60 = an hour a minute. */
  speed?: number;
  seed?: number;
  /** Poll interval of the plants' gateways, ms; default 1 s, 5 s for the reference city's 31,000 points. */
  pollIntervalMs?: number;
  webRoot?: string;
  networksDir?: string;
  /** More server config sections (e.g. `alarms`), checked against the server's schema. */
  serverConfig?: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
}

export interface Platform {
  readonly server: RunningServer;
  readonly sim: Simulator;
  readonly edges: readonly EdgeRuntime[];
  readonly edgeConfigs: readonly EdgeConfigInput[];
  close(): Promise<void>;
}

/**
 * `watershed up`: the whole platform on one machine with the embedded store — the simulated
 * city, one edge gateway per simulated plant polling it over its real protocol, and the server
 * those gateways report to. Closes in reverse order: gateways, simulator, then the server,
 * whose store flushes last.
 */
export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger();
  const host = opts.host ?? '127.0.0.1';
  // The token of the simulated vendors that POST their readings: fresh each run, known only to
  // this server and the simulator.
  const meterToken = randomBytes(24).toString('base64url');
  const meters = opts.scenario === undefined ? undefined : scenarioMeters(opts.scenario, meterToken);
  // The city overview draws the simulated city: its districts' models and where its plants sit.
  const cityMap = overviewMap(opts.scenario, opts.networksDir);
  const config = loadConfig({
    schema: ServerConfig,
    value: {
      dataDir: opts.dataDir,
      mqtt: { host, port: opts.mqttPort ?? 1883 },
      api: { host, port: opts.apiPort ?? 8080 },
      web: opts.webRoot ? { root: opts.webRoot } : {},
      ...(meters && { meters }),
      ...(cityMap && { overview: { map: cityMap } }),
      ...opts.serverConfig,
    },
    label: 'platform settings',
  });
  const server = await startServer({
    config,
    clock,
    logger: logger.child({ app: 'server' }),
    version: VERSION,
  });
  const opened: { close(): Promise<void> }[] = [];
  try {
    const scenario =
      opts.scenario === undefined
        ? {}
        : scenarioSettings(opts.scenario, {
            dataDir: opts.dataDir,
            mqttUrl: `mqtt://127.0.0.1:${server.mqttPort}`,
            meterUplink: { apiUrl: server.apiUrl, token: meterToken },
            logger,
          });
    const sim = await startSimulator({
      ...scenario,
      clock,
      logger: logger.child({ app: 'sim' }),
      host: '127.0.0.1',
      modbusPort: opts.modbusPort ?? 0,
      opcuaPort: opts.opcuaPort ?? 0,
      iec104Port: 0,
      s7Port: 0,
      concentratorPort: 0,
      protocols: {
        ...scenario.protocols,
        ...Object.fromEntries((opts.opcuaPlants ?? []).map((id) => [id, 'opcua' as const])),
      },
      ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.networksDir !== undefined ? { networksDir: opts.networksDir } : {}),
    });
    opened.push(sim);
    const uplinkUrl = `mqtt://127.0.0.1:${server.mqttPort}`;
    const outbox = (node: string): string => join(opts.dataDir, 'edge', `${node}.outbox.sqlite`);
    const planned = await Promise.all([
      ...sim.plants.map((plant) =>
        edgeConfigForPlant(plant, {
          uplinkUrl,
          intervalMs: opts.pollIntervalMs ?? (opts.scenario === 'reference' ? 5000 : 1000),
          bufferFile: outbox(plant.id),
          pkiDir: join(opts.dataDir, 'edge', 'pki', 'opcua'),
        }),
      ),
      ...sim.concentrators.map((c) =>
        edgeConfigForConcentrator(c, {
          uplinkUrl,
          intervalMs: opts.meterIntervalMs ?? 60_000,
          bufferFile: outbox(concentratorNode(c)),
        }),
      ),
    ]);
    // Under fleet management, as `watershed up` users expect: registered in the console with
    // issued credentials, and their running config known to it as version 1 (fleet-enrolment.ts).
    const names = new Map(sim.plants.map((p) => [p.id, p.name]));
    const edgeConfigs = await enrolGateways(
      server,
      planned.map((config) => ({
        config,
        name: names.get(config.node) ?? `${config.site} meter concentrator`,
      })),
      { logger: logger.child({ app: 'platform' }) },
    );
    // Started side by side: each waits on its own PLC and uplink, and the reference city has 30.
    const started = await Promise.allSettled(
      edgeConfigs.map((config) =>
        startEdge({
          config,
          clock,
          logger: logger.child({ app: 'edge', node: config.node }),
          version: VERSION,
        }),
      ),
    );
    const edges: EdgeRuntime[] = [];
    for (const s of started) if (s.status === 'fulfilled') edges.push(s.value);
    opened.push(...edges);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    let closing: Promise<void> | undefined;
    return {
      server,
      sim,
      edges,
      edgeConfigs,
      close: () =>
        (closing ??= (async () => {
          for (const e of edges) await e.close();
          await sim.close();
          await server.close();
        })()),
    };
  } catch (err) {
    for (const o of opened.reverse()) await o.close().catch(() => undefined);
    await server.close();
    throw err;
  }
}

/**
 * The server's `overview.map` for the simulated city: each district's model, a station at its
 * first tank, analyser, pump, valve or flow meter (one of its district's site, so keyed by its
 * gateway), a catalog plant at the first element its tags measure.
 */
function overviewMap(scenario: ScenarioName | undefined, networksDir: string | undefined) {
  const city =
    scenario === undefined
      ? loadConfig({ schema: SimConfigSchema, value: {}, label: 'simulator defaults' })
      : loadScenario(scenario, {});
  const districts = city.districts.map((d) => ({
    id: d.id,
    network: d.network,
    ...(d.name && { name: d.name }),
  }));
  const sites: Record<string, string>[] = [];
  for (const s of city.stations) {
    const node = s.tanks[0] ?? s.analysers[0];
    const link = s.pumps[0]?.link ?? s.valves[0] ?? s.flowMeters[0];
    const at: Record<string, string> | undefined =
      node !== undefined ? { node } : link !== undefined ? { link } : undefined;
    if (at)
      sites.push({
        site: s.district,
        gateway: s.id,
        district: s.district,
        name: s.name,
        kind: s.kind,
        ...at,
      });
  }
  for (const id of city.plants) {
    const plant = plantDefinition(id);
    const district = plant.district ?? plant.network;
    if (!districts.some((d) => d.id === district)) districts.push({ id: district, network: plant.network });
    const measured = plant.points.map((p) => p.source).find((m) => 'link' in m || 'node' in m);
    const at: Record<string, string> | undefined =
      measured && 'link' in measured
        ? { link: measured.link }
        : measured && 'node' in measured
          ? { node: measured.node }
          : undefined;
    if (at) sites.push({ site: plant.site, district, name: plant.name, ...at });
  }
  return districts.length > 0
    ? { networksDir: resolveNetworksDir(networksDir), districts, sites }
    : undefined;
}
