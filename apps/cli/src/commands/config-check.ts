import { Command, Argument } from 'commander';
import { Errors, formatIssues, loadConfig } from '@watershed/common';

/** Validates a config file without starting anything: the same checks as start-up. */
export function configCommand(): Command {
  const config = new Command('config').description('work with configuration files');
  config
    .command('check')
    .description('validate a config file and print every problem with its path')
    .addArgument(new Argument('<kind>', 'what the file configures').choices(['server', 'edge', 'sim']))
    .argument('<file>', 'YAML file')
    .action(async (kind: 'server' | 'edge' | 'sim', file: string) => {
      if (kind === 'server') {
        const { ServerConfig, checkServerConfig } = await import('@watershed/server');
        checkServerConfig(
          loadConfig({ schema: ServerConfig, file, env: process.env, unknownSections: 'ignore' }),
          file,
        );
      } else if (kind === 'sim') {
        const { loadSimConfig } = await import('@watershed/sim');
        loadSimConfig(file, process.env);
      } else {
        const { checkGatewayConfig, EDGE_ENV_PREFIX, EdgeConfig } = await import('@watershed/edge');
        const { checkEdgeRules } = await import('@watershed/edge-runtime');
        const edge = loadConfig({ schema: EdgeConfig, file, env: process.env, envPrefix: EDGE_ENV_PREFIX });
        await checkGatewayConfig(edge, file);
        // Rule SQL is compiled too, so a typo is found here rather than as a refused push.
        const ruleIssues = await checkEdgeRules(edge.rules ?? []);
        if (ruleIssues.length > 0) throw Errors.CONFIG_INVALID.create([file, formatIssues(ruleIssues)]);
      }
      process.stdout.write(`${file}: valid ${kind} config\n`);
    });
  return config;
}
