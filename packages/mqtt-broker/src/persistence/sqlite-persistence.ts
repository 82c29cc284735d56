import { silentLogger, type Logger } from '@watershed/common';
import type Database from 'better-sqlite3';
import type { Outgoing, SessionSubscription } from '../session.js';
import type { BrokerMessage } from '../types.js';
import { encodeProperties, orNull } from './codec.js';
import { PersistenceErrors } from './errors.js';
import { readState } from './sqlite-load.js';
import { openStateFile, type SyncMode } from './sqlite-schema.js';
import { messageColumns, prepare, type Statements } from './sqlite-statements.js';
import type { BrokerPersistence, PersistedState, PersistedWill } from './types.js';
import { WriteBehind } from './write-behind.js';

export interface SqlitePersistenceOptions {
  /** The state file; created with its directory when absent. ':memory:' for tests. */
  file: string;
  /** See SyncMode. Default 'normal': crash-safe, not power-cut-safe. */
  syncMode?: SyncMode;
  logger?: Logger;
}

/** One recorded change, applied in order inside a batch's transaction. */
type Op =
  | { readonly k: 'session'; readonly c: string; readonly expiry: number; readonly at: number | null }
  | { readonly k: 'session-'; readonly c: string }
  | { readonly k: 'sub'; readonly c: string; readonly sub: SessionSubscription }
  | { readonly k: 'sub-'; readonly c: string; readonly raw: string }
  | { readonly k: 'queue'; readonly c: string; readonly out: Outgoing }
  | { readonly k: 'dequeue'; readonly c: string }
  | { readonly k: 'inflight'; readonly c: string; readonly id: number; readonly out: Outgoing }
  | { readonly k: 'release'; readonly c: string; readonly id: number }
  | { readonly k: 'inflight-'; readonly c: string; readonly id: number }
  | { readonly k: 'incoming'; readonly c: string; readonly id: number }
  | { readonly k: 'incoming-'; readonly c: string; readonly id: number }
  | { readonly k: 'will'; readonly will: PersistedWill }
  | { readonly k: 'will-'; readonly c: string };

/**
 * Broker state in one SQLite file (better-sqlite3): sessions, subscriptions, queues, inflight
 * windows, QoS 2 receiver state, delayed wills and retained messages. Changes go through a
 * write-behind journal (see WriteBehind) and are committed one transaction per event-loop turn.
 * A persistent subscriber's copy of a message is stored per subscriber (payload included), the
 * simple layout that makes every session's rows independent.
 */
export class SqlitePersistence implements BrokerPersistence {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #st: Statements;
  readonly #journal: WriteBehind<Op, BrokerMessage | null>;
  readonly #logger: Logger;
  #failedBatches = 0;
  #closed = false;

