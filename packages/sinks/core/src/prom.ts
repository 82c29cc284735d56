import { Counter, Gauge, type Registry } from '@watershed/common';
import type { Sink, SinkMetrics } from './types.js';

/**
 * Registers the sinks' Prometheus metrics on `registry`. Figures are read from each sink's
 * `metrics()` at scrape time, so the write path only bumps plain numbers.
 * `watershed_sink_rows_total{outcome="matched"}` equals the sum of the success, failed and
 * dropped outcomes plus `watershed_sink_queued_rows` and `watershed_sink_inflight_rows`.
 */
export function registerSinkMetrics(registry: Registry, sinks: () => Iterable<Sink>): void {
  const outcomes = ['matched', 'success', 'failed', 'dropped'] as const;
  new Counter({
    name: 'watershed_sink_rows_total',
    help: 'Rows per sink by outcome; matched = success + failed + dropped + queued + inflight',
    labelNames: ['sink', 'type', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sinks()) {
        const m = s.metrics();
        for (const outcome of outcomes) this.inc({ sink: s.id, type: s.type, outcome }, m[outcome]);
      }
    },
  });
  const gauge = (
    name: string,
    help: string,
    read: (m: SinkMetrics, s: Sink) => [Record<string, string>, number][],
  ): void => {
    new Gauge({
      name,
      help,
      labelNames: ['sink', 'type', 'tier', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sinks()) {
          for (const [labels, v] of read(s.metrics(), s))
            this.set({ sink: s.id, type: s.type, ...labels }, v);
        }
      },
    });
  };
  gauge('watershed_sink_queued_rows', 'Rows waiting in a sink queue, by tier (memory, disk)', (m) => [
    [{ tier: 'memory' }, m.queuedMemory],
    [{ tier: 'disk' }, m.queuedDisk],
  ]);
  gauge('watershed_sink_inflight_rows', 'Rows in the batch a sink is sending', (m) => [[{}, m.inflight]]);
  gauge('watershed_sink_disk_queue_bytes', 'Serialised rows in a sink disk queue', (m) => [
    [{}, m.diskBytes],
  ]);
  gauge('watershed_sink_alarm', '1 while a sink drops rows because its disk queue is full', (_m, s) => [
    [{}, s.health().alarm ? 1 : 0],
  ]);
  gauge('watershed_sink_health', '1 for the current health state of a sink (up, degraded, down)', (_m, s) => {
    const state = s.health().state;
    return (['up', 'degraded', 'down'] as const).map((st) => [{ state: st }, st === state ? 1 : 0]);
  });
  new Counter({
    name: 'watershed_sink_retries_total',
    help: 'Failed sink attempts (open or send) that were retried',
    labelNames: ['sink', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sinks()) this.inc({ sink: s.id, type: s.type }, s.metrics().retries);
    },
  });
}
