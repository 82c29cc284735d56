import { loadConfig, systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import { join } from 'node:path';
import { startEdge, type EdgeConfigInput, type EdgeRuntime } from '@watershed/edge';
import { ServerConfig, startServer, type RunningServer } from '@watershed/server';
import { startSimulator, type Simulator } from '@watershed/sim';
import { VERSION } from './paths.js';

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
  /** Simulation speed: 1 = real time, 60 = an hour a minute. */
  speed?: number;
  seed?: number;
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
  const config = loadConfig({
    schema: ServerConfig,
    value: {
      dataDir: opts.dataDir,
      mqtt: { host, port: opts.mqttPort ?? 1883 },
      api: { host, port: opts.apiPort ?? 8080 },
      web: opts.webRoot ? { root: opts.webRoot } : {},
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
    const sim = await startSimulator({
      clock,
      logger: logger.child({ app: 'sim' }),
      host: '127.0.0.1',
      modbusPort: opts.modbusPort ?? 0,
      opcuaPort: opts.opcuaPort ?? 0,
      protocols: Object.fromEntries((opts.opcuaPlants ?? []).map((id) => [id, 'opcua' as const])),
      ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.networksDir !== undefined ? { networksDir: opts.networksDir } : {}),
    });
    opened.push(sim);
    const edgeConfigs = sim.plants.map((plant) =>
      edgeConfigForPlant(plant, {
        uplinkUrl: `mqtt://127.0.0.1:${server.mqttPort}`,
        intervalMs: opts.pollIntervalMs ?? 1000,
        bufferFile: join(opts.dataDir, 'edge', `${plant.id}.outbox.sqlite`),
        pkiDir: join(opts.dataDir, 'edge', 'pki', 'opcua'),
      }),
    );
    const edges: EdgeRuntime[] = [];
    for (const config of edgeConfigs) {
      const edge = await startEdge({
        config,
        clock,
        logger: logger.child({ app: 'edge', node: config.node }),
        version: VERSION,
      });
      edges.push(edge);
      opened.push(edge);
    }
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

/** The gateway config a plant's engineer would write: one PLC, one group polled every second. */
export function edgeConfigForPlant(
  plant: Simulator['plants'][number],
  opts: { uplinkUrl: string; intervalMs: number; bufferFile?: string; pkiDir?: string },
): EdgeConfigInput {
  const { intervalMs } = opts;
  return {
    site: plant.site,
    node: plant.id,
    uplink: { url: opts.uplinkUrl, reconnectMs: 1000, qos: 1 },
    buffer: opts.bufferFile ? { file: opts.bufferFile } : {},
    devices: [
      {
        name: 'plc',
        ...plcDriver(plant, opts.pkiDir),
        groups: [
          {
            name: 'process',
            intervalMs,
            tags: plant.tags.map((t) => ({
              name: t.tag,
              address: t.address,
              dataType: t.dataType,
              ...(t.unit ? { unit: t.unit } : {}),
              ...(t.quantity ? { quantity: t.quantity } : {}),
              ...(t.description ? { description: t.description } : {}),
              ...(t.writable !== undefined ? { writable: t.writable } : {}),
            })),
          },
        ],
      },
    ],
  };
}

/** How the gateway reaches the plant's PLC: the driver and connection settings of its protocol. */
function plcDriver(
  plant: Simulator['plants'][number],
  pkiDir: string | undefined,
): { driver: string; config: Record<string, unknown> } {
  if (plant.protocol === 'opcua') {
    return {
      driver: 'opcua',
      config: {
        endpointUrl: plant.endpointUrl,
        // The simulated plant's certificate is self-signed and new on every run.
        acceptUnknownServerCertificate: true,
        ...(pkiDir !== undefined ? { pkiDir } : {}),
      },
    };
  }
  return {
    driver: 'modbus-tcp',
    config: { host: plant.host, port: plant.port, timeoutMs: 1000, backoffMinMs: 250, backoffMaxMs: 5000 },
  };
}
