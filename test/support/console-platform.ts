import { loadConfig, silentLogger } from '@watershed/common';
import { join } from 'node:path';
import { edgeConfigForPlant } from '@watershed/cli';
import { startEdge, type EdgeRuntime } from '@watershed/edge';
import { ServerConfig, startServer, type RunningServer } from '@watershed/server';
import { startSimulator, type Simulator } from '@watershed/sim';

/**
 * The platform `watershed up` starts (server, simulated city, one gateway per plant), with extra
 * server config — `startPlatform` takes none, and the console's alarm tests need `alarms.ruleSets`.
 */
export interface ConsolePlatform {
  readonly server: RunningServer;
  readonly sim: Simulator;
  close(): Promise<void>;
}

export async function startConsolePlatform(opts: {
  dataDir: string;
  webRoot: string;
  /** Merged into the server config (e.g. `{ alarms: { ruleSets: [...] } }`). */
  serverConfig?: Record<string, unknown>;
  speed?: number;
  seed?: number;
  pollIntervalMs?: number;
}): Promise<ConsolePlatform> {
  const logger = silentLogger();
  const config = loadConfig({
    schema: ServerConfig,
    value: {
      dataDir: opts.dataDir,
      mqtt: { host: '127.0.0.1', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      web: { root: opts.webRoot },
      ...opts.serverConfig,
    },
    label: 'console e2e settings',
  });
  const server = await startServer({ config, logger, version: '0.0.0-e2e' });
  const opened: { close(): Promise<void> }[] = [];
  try {
    const sim = await startSimulator({
      logger,
      host: '127.0.0.1',
      modbusPort: 0,
      opcuaPort: 0,
      speed: opts.speed ?? 60,
      seed: opts.seed ?? 3,
    });
    opened.push(sim);
    const edges: EdgeRuntime[] = [];
    for (const plant of sim.plants) {
      const edge = await startEdge({
        config: edgeConfigForPlant(plant, {
          uplinkUrl: `mqtt://127.0.0.1:${server.mqttPort}`,
          intervalMs: opts.pollIntervalMs ?? 1000,
          bufferFile: join(opts.dataDir, 'edge', `${plant.id}.outbox.sqlite`),
          pkiDir: join(opts.dataDir, 'edge', 'pki', 'opcua'),
        }),
        logger,
        version: '0.0.0-e2e',
      });
      edges.push(edge);
      opened.push(edge);
    }
    let closing: Promise<void> | undefined;
    return {
      server,
      sim,
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
