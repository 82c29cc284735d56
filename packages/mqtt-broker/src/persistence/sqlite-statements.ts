import type Database from 'better-sqlite3';
import type { Outgoing } from '../session.js';
import { encodeIds, encodeProperties, orNull } from './codec.js';

type Stmt<P extends unknown[]> = Database.Statement<P>;
type MessageRowTail = [string, Buffer, number, number, string | null, string | null, number | null];

/** Every write the journal makes, prepared once; parameters in column order. */
export interface Statements {
  upsertSession: Stmt<[string, number, number | null]>;
  deleteSession: Stmt<[string]>[];
  upsertSub: Stmt<[string, string, string, string | null, number, number, number, number | null]>;
  deleteSub: Stmt<[string, string]>;
  enqueue: Stmt<[string, ...MessageRowTail]>;
  dequeue: Stmt<[string]>;
  insertInflight: Stmt<[string, number, ...MessageRowTail]>;
  releaseInflight: Stmt<[string, number]>;
  deleteInflight: Stmt<[string, number]>;
  insertIncoming: Stmt<[string, number]>;
  deleteIncoming: Stmt<[string, number]>;
  upsertWill: Stmt<[string, string, Buffer, number, number, string | null, number, number, number | null]>;
  deleteWill: Stmt<[string]>;
  upsertRetained: Stmt<[string, Buffer, number, string | null, string | null, number]>;
  deleteRetained: Stmt<[string]>;
}

/** The message columns shared by queue and inflight rows, after topic/payload/qos/retain. */
export function messageColumns(o: Outgoing): [string | null, string | null, number | null] {
  return [encodeProperties(o.properties), encodeIds(o.subscriptionIds), orNull(o.expiresAt)];
}

export function prepare(db: Database.Database): Statements {
  const messageCols = 'topic, payload, qos, retain, properties, subscription_ids, expires_at';
  return {
    upsertSession: db.prepare<[string, number, number | null]>(
      `INSERT INTO sessions (client_id, expiry_interval, disconnected_at) VALUES (?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET expiry_interval = excluded.expiry_interval,
         disconnected_at = excluded.disconnected_at`,
    ),
    deleteSession: ['sessions', 'subscriptions', 'queue', 'inflight', 'incoming_qos2'].map((t) =>
      db.prepare<[string]>(`DELETE FROM ${t} WHERE client_id = ?`),
    ),
    upsertSub: db.prepare<[string, string, string, string | null, number, number, number, number | null]>(
      `INSERT OR REPLACE INTO subscriptions
         (client_id, raw, filter, share_group, qos, no_local, retain_as_published, subscription_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteSub: db.prepare<[string, string]>('DELETE FROM subscriptions WHERE client_id = ? AND raw = ?'),
    enqueue: db.prepare<
      [string, string, Buffer, number, number, string | null, string | null, number | null]
    >(`INSERT INTO queue (client_id, ${messageCols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    // The head of a client's queue is its lowest id (queue_by_client makes this one seek).
    dequeue: db.prepare<[string]>(
      'DELETE FROM queue WHERE id = (SELECT id FROM queue WHERE client_id = ? ORDER BY id LIMIT 1)',
    ),
    // REPLACE: a packet id reused after its previous message completed gets a new, later row.
    insertInflight: db.prepare<
      [string, number, string, Buffer, number, number, string | null, string | null, number | null]
    >(
      `INSERT OR REPLACE INTO inflight (client_id, packet_id, state, ${messageCols})
       VALUES (?, ?, 'publish', ?, ?, ?, ?, ?, ?, ?)`,
    ),
    releaseInflight: db.prepare<[string, number]>(
      "UPDATE inflight SET state = 'pubrel' WHERE client_id = ? AND packet_id = ?",
    ),
    deleteInflight: db.prepare<[string, number]>(
      'DELETE FROM inflight WHERE client_id = ? AND packet_id = ?',
    ),
    insertIncoming: db.prepare<[string, number]>(
      'INSERT OR IGNORE INTO incoming_qos2 (client_id, packet_id) VALUES (?, ?)',
    ),
    deleteIncoming: db.prepare<[string, number]>(
      'DELETE FROM incoming_qos2 WHERE client_id = ? AND packet_id = ?',
    ),
    upsertWill: db.prepare<
      [string, string, Buffer, number, number, string | null, number, number, number | null]
    >(
      `INSERT OR REPLACE INTO wills
         (client_id, topic, payload, qos, retain, properties, received_at, delay_s, publish_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteWill: db.prepare<[string]>('DELETE FROM wills WHERE client_id = ?'),
    upsertRetained: db.prepare<[string, Buffer, number, string | null, string | null, number]>(
      `INSERT OR REPLACE INTO retained (topic, payload, qos, client_id, properties, received_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deleteRetained: db.prepare<[string]>('DELETE FROM retained WHERE topic = ?'),
  };
}
