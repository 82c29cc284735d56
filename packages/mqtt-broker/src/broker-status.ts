import type { Clock, Registry } from '@watershed/common';
import { registerBrokerMetrics } from './metrics.js';
import type { RetainedStore } from './retained-store.js';
import type { Router } from './router.js';
import { SysTopics } from './sys-topics.js';
import type { BrokerMessage, BrokerStats } from './types.js';

export interface BrokerStatusOptions {
  clock: Clock;
  node: string;
  /** `$SYS` publishing period; 0 turns the status topics off. */
  intervalMs: number;
  metrics: Registry | undefined;
  stats: () => BrokerStats & { sockets: number };
  retained: RetainedStore;
  router: Router;
}

/**
 * The broker's counters made visible: Prometheus metrics read at scrape time, and the retained
 * `$SYS/brokers/{node}/…` topics on a timer (started here; the caller stops the returned one).
 * Status messages are the broker's own: routed and retained, not counted as traffic.
 */
export function startBrokerStatus(o: BrokerStatusOptions): SysTopics {
  if (o.metrics) registerBrokerMetrics(o.metrics, o.node, o.stats);
  const sys = new SysTopics({
    clock: o.clock,
    node: o.node,
    intervalMs: o.intervalMs,
    stats: o.stats,
    publish: (topic, payload) => {
      const message: BrokerMessage = {
        topic,
        payload: Buffer.from(payload),
        qos: 0,
        retain: true,
        receivedAt: o.clock.now(),
      };
      o.retained.set(message);
      o.router.route(message);
    },
  });
  sys.start();
  return sys;
}
