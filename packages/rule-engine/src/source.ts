/**
 * What the engine needs from a message bus, and nothing more. The server satisfies it with the
 * broker's in-process `subscribe`/`publish`/`on`; the edge runtime with its local bus; tests with
 * {@link ../testing.ts}. The engine never imports the broker (DESIGN: the broker must not depend
 * on the rule engine, and the engine reaches the broker only through this interface).
 */
export interface SourceMessage {
  readonly topic: string;
  /** Raw bytes or text; rule-sql decodes JSON lazily, only when a rule reads `payload.x`. */
  readonly payload: Uint8Array | string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly clientId?: string;
  readonly username?: string;
  readonly peerhost?: string;
  /** MQTT 5 user properties. */
  readonly userProperties?: Readonly<Record<string, string | string[]>>;
  /** Other MQTT 5 publish properties, shown to rules as `pub_props`. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Milliseconds since the epoch at which the bus accepted the message. */
  readonly receivedAt: number;
}

/**
 * A client or session event for `$events/…` sources. `name` is the EMQX event topic suffix
 * (`client_connected`, `client_disconnected`, `session_subscribed`, `message_dropped` …);
 * `fields` are what EMQX documents for that event (`clientid`, `username`, `reason` …).
 */
export interface SourceEvent {
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface OutboundMessage {
  readonly topic: string;
  readonly payload: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly userProperties?: Readonly<Record<string, string>>;
}

export interface MessageSource {
  /**
   * Delivers every message on a topic matching `filter` to `onMessage` (MQTT matching, `$`-topics
   * excluded from leading wildcards). Returns the function that removes the subscription.
   * `onMessage` must not throw; the engine catches everything per rule.
   */
  subscribe(filter: string, onMessage: (m: SourceMessage) => void): () => void;
  /** Client and session events; optional — a source without events simply never fires `$events/…` rules. */
  onEvent?(listener: (e: SourceEvent) => void): () => void;
  /** Publishes a message produced by a rule action (republish). May throw on an invalid topic. */
  publish(m: OutboundMessage): void;
}
