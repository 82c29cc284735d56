import type Database from 'better-sqlite3';
import type { Outgoing } from '../session.js';
import type { BrokerMessage, QoS } from '../types.js';
import { decodeIds, decodeProperties, orUndefined } from './codec.js';
import type { PersistedSession, PersistedState, PersistedWill } from './types.js';

/**
 * Reads the whole state file into memory at start (inside the caller's transaction). Sessions,
 * queues and inflight windows come back in their original order (rowid order).
 */
export function readState(db: Database.Database): PersistedState {
  // Rows of a client without a session row cannot be reached; they are cleared, not restored.
  for (const table of ['subscriptions', 'queue', 'inflight', 'incoming_qos2']) {
    db.prepare(`DELETE FROM ${table} WHERE client_id NOT IN (SELECT client_id FROM sessions)`).run();
  }
  const sessions = new Map<string, MutableSession>();
  for (const r of db.prepare('SELECT * FROM sessions').all() as SessionRow[]) {
    sessions.set(r.client_id, {
      clientId: r.client_id,
      expiryInterval: r.expiry_interval,
      disconnectedAt: orUndefined(r.disconnected_at),
      subscriptions: [],
      queue: [],
      inflight: [],
      incomingQos2: [],
    });
  }
  for (const r of db.prepare('SELECT * FROM subscriptions').all() as SubscriptionRow[]) {
    sessions.get(r.client_id)?.subscriptions.push({
      raw: r.raw,
      filter: r.filter,
      group: orUndefined(r.share_group),
      qos: r.qos,
      noLocal: r.no_local === 1,
      retainAsPublished: r.retain_as_published === 1,
      subscriptionId: orUndefined(r.subscription_id),
    });
  }
  for (const r of db.prepare('SELECT * FROM queue ORDER BY id').all() as MessageRow[]) {
    sessions.get(r.client_id)?.queue.push(toOutgoing(r, 0, 'publish'));
  }
  for (const r of db.prepare('SELECT * FROM inflight ORDER BY id').all() as InflightRow[]) {
    sessions.get(r.client_id)?.inflight.push(toOutgoing(r, r.packet_id, r.state));
  }
  for (const r of db.prepare('SELECT * FROM incoming_qos2').all() as IncomingRow[]) {
    sessions.get(r.client_id)?.incomingQos2.push(r.packet_id);
  }
  const wills = (db.prepare('SELECT * FROM wills').all() as WillRow[]).map((r): PersistedWill => ({
    clientId: r.client_id,
    publishAt: orUndefined(r.publish_at),
    delaySeconds: r.delay_s,
    message: toMessage(r, r.topic, r.client_id),
  }));
  const retained = (db.prepare('SELECT * FROM retained').all() as RetainedRow[]).map((r) =>
    toMessage({ ...r, retain: 1 }, r.topic, orUndefined(r.client_id)),
  );
  return { sessions: [...sessions.values()], wills, retained };
}

export interface MessageRow {
  client_id: string;
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: number;
  properties: string | null;
  subscription_ids: string | null;
  expires_at: number | null;
}

type MutableSession = {
  -readonly [K in keyof PersistedSession]: PersistedSession[K] extends readonly (infer T)[]
    ? T[]
    : PersistedSession[K];
};

interface SessionRow {
  client_id: string;
  expiry_interval: number;
  disconnected_at: number | null;
}

interface SubscriptionRow {
  client_id: string;
  raw: string;
  filter: string;
  share_group: string | null;
  qos: QoS;
  no_local: number;
  retain_as_published: number;
  subscription_id: number | null;
}

interface InflightRow extends MessageRow {
  packet_id: number;
  state: 'publish' | 'pubrel';
}

interface IncomingRow {
  client_id: string;
  packet_id: number;
}

interface WillRow {
  client_id: string;
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: number;
  properties: string | null;
  received_at: number;
  delay_s: number;
  publish_at: number | null;
}

interface RetainedRow {
  topic: string;
  payload: Buffer;
  qos: QoS;
  client_id: string | null;
  properties: string | null;
  received_at: number;
}

function toOutgoing(r: MessageRow, packetId: number, state: 'publish' | 'pubrel'): Outgoing {
  return {
    topic: r.topic,
    payload: r.payload,
    qos: r.qos,
    retain: r.retain === 1,
    properties: decodeProperties(r.properties),
    subscriptionIds: decodeIds(r.subscription_ids),
    expiresAt: orUndefined(r.expires_at),
    packetId,
    state,
    encoded: undefined,
  };
}

function toMessage(
  r: { payload: Buffer; qos: QoS; retain: number; properties: string | null; received_at: number },
  topic: string,
  clientId: string | undefined,
): BrokerMessage {
  const properties = decodeProperties(r.properties);
  return {
    topic,
    payload: r.payload,
    qos: r.qos,
    retain: r.retain === 1,
    receivedAt: r.received_at,
    ...(clientId !== undefined && { clientId }),
    ...(properties !== undefined && { properties }),
  };
}
