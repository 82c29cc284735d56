import mqtt, { type MqttClient } from 'mqtt';

/** Where a fleet's readings go: one message per reading. */
export interface Uplink {
  /** Resolves once the peer took the message (MQTT PUBACK at QoS 1, HTTP 2xx); rejects otherwise. */
  send(topic: string, body: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * MQTT, as the vendors' NB-IoT platforms forward uplinks: QoS 1 (at least once, MQTT 5 §4.3.2)
 * to the vendor's topic, one client per fleet. mqtt.js reconnects by itself; a publish while
 * disconnected waits in its queue.
 */
export async function mqttUplink(url: string, clientId: string): Promise<Uplink> {
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId,
    protocolVersion: 5,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  return {
    async send(topic, body) {
      await client.publishAsync(topic, body, { qos: 1 });
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** HTTP: a JSON POST per reading to the configured URL, the topic carried as a header. */
export function httpUplink(url: string, timeoutMs = 10_000): Uplink {
  const inflight = new Set<AbortController>();
  return {
    async send(topic, body) {
      const ac = new AbortController();
      inflight.add(ac);
      const timer = setTimeout(() => ac.abort(), timeoutMs);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-meter-topic': topic },
          body,
          signal: ac.signal,
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`POST ${url} answered ${res.status}`);
      } finally {
        clearTimeout(timer);
        inflight.delete(ac);
      }
    },
    close() {
      for (const ac of inflight) ac.abort();
      return Promise.resolve();
    },
  };
}
