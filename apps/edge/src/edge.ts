import { loadConfig, systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import {
  EdgeConfig,
  startEdgeRuntime,
  type EdgeConfigInput,
  type EdgeRuntime,
} from '@watershed/edge-runtime';
import { DRIVERS } from './drivers.js';

/** `WATERSHED_EDGE__UPLINK__URL=mqtts://…` overrides `uplink.url` of the gateway's file. */
export const EDGE_ENV_PREFIX = 'WATERSHED_EDGE__';

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
      ? loadConfig({
          schema: EdgeConfig,
          file: opts.config.file,
          env: opts.env ?? {},
          envPrefix: EDGE_ENV_PREFIX,
        })
      : loadConfig({
          schema: EdgeConfig,
          value: opts.config,
          env: opts.env ?? {},
          envPrefix: EDGE_ENV_PREFIX,
          label: 'edge config',
        });
  return startEdgeRuntime({
    config,
    drivers: DRIVERS,
    clock: opts.clock ?? systemClock,
    logger: opts.logger ?? silentLogger(),
    ...(opts.version ? { version: opts.version } : {}),
  });
}
