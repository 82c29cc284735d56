import { Counter, Gauge, Histogram, type Registry } from '@watershed/common';

/** What the write path reports; a no-op set when the store is given no registry. */
export interface StoreMetrics {
  batch(rows: number, dropped: number, seconds: number): void;
  failed(): void;
}

const NOOP: StoreMetrics = { batch: () => undefined, failed: () => undefined };

/**
 * Write-path metrics in `registry`. One embedded store per registry: a second one reuses the
 * same series (and the pending gauge keeps reading the first).
 */
export function storeMetrics(registry: Registry | undefined, pending: () => number): StoreMetrics {
  if (!registry) return NOOP;
  const get = <T>(name: string, create: () => T): T =>
    (registry.getSingleMetric(name) as T | undefined) ?? create();
  const rows = get(
    'watershed_store_rows_written_total',
    () =>
      new Counter({
        name: 'watershed_store_rows_written_total',
        help: 'Sample rows committed',
        registers: [registry],
      }),
  );
  const dropped = get(
    'watershed_store_rows_dropped_total',
    () =>
      new Counter({
        name: 'watershed_store_rows_dropped_total',
        help: 'Sample rows dropped on write for being older than raw retention',
        registers: [registry],
      }),
  );
  const failures = get(
    'watershed_store_batch_failures_total',
    () =>
      new Counter({
        name: 'watershed_store_batch_failures_total',
        help: 'Write batches that rolled back',
        registers: [registry],
      }),
  );
  const duration = get(
    'watershed_store_batch_seconds',
    () =>
      new Histogram({
        name: 'watershed_store_batch_seconds',
        help: 'Time to commit one write batch',
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
  );
  get(
    'watershed_store_pending_rows',
    () =>
      new Gauge({
        name: 'watershed_store_pending_rows',
        help: 'Rows buffered, waiting for the next batch',
        registers: [registry],
        collect() {
          this.set(pending());
        },
      }),
  );
  return {
    batch(n, d, seconds) {
      rows.inc(n - d);
      if (d > 0) dropped.inc(d);
      duration.observe(seconds);
    },
    failed: () => failures.inc(),
  };
}
