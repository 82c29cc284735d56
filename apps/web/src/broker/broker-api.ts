import { requestJson } from '../alarms/http.js';

/** The shapes of console-api broker/schemas.ts, as the page reads them. */

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

export interface ClientSummary {
  clientId: string;
  username?: string;
  peer?: string;
  listener?: string;
  protocolVersion: 3 | 4 | 5;
  connectedAt?: number;
  subscriptions: number;
  inflight: number;
  queued: number;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

export type ClientSort = 'clientId' | 'connectedAt' | 'bytesIn' | 'bytesOut';

export interface Subscription {
  clientId: string;
  filter: string;
  shareGroup?: string;
  qos: 0 | 1 | 2;
  noLocal: boolean;
  retainAsPublished: boolean;
  online: boolean;
}

export interface RetainedMessage {
  topic: string;
  qos: 0 | 1 | 2;
  size: number;
  preview: string;
  previewEncoding: 'utf8' | 'base64';
  truncated: boolean;
  clientId?: string;
  receivedAt: number;
}

export interface BrokerListener {
  name?: string;
  type: 'tcp' | 'tls' | 'ws' | 'wss';
  host: string;
  port: number;
  connections: number;
}

export interface Ban {
  id: string;
  source: 'operator' | 'config' | 'flapping';
  clientId?: string;
  username?: string;
  peer?: string;
  reason: string;
  createdBy: string;
  createdAt?: number;
  until?: number;
}

export interface NewBan {
  clientId?: string;
  username?: string;
  peer?: string;
  reason?: string;
  durationS?: number;
}

export interface RateSample {
  ts: number;
  clients: number;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
}

export interface BrokerStats {
  current: {
    clients: number;
    subscriptions: number;
    retained: number;
    messagesIn: number;
    messagesOut: number;
    dropped: number;
    bans: number;
    rate?: RateSample;
  };
  history: RateSample[];
}

const base = '/api/v1/broker';
const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const query = (q: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
};

export async function brokerStats(signal?: AbortSignal): Promise<BrokerStats> {
  return (await requestJson<BrokerStats>('GET', `${base}/stats`, sig(signal))).body;
}

/** Connected clients; counters sort largest first (the server's default order for them). */
export async function brokerClients(
  q: string,
  signal?: AbortSignal,
  sort: ClientSort = 'clientId',
): Promise<Page<ClientSummary>> {
  const path = `${base}/clients${query({ q, limit: '200', ...(sort !== 'clientId' && { sort }) })}`;
  return (await requestJson<Page<ClientSummary>>('GET', path, sig(signal))).body;
}

/** Disconnects the client (MQTT 5: DISCONNECT 0x98 Administrative action); its session stays. */
export async function kickClient(clientId: string): Promise<void> {
  await requestJson(
    'DELETE',
    `${base}/clients/${encodeURIComponent(clientId)}${query({ reason: 'kicked from the console' })}`,
  );
}

export async function brokerSubscriptions(filter: string, signal?: AbortSignal): Promise<Page<Subscription>> {
  const path = `${base}/subscriptions${query({ filter, limit: '200' })}`;
  return (await requestJson<Page<Subscription>>('GET', path, sig(signal))).body;
}

export async function brokerRetained(topic: string, signal?: AbortSignal): Promise<Page<RetainedMessage>> {
  const path = `${base}/retained${query({ topic, limit: '200' })}`;
  return (await requestJson<Page<RetainedMessage>>('GET', path, sig(signal))).body;
}

export async function brokerListeners(signal?: AbortSignal): Promise<BrokerListener[]> {
  return (await requestJson<{ items: BrokerListener[] }>('GET', `${base}/listeners`, sig(signal))).body.items;
}

export async function brokerBans(signal?: AbortSignal): Promise<Ban[]> {
  return (await requestJson<{ items: Ban[] }>('GET', `${base}/bans`, sig(signal))).body.items;
}

export async function addBan(ban: NewBan): Promise<{ ban: Ban; kicked: string[] }> {
  return (await requestJson<{ ban: Ban; kicked: string[] }>('POST', `${base}/bans`, { body: ban })).body;
}

export async function removeBan(id: string): Promise<void> {
  await requestJson('DELETE', `${base}/bans/${encodeURIComponent(id)}`);
}