  private constructor(file: string, db: Database.Database, logger: Logger) {
    this.location = file;
    this.#db = db;
    this.#logger = logger;
    this.#st = prepare(db);
    const commit = db.transaction((ops: readonly Op[], keyed: ReadonlyMap<string, BrokerMessage | null>) => {
      for (const op of ops) this.#apply(op);
      for (const [topic, m] of keyed) this.#applyRetained(topic, m);
    });
    this.#journal = new WriteBehind({
      commit: (ops, keyed) => commit(ops, keyed),
      failed: (err, changes) => {
        this.#failedBatches++;
        this.#logger.error(
          { err: PersistenceErrors.WRITE_FAILED.create([file, (err as Error).message], { changes }, err) },
          'MQTT broker state not saved',
        );
      },
      logger,
    });
  }

  /** Opens the state file; throws WS_ERR_MQTT_STATE_OPEN / _CORRUPT / _VERSION naming it. */
  static open(opts: SqlitePersistenceOptions): SqlitePersistence {
    const db = openStateFile(opts.file, opts.syncMode ?? 'normal');
    return new SqlitePersistence(opts.file, db, opts.logger ?? silentLogger());
  }

  /** Batches that could not be written since the file was opened. */
  get failedBatches(): number {
    return this.#failedBatches;
  }

  get durable(): boolean {
    return this.#journal.durable;
  }

  afterDurable(fn: () => void): void {
    this.#journal.afterDurable(fn);
  }

  flush(): void {
    this.#assertOpen();
    this.#journal.flush();
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#journal.close();
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }

  load(): PersistedState {
    this.#assertOpen();
    return this.#db.transaction(() => readState(this.#db))();
  }

  // ── StateJournal ────────────────────────────────────────────────────────────────────────

  sessionSaved(clientId: string, expiryInterval: number, disconnectedAt: number | undefined): void {
    this.#push({ k: 'session', c: clientId, expiry: expiryInterval, at: orNull(disconnectedAt) });
  }

  sessionDeleted(clientId: string): void {
    this.#push({ k: 'session-', c: clientId });
  }

  subscriptionSaved(clientId: string, sub: SessionSubscription): void {
    this.#push({ k: 'sub', c: clientId, sub });
  }

  subscriptionDeleted(clientId: string, raw: string): void {
    this.#push({ k: 'sub-', c: clientId, raw });
  }

  queued(clientId: string, out: Outgoing): void {
    this.#push({ k: 'queue', c: clientId, out });
  }

  dequeued(clientId: string): void {
    this.#push({ k: 'dequeue', c: clientId });
  }

  inflightSaved(clientId: string, out: Outgoing): void {
    // The packet id is taken now: the Outgoing is mutable and the row is written later.
    this.#push({ k: 'inflight', c: clientId, id: out.packetId, out });
  }

  inflightReleased(clientId: string, packetId: number): void {
    this.#push({ k: 'release', c: clientId, id: packetId });
  }

  inflightDeleted(clientId: string, packetId: number): void {
    this.#push({ k: 'inflight-', c: clientId, id: packetId });
  }

  incomingSaved(clientId: string, packetId: number): void {
    this.#push({ k: 'incoming', c: clientId, id: packetId });
  }

  incomingDeleted(clientId: string, packetId: number): void {
    this.#push({ k: 'incoming-', c: clientId, id: packetId });
  }

  willSaved(will: PersistedWill): void {
    this.#push({ k: 'will', will });
  }

  willDeleted(clientId: string): void {
    this.#push({ k: 'will-', c: clientId });
  }

  retainedSaved(message: BrokerMessage): void {
    if (this.#closed) return;
    this.#journal.set(message.topic, message);
  }

  retainedDeleted(topic: string): void {
    if (this.#closed) return;
    this.#journal.set(topic, null);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  #push(op: Op): void {
    // After close (broker shut down) late changes have nowhere to go; they are not errors.
    if (!this.#closed) this.#journal.push(op);
  }

  #assertOpen(): void {
    if (this.#closed) throw PersistenceErrors.CLOSED.create([this.location]);
  }

  #apply(op: Op): void {
    const st = this.#st;
    switch (op.k) {
      case 'session':
        st.upsertSession.run(op.c, op.expiry, op.at);
        return;
      case 'session-':
        for (const del of st.deleteSession) del.run(op.c);
        return;
      case 'sub': {
        const s = op.sub;
        st.upsertSub.run(
          op.c,
          s.raw,
          s.filter,
          orNull(s.group),
          s.qos,
          s.noLocal ? 1 : 0,
          s.retainAsPublished ? 1 : 0,
          orNull(s.subscriptionId),
        );
        return;
      }
      case 'sub-':
        st.deleteSub.run(op.c, op.raw);
        return;
      case 'queue': {
        const o = op.out;
        st.enqueue.run(op.c, o.topic, o.payload, o.qos, o.retain ? 1 : 0, ...messageColumns(o));
        return;
      }
      case 'dequeue':
        st.dequeue.run(op.c);
        return;
      case 'inflight': {
        const o = op.out;
        st.insertInflight.run(op.c, op.id, o.topic, o.payload, o.qos, o.retain ? 1 : 0, ...messageColumns(o));
        return;
      }
      case 'release':
        st.releaseInflight.run(op.c, op.id);
        return;
      case 'inflight-':
        st.deleteInflight.run(op.c, op.id);
        return;
      case 'incoming':
        st.insertIncoming.run(op.c, op.id);
        return;
      case 'incoming-':
        st.deleteIncoming.run(op.c, op.id);
        return;
      case 'will': {
        const { clientId, message: m, publishAt, delaySeconds } = op.will;
        st.upsertWill.run(
          clientId,
          m.topic,
          m.payload,
          m.qos,
          m.retain ? 1 : 0,
          encodeProperties(m.properties),
          m.receivedAt,
          delaySeconds,
          orNull(publishAt),
        );
        return;
      }
      case 'will-':
        st.deleteWill.run(op.c);
        return;
    }
  }

  #applyRetained(topic: string, m: BrokerMessage | null): void {
    if (m === null) {
      this.#st.deleteRetained.run(topic);
      return;
    }
    this.#st.upsertRetained.run(
      topic,
      m.payload,
      m.qos,
      orNull(m.clientId),
      encodeProperties(m.properties),
      m.receivedAt,
    );
  }
}

/** Opens the embedded SQLite state file; see SqlitePersistence. */
export function openSqlitePersistence(opts: SqlitePersistenceOptions): SqlitePersistence {
  return SqlitePersistence.open(opts);
}
