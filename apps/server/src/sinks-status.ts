import type { SinkRegistry } from '@watershed/sink-core';
import type { SinkInfo, SinkStatus } from '@watershed/console-api';

/**
 * The console's read-only view of the server's configured sinks (`sinks:` in the config file):
 * sink-core's own health and row counters, as the sinks routes show them. The built-in `store`
 * sink of the rule engine is not a queued sink and is not listed.
 */
export function sinksStatus(registry: SinkRegistry): SinkStatus {
  const info = (id: string): SinkInfo | undefined => {
    const sink = registry.get(id);
    if (!sink) return undefined;
    const h = sink.health();
    return {
      id: sink.id,
      type: sink.type,
      health: {
        state: h.state,
        alarm: h.alarm,
        failures: h.failures,
        ...(h.detail !== undefined && { detail: h.detail }),
        ...(h.lastError !== undefined && { lastError: h.lastError }),
      },
      metrics: { ...sink.metrics() },
    };
  };
  return {
    list: () =>
      registry
        .list()
        .map((s) => info(s.id)!)
        .sort((a, b) => a.id.localeCompare(b.id)),
    get: info,
  };
}
