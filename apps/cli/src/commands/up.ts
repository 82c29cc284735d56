import { plantEndpoint } from '../plant-endpoint.js';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { createLogger } from '@watershed/common';
import { defaultWebRoot } from '../paths.js';
import { closeOnSignals } from '../shutdown.js';
import { intOption, numberOption } from './options.js';
import { SCENARIO_NAMES, type ScenarioName } from '../scenario-names.js';
import { boundHeapGrowth, UP_HEAP_GROWTH_PERCENT } from '../heap-policy.js';

export function upCommand(): Command {
  return new Command('up')
    .description(
      'run the whole platform on this machine: server, simulated city and edge gateways (embedded store)',
    )
    .option('-d, --data-dir <dir>', 'where the embedded store keeps its files', './data')
    .option('--host <host>', 'address the console and the MQTT broker listen on', '127.0.0.1')
    .option('--api-port <port>', 'console and REST API port (0 = any free port)', intOption, 8080)
    .option('--mqtt-port <port>', 'MQTT broker port (0 = any free port)', intOption, 1883)
    .option(
      '--modbus-port <port>',
      'Modbus TCP port of the simulated plant PLC (0 = any free port)',
      intOption,
      5020,
    )
    .option(
      '--opcua-plants <ids>',
      'plants whose PLC speaks OPC UA instead of Modbus TCP, comma-separated (e.g. net3-plant)',
      (v: string) =>
        v
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id.length > 0),
      [] as string[],
    )
    .addOption(
      new Option(
        '--scenario <name>',
        'simulated city: reference = 26 plants and stations over Modbus TCP, OPC UA, IEC 104 and S7, ' +
          'CJ/T 188 meters behind concentrators, one gateway each; small = a small city of the same kind, ' +
          'quick to start',
      )
        .choices([...SCENARIO_NAMES])
        .default('reference'),
    )
    .option(
      '--poll-interval <ms>',
      "how often each plant's gateway polls its PLC (default 5000 for the reference city, else 1000)",
      intOption,
    )
    .option(
      '--heap-growth <percent>',
      'how far the heap may grow past its live size before a full garbage collection (0 = V8 default)',
      intOption,
      UP_HEAP_GROWTH_PERCENT,
    )
    .option('--speed <factor>', 'simulation speed: 1 = real time, 60 = an hour a minute', numberOption, 1)
    .option('--seed <n>', 'random seed of the simulator, for reproducible runs', intOption)
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('warn'),
    )
    .action(
      async (o: {
        dataDir: string;
        host: string;
        apiPort: number;
        mqttPort: number;
        modbusPort: number;
        opcuaPlants: string[];
        scenario: ScenarioName;
        pollInterval?: number;
        heapGrowth: number;
        speed: number;
        seed?: number;
        logLevel: string;
      }) => {
        boundHeapGrowth(o.heapGrowth);
        // Loaded here, not at the top, so `--help` answers without loading the whole platform.
        const { startPlatform } = await import('../platform.js');
        const logger = createLogger({ level: o.logLevel, name: 'watershed' });
        const webRoot = defaultWebRoot();
        if (!webRoot) logger.warn('console web app not built (run `npm run build`); serving the API only');
        process.stdout.write('Starting Watershed: server, simulated city, edge gateways...\n');
        const platform = await startPlatform({
          dataDir: resolve(o.dataDir),
          host: o.host,
          apiPort: o.apiPort,
          mqttPort: o.mqttPort,
          modbusPort: o.modbusPort,
          opcuaPlants: o.opcuaPlants,
          opcuaPort: 4840,
          scenario: o.scenario,
          ...(o.pollInterval !== undefined ? { pollIntervalMs: o.pollInterval } : {}),
          speed: o.speed,
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(webRoot ? { webRoot } : {}),
          logger,
        });
        const { server, sim } = platform;
        const lines = [
          '',
          `  Console      ${server.apiUrl}/`,
          `  REST API     ${server.apiUrl}/api/v1/points   (OpenAPI: ${server.apiUrl}/docs)`,
          `  MQTT broker  mqtt://${o.host}:${server.mqttPort}   (data on ws/v1/+/+/+/data)`,
          ...sim.plants.map((p) => `  Plant        ${p.name}: ${plantEndpoint(p)}, ${p.tags.length} tags`),
          ...sim.concentrators.map(
            (c) => `  Meters       ${c.district}: CJ/T 188 ${c.host}:${c.port}, ${c.addresses.length} meters`,
          ),
          `  Gateways     ${platform.edges.length}`,
          `  Data         ${resolve(o.dataDir)}`,
          '',
          ...loginLines(server.initialAdmin),
          '',
          'Press Ctrl-C to stop.',
          '',
        ];
        process.stdout.write(lines.join('\n'));
        closeOnSignals(() => platform.close(), logger);
      },
    );
}

/** How to log in to the console: the first start of a data dir created the admin user. */
function loginLines(initialAdmin: { name: string; passwordFile: string } | undefined): string[] {
  if (!initialAdmin) return ['  Log in       with your console user (first user: admin)'];
  return [
    `  Log in       as ${initialAdmin.name}, password in ${initialAdmin.passwordFile}`,
    '               (a one-time password: the console asks for a new one at first login)',
  ];
}
