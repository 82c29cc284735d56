import type { ResolvedLimits } from './context.js';
import type { BrokerOptions } from './types.js';

/**
 * The broker's limits with their defaults filled: every input is bounded (issue 3, "Bounded
 * everything"). 1 MiB packets as EMQX's default; per-client queue and inflight as Mosquitto's
 * `max_queued_messages` / `max_inflight_messages` orders of magnitude.
 */
export function resolveLimits(l: BrokerOptions['limits'] = {}): ResolvedLimits {
  return {
    maxPacketSize: l.maxPacketSize ?? 1024 * 1024,
    maxConnections: l.maxConnections ?? 100_000,
    maxQueuedPerClient: l.maxQueuedPerClient ?? 1000,
    queueQos0Offline: l.queueQos0Offline ?? false,
    maxTopicLevels: l.maxTopicLevels ?? 64,
    maxInflight: l.maxInflight ?? 100,
    connectTimeoutMs: l.connectTimeoutMs ?? 10_000,
    maxSubscriptionsPerClient: l.maxSubscriptionsPerClient ?? 1000,
    maxRetained: l.maxRetained ?? 100_000,
    maxMessagesPerSecond: l.maxMessagesPerSecond ?? Number.POSITIVE_INFINITY,
    maxBytesPerSecond: l.maxBytesPerSecond ?? Number.POSITIVE_INFINITY,
    topicAliasMaximum: 64,
  };
}
