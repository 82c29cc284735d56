import { Counter, Gauge, type Registry } from '@watershed/common';
import type { BrokerStats } from './types.js';

/**
 * Registers the broker's Prometheus metrics. Values are read from the broker's own counters at
 * scrape time, so the message path increments plain numbers and never touches prom-client.
 */
export function registerBrokerMetrics(
  registry: Registry,
  node: string,
  stats: () => BrokerStats & { sockets: number },
): void {
  const labels = { node };
  const gauge = (
    name: string,
    help: string,
    read: (s: BrokerStats & { sockets: number }) => number,
  ): void => {
    new Gauge({
      name,
      help,
      labelNames: ['node'],
      registers: [registry],
      collect() {
        this.set(labels, read(stats()));
      },
    });
  };
  const counter = (name: string, help: string, read: (s: BrokerStats) => number): void => {
    new Counter({
      name,
      help,
      labelNames: ['node'],
      registers: [registry],
      collect() {
        // Counters only rise; re-stating the running total at scrape time keeps that true.
        this.reset();
        this.inc(labels, read(stats()));
      },
    });
  };
  gauge('watershed_mqtt_connections', 'MQTT clients connected (CONNECT accepted)', (s) => s.clients);
  gauge('watershed_mqtt_sockets', 'Open sockets, including those not yet past CONNECT', (s) => s.sockets);
  gauge(
    'watershed_mqtt_subscriptions',
    'Subscriptions held, in-process subscribers included',
    (s) => s.subscriptions,
  );
  gauge('watershed_mqtt_retained_messages', 'Retained messages stored', (s) => s.retained);
  counter(
    'watershed_mqtt_messages_received_total',
    'Application messages accepted for routing',
    (s) => s.messagesIn,
  );
  counter('watershed_mqtt_messages_sent_total', 'PUBLISH packets written to clients', (s) => s.messagesOut);
  counter('watershed_mqtt_bytes_received_total', 'MQTT bytes read from client sockets', (s) => s.bytesIn);
  counter('watershed_mqtt_bytes_sent_total', 'MQTT bytes written to client sockets', (s) => s.bytesOut);
  counter('watershed_mqtt_packets_received_total', 'MQTT packets received from clients', (s) => s.packetsIn);
  counter('watershed_mqtt_packets_sent_total', 'MQTT packets sent to clients', (s) => s.packetsOut);
  counter(
    'watershed_mqtt_messages_dropped_total',
    'Messages not delivered: queue full, expired or too large',
    (s) => s.dropped,
  );
}
