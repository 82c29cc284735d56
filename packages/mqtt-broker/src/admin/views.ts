import { TextDecoder } from 'node:util';
import type { Connection } from '../connection.js';
import type { Session, SessionSubscription } from '../session.js';
import type { BrokerMessage } from '../types.js';
import { peerOf } from './ban-registry.js';
import type { ConnectMeta } from './hub.js';
import type {
  ClientDetails,
  ClientQuery,
  ClientSummary,
  Page,
  PageQuery,
  RetainedEntry,
  SubscriptionEntry,
} from './types.js';

/** Bytes of a retained payload shown in a listing. */
export const PREVIEW_BYTES = 256;
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 50;

/** Slices `all` as the query asks (offset ≥ 0, 1 ≤ limit ≤ 1000). */
export function page<T>(all: T[], q: PageQuery): Page<T> {
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT)));
  return { total: all.length, offset, limit, items: all.slice(offset, offset + limit) };
}

export function clientSummary(conn: Connection, meta: ConnectMeta | undefined): ClientSummary {
  const session = conn.session;
  return {
    clientId: conn.clientId,
    username: conn.username,
    peer: peerOf(conn.remoteAddress),
    listener: conn.origin.listener,
    protocolVersion: conn.protocolVersion,
    connectedAt: meta?.connectedAt,
    subscriptions: session?.subscriptions.size ?? 0,
    inflight: session?.inflight ?? 0,
    queued: session?.queued ?? 0,
    bytesIn: conn.traffic.bytesIn,
    bytesOut: conn.traffic.bytesOut,
    packetsIn: conn.traffic.packetsIn,
    packetsOut: conn.traffic.packetsOut,
  };
}

export function clientDetails(conn: Connection, meta: ConnectMeta | undefined): ClientDetails {
  const session = conn.session;
  return {
    ...clientSummary(conn, meta),
    keepalive: meta?.keepalive,
    cleanStart: meta?.cleanStart,
    sessionExpiryInterval: session?.expiryInterval ?? 0,
    pendingReleases: session?.pendingReleases ?? 0,
    hasWill: conn.will !== undefined,
    superuser: conn.info?.authz?.superuser ?? false,
    subscriptionList: session
      ? [...session.subscriptions.values()].map((s) => subscriptionEntry(session, s)).sort(byFilter)
      : [],
  };
}

export function subscriptionEntry(session: Session, sub: SessionSubscription): SubscriptionEntry {
  return {
    clientId: session.clientId,
    filter: sub.raw,
    shareGroup: sub.group,
    qos: sub.qos,
    noLocal: sub.noLocal,
    retainAsPublished: sub.retainAsPublished,
    subscriptionId: sub.subscriptionId,
    online: session.online,
  };
}

export function retainedEntry(m: BrokerMessage): RetainedEntry {
  const head = m.payload.subarray(0, PREVIEW_BYTES);
  let preview: string;
  let previewEncoding: RetainedEntry['previewEncoding'] = 'utf8';
  try {
    // `stream` lets a multi-byte character cut at the preview's end pass as incomplete (left
    // out) rather than invalid; a decoder per call, since one left mid-stream is never flushed.
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    preview = utf8.decode(head, { stream: head.length < m.payload.length });
  } catch {
    preview = head.toString('base64');
    previewEncoding = 'base64';
  }
  return {
    topic: m.topic,
    qos: m.qos,
    size: m.payload.length,
    preview,
    previewEncoding,
    truncated: head.length < m.payload.length,
    clientId: m.clientId,
    contentType: m.properties?.contentType,
    receivedAt: m.receivedAt,
  };
}

/** Orders clients as the query asks: counters largest first unless `order` says otherwise. */
export function clientOrder(q: ClientQuery): (a: ClientSummary, b: ClientSummary) => number {
  const key = q.sort ?? 'clientId';
  const sign = (q.order ?? (key === 'clientId' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
  return (a, b) => {
    const byId = a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0;
    if (key === 'clientId') return sign * byId;
    const d = (a[key] ?? 0) - (b[key] ?? 0);
    return d !== 0 ? sign * d : byId;
  };
}

function byFilter(a: SubscriptionEntry, b: SubscriptionEntry): number {
  return a.filter < b.filter ? -1 : a.filter > b.filter ? 1 : 0;
}
