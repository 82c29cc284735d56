import type { MessageSource, SourceEvent, SourceMessage } from './source.js';

/**
 * The slice of `@watershed/mqtt-broker`'s `Broker` that the adapter uses, written out
 * structurally so this package does not depend on the broker (DESIGN: dependency direction).
 * The real broker satisfies it as is: `brokerMessageSource(broker)`.
 */
export interface BrokerLike {
  subscribe(filter: string, onMessage: (m: BrokerLikeMessage) => void): () => void;
  publish(m: {
    topic: string;
    payload: string;
    qos?: 0 | 1 | 2;
    retain?: boolean;
    properties?: { userProperties?: Record<string, string> };
  }): void;
  on(event: 'client_connected', listener: (c: BrokerClient & { cleanStart: boolean }) => void): () => void;
  on(event: 'client_disconnected', listener: (d: { clientId: string; reason: string }) => void): () => void;
  on(
    event: 'session_subscribed',
    listener: (s: { clientId: string; filter: string; qos: 0 | 1 | 2 }) => void,
  ): () => void;
  on(event: 'session_unsubscribed', listener: (s: { clientId: string; filter: string }) => void): () => void;
  on(
    event: 'message_dropped',
    listener: (d: { clientId: string; topic: string; reason: string }) => void,
  ): () => void;
}

export interface BrokerLikeMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly clientId?: string;
  /** MQTT 5 properties; user properties are lifted out, the rest become `pub_props`. */
  readonly properties?: { readonly userProperties?: Record<string, string | string[]> };
  readonly receivedAt: number;
}

interface BrokerClient {
  clientId: string;
  username: string | undefined;
  remoteAddress: string | undefined;
  protocolVersion: 3 | 4 | 5;
}

/**
 * Adapts a broker to {@link MessageSource}: in-process subscriptions for topics, and the broker's
 * typed events as EMQX `$events/…` (`client_connected`, `client_disconnected`,
 * `session_subscribed`, `session_unsubscribed`, `message_dropped`) with EMQX field names.
 */
export function brokerMessageSource(broker: BrokerLike, now: () => number = Date.now): MessageSource {
  return {
    subscribe(filter, onMessage) {
      return broker.subscribe(filter, (m) => onMessage(toSourceMessage(m)));
    },
    publish(m) {
      broker.publish({
        topic: m.topic,
        payload: m.payload,
        qos: m.qos,
        retain: m.retain,
        ...(m.userProperties ? { properties: { userProperties: { ...m.userProperties } } } : {}),
      });
    },
    onEvent(listener) {
      const fire = (name: string, fields: Record<string, unknown>): void =>
        listener({ name, fields, timestamp: now() } satisfies SourceEvent);
      const offs = [
        broker.on('client_connected', (c) =>
          fire('client_connected', {
            clientid: c.clientId,
            username: c.username,
            peername: c.remoteAddress,
            proto_ver: c.protocolVersion,
            clean_start: c.cleanStart,
            connected_at: now(),
          }),
        ),
        broker.on('client_disconnected', (d) =>
          fire('client_disconnected', { clientid: d.clientId, reason: d.reason, disconnected_at: now() }),
        ),
        broker.on('session_subscribed', (s) =>
          fire('session_subscribed', { clientid: s.clientId, topic: s.filter, qos: s.qos }),
        ),
        broker.on('session_unsubscribed', (s) =>
          fire('session_unsubscribed', { clientid: s.clientId, topic: s.filter }),
        ),
        broker.on('message_dropped', (d) =>
          fire('message_dropped', { clientid: d.clientId, topic: d.topic, reason: d.reason }),
        ),
      ];
      return () => offs.forEach((off) => off());
    },
  };
}

function toSourceMessage(m: BrokerLikeMessage): SourceMessage {
  const { userProperties, ...properties } = m.properties ?? {};
  return {
    topic: m.topic,
    payload: m.payload,
    qos: m.qos,
    retain: m.retain,
    ...(m.clientId !== undefined ? { clientId: m.clientId } : {}),
    ...(userProperties ? { userProperties } : {}),
    ...(m.properties ? { properties } : {}),
    receivedAt: m.receivedAt,
  };
}
