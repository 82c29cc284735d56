import type { SinkDeps, SinkType } from '@watershed/sink-core';
import { NatsJetStreamSinkConfigSchema, type NatsJetStreamSinkConfig } from './config.js';
import { NatsJetStreamTransport } from './jetstream-transport.js';

/**
 * `nats-jetstream`: rows into a JetStream stream for downstream consumers, subjects mapped from
 * MQTT topics, de-duplicated by Nats-Msg-Id so a re-sent batch is stored once.
 */
export const natsJetStreamSink: SinkType<NatsJetStreamSinkConfig> = {
  type: 'nats-jetstream',
  description: 'publishes rows to a NATS JetStream stream (ensured at start; exactly once via Nats-Msg-Id)',
  configSchema: NatsJetStreamSinkConfigSchema,
  createTransport(config: NatsJetStreamSinkConfig, deps: SinkDeps) {
    const id = (config as { id?: unknown }).id;
    return new NatsJetStreamTransport(config, deps, typeof id === 'string' ? id : config.stream.name);
  },
};
