import { Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A metrics registry owned by the caller (no prom-client global), so two brokers or two
 * gateways in one test process keep separate figures.
 */
export function createMetricsRegistry(opts: { processMetrics?: boolean; prefix?: string } = {}): Registry {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: opts.prefix ?? 'watershed_' });
  return registry;
}
