import { Command } from 'commander';
import { VERSION } from '../paths.js';
import { closeOnSignals } from '../shutdown.js';

export function edgeCommand(): Command {
  return new Command('edge')
    .description('run one edge gateway: poll its devices and publish to the broker')
    .requiredOption(
      '-c, --config <file>',
      'gateway config file (YAML): site, node, uplink, devices → groups → tags',
    )
    .option('--log-level <level>', 'log level', 'info')
    .action(async (o: { config: string; logLevel: string }) => {
      const { startEdge, createEdgeLogger } = await import('@watershed/edge');
      // The tail of warnings and errors the console asks for (mgmt/log) comes from this logger.
      const { logger, logTail } = createEdgeLogger({ level: o.logLevel, name: 'watershed-edge' });
      const edge = await startEdge({
        config: { file: o.config },
        env: process.env,
        logger,
        logTail,
        version: VERSION,
      });
      const h = edge.health();
      process.stdout.write(
        `Edge gateway ${h.node}: ${Object.keys(h.devices).length} devices, ${Object.keys(h.groups).length} groups\n`,
      );
      closeOnSignals(() => edge.close(), logger);
    });
}
