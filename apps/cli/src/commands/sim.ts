import { plantEndpoint } from '../plant-endpoint.js';
import { Command } from 'commander';
import { createLogger } from '@watershed/common';
import { closeOnSignals } from '../shutdown.js';
import { intOption, numberOption } from './options.js';

export function simCommand(): Command {
  return new Command('sim')
    .description('run the city simulator alone: EPANET hydraulics served over real protocols')
    .option('-c, --config <file>', 'simulator config file (YAML)')
    .option('--modbus-port <port>', 'Modbus TCP port of the first plant (overrides the file)', intOption)
    .option('--speed <factor>', 'simulated seconds per second (overrides the file)', numberOption)
    .option('--log-level <level>', 'log level', 'info')
    .action(async (o: { config?: string; modbusPort?: number; speed?: number; logLevel: string }) => {
      const { loadSimConfig, startSimulator } = await import('@watershed/sim');
      // WATERSHED_SIM__SPEED=60 and the like override the file.
      const config = loadSimConfig(o.config, process.env);
      if (o.modbusPort !== undefined) config.modbusPort = o.modbusPort;
      if (o.speed !== undefined) config.speed = o.speed;
      const logger = createLogger({ level: o.logLevel, name: 'watershed-sim' });
      const sim = await startSimulator({ ...config, logger });
      for (const p of sim.plants) {
        process.stdout.write(`${p.name}: ${plantEndpoint(p)}, ${p.tags.length} tags\n`);
      }
      closeOnSignals(() => sim.close(), logger);
    });
}
