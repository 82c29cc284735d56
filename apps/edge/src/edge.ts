import {
  createLogger,
  loadConfig,
  systemClock,
  type Clock,
  type Logger,
  type LoggerSettings,
} from '@watershed/common';
import {
  checkEdgeConfig,
  EdgeConfig,
  LogTail,
  startEdgeRuntime,
  type DriverCatalog,
  type EdgeConfigInput,
  type EdgeRuntime,
} from '@watershed/edge-runtime';
import { driverCatalog } from './drivers.js';

/** `WATERSHED_EDGE__UPLINK__URL=mqtts://…` overrides `uplink.url` of the gateway's file. */
export const EDGE_ENV_PREFIX = 'WATERSHED_EDGE__';

export interface EdgeOptions {
  /** A config object (already parsed), or a YAML file path to load and validate. */
  config: EdgeConfigInput | { file: string };
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /**
   * The gateway's logger. Pass the one from `createEdgeLogger` together with its `logTail` so
   * the console's log tail (mgmt/log) sees what it logs. Without a logger the gateway logs
   * nothing to stdout, and only its log tail is fed.
   */
  logger?: Logger;
  logTail?: LogTail;
  version?: string;
  /** The drivers to load from; default a catalog over DRIVERS (only those the config names load). */
  drivers?: DriverCatalog;
}

/**
 * A logger for a gateway process that writes JSON lines to stdout (or `destination`) and also
 * into a LogTail, the ring published on mgmt/log.
 */
export function createEdgeLogger(
  settings: LoggerSettings & { tailLines?: number; tailLevel?: 'debug' | 'info' | 'warn' | 'error' } = {},
): { logger: Logger; logTail: LogTail } {
  const { tailLines = 200, tailLevel = 'warn', destination = process.stdout, ...rest } = settings;
  const logTail = new LogTail({ size: tailLines, level: tailLevel });
  // pino needs only `write` of its destination; the tee forwards every line, then keeps the tail.
  const logger = createLogger({
    ...rest,
    destination: logTail.tee(destination) as unknown as NodeJS.WritableStream,
  });
  return { logger, logTail };
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
  let { logger, logTail } = opts;
  if (!logger) {
    // Quiet by default, but the console's log tail still gets the gateway's warnings.
    logTail ??= new LogTail({ size: config.mgmt.logLines, level: config.mgmt.logLevel });
    logger = createLogger({
      level: config.mgmt.logLevel,
      destination: logTail as unknown as NodeJS.WritableStream,
    });
  }
  return startEdgeRuntime({
    config,
    drivers: opts.drivers ?? driverCatalog(),
    clock: opts.clock ?? systemClock,
    logger,
    ...(logTail ? { logTail } : {}),
    ...(opts.version ? { version: opts.version } : {}),
  });
}

/**
 * The gateway's own checks of a parsed config (driver settings, every tag address against its
 * driver, unique names), loading only the drivers it names. Throws WS_ERR_CONFIG_INVALID
 * listing every problem by path, as start-up would.
 */
export async function checkGatewayConfig(
  config: EdgeConfig,
  label = 'edge config',
  catalog: DriverCatalog = driverCatalog(),
): Promise<void> {
  const modules = await catalog.load(config.devices.map((d) => d.driver));
  checkEdgeConfig(config, modules, label, catalog.ids);
}
