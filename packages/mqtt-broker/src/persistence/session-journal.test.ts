import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { Session, type DeliveryTarget, type Outgoing, type SessionSubscription } from '../session.js';
import type { BrokerMessage, QoS } from '../types.js';
import type { PersistedWill, StateJournal } from './types.js';

/** Records what a session journals; durability is released by hand with `commit()`. */
class RecordingJournal implements StateJournal {
  readonly log: string[] = [];
  #pending: Array<() => void> = [];
  #dirty = false;

  get durable(): boolean {
    return !this.#dirty;
  }

  afterDurable(fn: () => void): void {
    if (this.durable) fn();
    else this.#pending.push(fn);
  }

  commit(): void {
    this.#dirty = false;
    const pending = this.#pending;
    this.#pending = [];
    for (const fn of pending) fn();
  }

  #record(entry: string): void {
    this.log.push(entry);
    this.#dirty = true;
  }

  sessionSaved(c: string, e: number): void {
    this.#record(`session ${c} ${e}`);
  }
  sessionDeleted(c: string): void {
    this.#record(`session- ${c}`);
  }
  subscriptionSaved(c: string, s: SessionSubscription): void {
    this.#record(`sub ${c} ${s.raw}`);
  }
  subscriptionDeleted(c: string, raw: string): void {
    this.#record(`sub- ${c} ${raw}`);
  }
  queued(_c: string, out: Outgoing): void {
    this.#record(`queue ${out.payload.toString()}`);
  }
  dequeued(): void {
    this.#record('dequeue');
  }
  inflightSaved(_c: string, out: Outgoing): void {
    this.#record(`inflight ${out.payload.toString()}#${out.packetId}`);
  }
  inflightReleased(_c: string, id: number): void {
    this.#record(`released #${id}`);
  }
  inflightDeleted(_c: string, id: number): void {
    this.#record(`inflight- #${id}`);
  }
  incomingSaved(_c: string, id: number): void {
    this.#record(`incoming #${id}`);
  }
  incomingDeleted(_c: string, id: number): void {
    this.#record(`incoming- #${id}`);
  }
  willSaved(w: PersistedWill): void {
    this.#record(`will ${w.clientId}`);
  }
  willDeleted(c: string): void {
    this.#record(`will- ${c}`);
  }
  retainedSaved(m: BrokerMessage): void {
    this.#record(`retained ${m.topic}`);
  }
  retainedDeleted(topic: string): void {
    this.#record(`retained- ${topic}`);
  }
}

class FakeTarget implements DeliveryTarget {
  writable = true;
  inflightLimit = 10;
  readonly writes: string[] = [];

  writePublish(out: Outgoing, dup: boolean): boolean {
    this.writes.push(`${out.payload.toString()}#${out.packetId}${dup ? ' dup' : ''}`);
    return true;
  }

  writePubrel(packetId: number): void {
    this.writes.push(`pubrel#${packetId}`);
  }
}

function msg(payload: string, qos: QoS): Outgoing {
  return {
    topic: 't',
    payload: Buffer.from(payload),
    qos,
    retain: false,
    properties: undefined,
    subscriptionIds: undefined,
    expiresAt: undefined,
    packetId: 0,
    state: 'publish',
    encoded: undefined,
  };
}

function persistentSession(): { session: Session; journal: RecordingJournal } {
  const journal = new RecordingJournal();
  const session = new Session('c1', 3600, {
    clock: new FakeClock(),
    maxQueued: 100,
    queueQos0Offline: false,
    sent: () => undefined,
    dropped: () => undefined,
  });
  session.persistTo(journal);
  return { session, journal };
}

describe('Session journaling', () => {
  it('records queueing, sending and acknowledgement of QoS 1 in the order they happen', () => {
    const { session, journal } = persistentSession();
    session.deliver(msg('a', 1));
    session.deliver(msg('b', 0)); // offline QoS 0: dropped, nothing recorded
    const t = new FakeTarget();
    session.attach(t);
    session.onPuback(1);
    expect(journal.log).toEqual(['queue a', 'dequeue', 'inflight a#1', 'inflight- #1']);
    expect(t.writes).toEqual(['a#1']); // QoS 1 goes out before its record is durable
  });

  it('writes a QoS 2 PUBLISH only once its packet id is durable, and PUBREL state once', () => {
    const { session, journal } = persistentSession();
    const t = new FakeTarget();
    session.attach(t);
    session.deliver(msg('x', 2));
    expect(journal.log).toEqual(['inflight x#1']);
    expect(t.writes).toEqual([]);
    journal.commit();
    expect(t.writes).toEqual(['x#1']);
    expect(session.onPubrec(1, false)).toBe(true);
    expect(session.onPubrec(1, false)).toBe(true); // a resent PUBREC
    session.onPubcomp(1);
    expect(journal.log).toEqual(['inflight x#1', 'released #1', 'inflight- #1']);
  });

  it('leaves a write-ahead QoS 2 message to the next connection when the first one goes', () => {
    const { session, journal } = persistentSession();
    const first = new FakeTarget();
    session.attach(first);
    session.deliver(msg('x', 2));
    session.detach(first);
    journal.commit();
    expect(first.writes).toEqual([]);
    const second = new FakeTarget();
    session.attach(second);
    expect(second.writes).toEqual(['x#1 dup']);
  });

  it('records the QoS 2 packet ids it receives until they are released', () => {
    const { session, journal } = persistentSession();
    expect(session.receiveQos2(9)).toBe(true);
    expect(session.receiveQos2(9)).toBe(false); // the resend is not recorded again
    expect(session.releaseQos2(9)).toBe(true);
    expect(session.releaseQos2(9)).toBe(false);
    expect(journal.log).toEqual(['incoming #9', 'incoming- #9']);
  });

  it('puts back a previous run: inflight resent in order with DUP or as PUBREL, queue after', () => {
    const { session, journal } = persistentSession();
    const pubrel = { ...msg('r', 2), packetId: 7, state: 'pubrel' as const };
    const unacked = { ...msg('u', 1), packetId: 3 };
    session.restore({ queue: [msg('q', 1)], inflight: [pubrel, unacked], incomingQos2: [5] });
    expect(journal.log).toEqual([]); // restoring writes nothing back
    const t = new FakeTarget();
    session.attach(t);
    expect(t.writes).toEqual(['pubrel#7', 'u#3 dup', 'q#4']); // new ids continue after the last one in flight
    expect(session.receiveQos2(5)).toBe(false);
  });

  it('runs acknowledgement callbacks at once without a journal', () => {
    const session = new Session('mem', 0, {
      clock: new FakeClock(),
      maxQueued: 10,
      queueQos0Offline: false,
      sent: () => undefined,
      dropped: () => undefined,
    });
    let ran = false;
    session.afterDurable(() => (ran = true));
    expect(ran).toBe(true);
  });
});
