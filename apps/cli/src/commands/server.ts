import { Command } from 'commander';
import { createLogger, loadConfig } from '@watershed/common';
import { VERSION, defaultWebRoot } from '../paths.js';
import { closeOnSignals } from '../shutdown.js';

export function serverCommand(): Command {
  return new Command('server')
    .description('run the cloud side alone: MQTT broker, ingest, embedded store and console')
    .option('-c, --config <file>', 'server config file (YAML); WATERSHED_SECTION__KEY variables override it')
    .action(async (o: { config?: string }) => {
      const { ServerConfig, startServer } = await import('@watershed/server');
      const config = loadConfig({
        schema: ServerConfig,
        ...(o.config ? { file: o.config } : { value: {}, label: 'server settings' }),
        env: process.env,
        unknownSections: 'ignore',
      });
      const webRoot = config.web.root ?? defaultWebRoot();
      if (webRoot) config.web.root = webRoot;
      const logger = createLogger({ level: config.log.level, name: 'watershed-server' });
      const server = await startServer({ config, logger, version: VERSION });
      process.stdout.write(`Console ${server.apiUrl}/  MQTT port ${server.mqttPort}\n`);
      closeOnSignals(() => server.close(), logger);
    });
}
