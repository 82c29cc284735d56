/** What the operator's interface (BrokerAdmin) returns: plain data, safe to serialise as JSON. */

/** One page of a listing; `total` counts every match, `items` the ones from `offset`. */
export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: T[];
}

export interface PageQuery {
  /** Default 0. */
  offset?: number;
  /** Default 50, at most 1000. */
  limit?: number;
}

export interface ClientQuery extends PageQuery {
  /** Case-insensitive substring of the client id, username or peer address. */
  q?: string;
  /** Only clients that came in on this listener. */
  listener?: string;
  /** Sort key; default clientId. Ties are broken by client id. */
  sort?: ClientSortKey;
  /** Default ascending for clientId, descending (largest first) for the counters. */
  order?: 'asc' | 'desc';
}

export type ClientSortKey = 'clientId' | 'connectedAt' | 'bytesIn' | 'bytesOut' | 'packetsIn' | 'packetsOut';

/** MQTT protocol level as the CONNECT carried it: 3 = 3.1, 4 = 3.1.1, 5 = 5.0. */
export type ProtocolLevel = 3 | 4 | 5;

export interface ClientSummary {
  readonly clientId: string;
  readonly username: string | undefined;
  /** Remote address as the socket reported it (`::ffff:` prefix removed). */
  readonly peer: string | undefined;
  readonly listener: string | undefined;
  readonly protocolVersion: ProtocolLevel;
  /** Clock time (ms) of the accepted CONNECT. */
  readonly connectedAt: number | undefined;
  readonly subscriptions: number;
  readonly inflight: number;
  readonly queued: number;
  /** MQTT bytes and packets this connection received and sent (TLS/WebSocket framing not counted). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
}

export interface SubscriptionEntry {
  readonly clientId: string;
  /** The filter as the client sent it, `$share/{group}/` prefix included. */
  readonly filter: string;
  readonly shareGroup: string | undefined;
  readonly qos: 0 | 1 | 2;
  readonly noLocal: boolean;
  readonly retainAsPublished: boolean;
  readonly subscriptionId: number | undefined;
  /** False for a persistent session whose client is away. */
  readonly online: boolean;
}

export interface ClientDetails extends ClientSummary {
  /** Seconds; 0 = no keepalive. The broker closes after 1.5× of silence. */
  readonly keepalive: number | undefined;
  readonly cleanStart: boolean | undefined;
  /** Seconds the session outlives the connection; 4294967295 = never expires. */
  readonly sessionExpiryInterval: number;
  /** QoS 2 messages received from the client and not yet released by PUBREL. */
  readonly pendingReleases: number;
  readonly hasWill: boolean;
  readonly superuser: boolean;
  readonly subscriptionList: SubscriptionEntry[];
}

export interface SubscriptionQuery extends PageQuery {
  /** Case-insensitive substring of the filter. */
  filter?: string;
  clientId?: string;
}

export interface RetainedQuery extends PageQuery {
  /** An MQTT topic filter (wildcards allowed); default `#` (which, per [MQTT-4.7.2-1], leaves out `$` topics). */
  topic?: string;
}

export interface RetainedEntry {
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  /** Payload size in bytes. */
  readonly size: number;
  /** The first bytes of the payload, as text when they are UTF-8, else base64. */
  readonly preview: string;
  readonly previewEncoding: 'utf8' | 'base64';
  readonly truncated: boolean;
  readonly clientId: string | undefined;
  readonly contentType: string | undefined;
  readonly receivedAt: number;
}

export interface ListenerEntry {
  readonly name: string | undefined;
  readonly type: 'tcp' | 'tls' | 'ws' | 'wss';
  readonly host: string;
  readonly port: number;
  /** Clients past CONNECT that came in on it. Unnamed listeners share one count. */
  readonly connections: number;
}

/** Where a ban comes from: the operator (editable), the config file or flapping detection (read-only). */
export type BanSource = 'operator' | 'config' | 'flapping';

export interface BanEntry {
  readonly id: string;
  readonly source: BanSource;
  readonly clientId?: string;
  readonly username?: string;
  /** An address or CIDR block (`203.0.113.0/24`, `fd00::/8`). */
  readonly peer?: string;
  readonly reason: string;
  /** Who made it: a console user, 'config', 'flapping'. */
  readonly createdBy: string;
  readonly createdAt: number | undefined;
  /** Clock time (ms) it ends; absent = permanent. */
  readonly until?: number;
}

export interface NewBan {
  clientId?: string;
  username?: string;
  peer?: string;
  reason?: string;
  createdBy?: string;
  /** Clock time (ms) it ends; absent = permanent. */
  until?: number;
}

/** One second of broker activity, for charts. Rates are per second over the sample's second. */
export interface RateSample {
  readonly ts: number;
  readonly clients: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly dropped: number;
}

export interface StatsSnapshot {
  readonly clients: number;
  readonly subscriptions: number;
  readonly retained: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly dropped: number;
  /** Since start, every connection's (see ClientSummary). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly bans: number;
  /** The latest second's rates (zeros until the first sample). */
  readonly rate: RateSample | undefined;
}
