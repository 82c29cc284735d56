import {
  Errors,
  formatIssues,
  loadConfig,
  type ConfigIssue,
  type Logger,
  type Registry,
} from '@watershed/common';
import type { SampleRow, Store } from '@watershed/store';
import { MetersConfig } from './config.js';
import { httpMeterUplink, type HttpMeterUplink } from './http-uplink.js';
import { MeterIngest, type MeterVendorStats } from './meter-ingest.js';
import { MeterMetrics } from './meter-metrics.js';
import { MeterRegistry } from './meter-registry.js';
import { MeterMqttSource, type MeterMessageSource } from './mqtt-source.js';
import { decoderFor } from './presets.js';
import { MeterRegistryQueries } from './registry-service.js';

export interface MetersOptions {
  /** The server's `meters:` section; omitted = the defaults (vendors a, b and c). */
  config?: MetersConfig;
  store: Store;
  /** The platform broker (its in-process subscription). */
  source: MeterMessageSource;
  logger: Logger;
  /** Stored rows, for the live feed. */
  emit?: (rows: readonly SampleRow[]) => void;
  /** The server's registry, for watershed_meter_* counters. */
  metrics?: Registry;
}

export interface RunningMeters {
  /** For the console API's uplink route (`metersRoutes` option `uplink`). */
  readonly uplink: HttpMeterUplink;
  /** For the console API's registry routes (`metersRoutes` option `registry`). */
  readonly registry: MeterRegistryQueries;
  /** Largest uplink body, bytes (`metersRoutes` option `bodyLimit`). */
  readonly bodyLimit: number;
  stats(): Record<string, MeterVendorStats>;
  /** Unsubscribes and waits for the readings in flight to be stored; call before the store closes. */
  close(): Promise<void>;
}

/**
 * Vendor meter ingest: the registry loaded from the store, the MQTT vendors subscribed on the
 * broker, the HTTP vendors ready for the console API's uplink route. Throws WS_ERR_CONFIG_INVALID
 * naming `meters.vendors.N…` for what the schema cannot check.
 */
export async function startMeters(opts: MetersOptions): Promise<RunningMeters> {
  const config = opts.config ?? loadConfig({ schema: MetersConfig, value: {}, label: 'meters' });
  const issues = checkMetersConfig(config);
  if (issues.length > 0)
    throw Errors.CONFIG_INVALID.create(['server config', formatIssues(issues)], { issues });
  const vendors = config.enabled ? config.vendors : [];
  const registry = new MeterRegistry(
    opts.store,
    vendors.map((v) => ({
      id: v.id,
      project: v.project,
      protocol: v.transport.type === 'mqtt' ? ('mqtt-json' as const) : ('http-json' as const),
    })),
  );
  await registry.load();
  const ingest = new MeterIngest({
    vendors,
    store: opts.store,
    registry,
    logger: opts.logger,
    ...(opts.emit && { emit: opts.emit }),
    ...(opts.metrics && { metrics: new MeterMetrics(opts.metrics) }),
  });
  const mqtt = new MeterMqttSource({
    source: opts.source,
    ingest,
    vendors: vendors.flatMap((v) =>
      v.transport.type === 'mqtt' ? [{ id: v.id, topic: v.transport.topic }] : [],
    ),
    logger: opts.logger,
  });
  opts.logger.info(
    { vendors: vendors.map((v) => v.id), meters: registry.size },
    'vendor meter ingest started',
  );
  return {
    uplink: httpMeterUplink(vendors, ingest),
    registry: new MeterRegistryQueries(registry, opts.store),
    bodyLimit: config.bodyLimitBytes,
    stats: () => ingest.stats(),
    close: () => mqtt.close(),
  };
}

/** What the schema cannot say: vendor ids unique, time formats that parse. Paths under `meters.`. */
export function checkMetersConfig(config: MetersConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  config.vendors.forEach((v, i) => {
    if (ids.has(v.id))
      issues.push({
        path: `meters.vendors.${i}.id`,
        value: v.id,
        expected: 'a vendor id unique in meters.vendors',
      });
    ids.add(v.id);
    try {
      decoderFor(v.decoder);
    } catch (err) {
      const time = typeof v.decoder === 'object' ? v.decoder.time : undefined;
      issues.push({
        path: `meters.vendors.${i}.decoder.time`,
        value: time,
        expected: (err as Error).message,
      });
    }
  });
  return issues;
}
