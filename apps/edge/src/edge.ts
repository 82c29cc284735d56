import { loadConfig, systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import {
  EdgeConfig,
  startEdgeRuntime,
  type EdgeConfigInput,
  type EdgeRuntime,
} from '@watershed/edge-runtime';
import { DRIVERS } from './drivers.js';

export interface EdgeOptions {
  /** A config object (already parsed), or a YAML file path to load and validate. */
  config: EdgeConfigInput | { file: string };
  env?: Record<string, string | undefined>;
  clock?: Clock;
  logger?: Logger;
  version?: string;
}

/** Loads and validates an edge gateway's config, then starts it with the registered drivers. */
export async function startEdge(opts: EdgeOptions): Promise<EdgeRuntime> {
  const config =
    'file' in opts.config
      ? loadConfig({ schema: EdgeConfig, file: opts.config.file, env: opts.env ?? {} })
      : loadConfig({ schema: EdgeConfig, value: opts.config, env: opts.env ?? {}, label: 'edge config' });
  return startEdgeRuntime({
    config,
    drivers: DRIVERS,
    clock: opts.clock ?? systemClock,
    logger: opts.logger ?? silentLogger(),
    ...(opts.version ? { version: opts.version } : {}),
  });
}
