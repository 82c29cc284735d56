import type { SinkDeps, SinkType } from '@watershed/sink-core';
import { MqttBridgeSinkConfigSchema, type MqttBridgeSinkConfig } from './config.js';
import { MqttBridgeTransport } from './egress-transport.js';

/**
 * `mqtt-bridge`: rows to a remote MQTT broker (the plant network reaching the office network
 * through the firewall). QoS 1 by default; a batch counts as sent only when the remote has
 * acknowledged all of it, so sink-core's disk queue carries a link outage.
 */
export const mqttBridgeSink: SinkType<MqttBridgeSinkConfig> = {
  type: 'mqtt-bridge',
  description: 'publishes rows to a remote MQTT broker (3.1.1 or 5, TLS, QoS 1, topic mapping)',
  configSchema: MqttBridgeSinkConfigSchema,
  createTransport(config: MqttBridgeSinkConfig, deps: SinkDeps) {
    const id = (config as { id?: unknown }).id;
    return new MqttBridgeTransport(config, deps, typeof id === 'string' ? id : config.clientId);
  },
};
