import { BrokerErrors } from './errors.js';
import type { LocalSubscriber, Router } from './router.js';
import { parseSubscriptionFilter, topicNameError } from './topic/validate.js';
import type { BrokerMessage, LocalSubscribeOptions, PublishInput } from './types.js';

/**
 * The broker's in-process side (Broker.subscribe/publish), used by server components — the
 * ingest, the rule engine, the fleet service — without a socket. Filters and topics follow the
 * same rules as a client's; invalid ones throw the broker's catalog errors.
 */

/** Adds an in-process subscriber; returns its idempotent unsubscribe. */
export function subscribeLocal(
  router: Router,
  id: number,
  filter: string,
  handler:
    | { durable: false; onMessage: (m: BrokerMessage) => void }
    | { durable: true; onMessage: (m: BrokerMessage) => Promise<void> },
  opts: LocalSubscribeOptions & { maxTopicLevels: number; now: number },
): () => void {
  const parsed = parseSubscriptionFilter(filter, opts.maxTopicLevels);
  if (typeof parsed === 'string') throw BrokerErrors.INVALID_FILTER.create([filter, parsed]);
  const local: LocalSubscriber = { kind: 'local', id, ...handler };
  router.addLocal(parsed.filter, parsed.group, local);
  // A shared subscription gets no retained messages when made (MQTT 5 §4.8.2).
  if (opts.retained && parsed.group === undefined) router.replayRetained(parsed.filter, local, opts.now);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    router.removeLocal(parsed.filter, parsed.group, local);
  };
}

/** The message an in-process PUBLISH stands for; throws WS_ERR_MQTT_INVALID_TOPIC. */
export function localMessage(m: PublishInput, maxTopicLevels: number, now: number): BrokerMessage {
  const err = topicNameError(m.topic, maxTopicLevels);
  if (err) throw BrokerErrors.INVALID_TOPIC.create([m.topic, err]);
  return {
    topic: m.topic,
    payload: typeof m.payload === 'string' ? Buffer.from(m.payload) : m.payload,
    qos: m.qos ?? 0,
    retain: m.retain ?? false,
    receivedAt: now,
    ...(m.properties && { properties: m.properties }),
  };
}
