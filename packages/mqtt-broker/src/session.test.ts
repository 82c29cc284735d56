import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { Session, type DeliveryTarget, type Outgoing } from './session.js';
import type { DropReason, QoS } from './types.js';

/** A connection stand-in: records writes, lets the test decide backpressure and limits. */
class FakeTarget implements DeliveryTarget {
  writable = true;
  inflightLimit = 2;
  maxBytes = Number.POSITIVE_INFINITY;
  readonly writes: string[] = [];

  writePublish(out: Outgoing, dup: boolean): boolean {
    if (out.payload.length > this.maxBytes) return false;
    this.writes.push(`${out.payload.toString()}${out.qos > 0 ? `#${out.packetId}` : ''}${dup ? ' dup' : ''}`);
    return true;
  }

  writePubrel(packetId: number): void {
    this.writes.push(`pubrel#${packetId}`);
  }
}

function setup(maxQueued = 3) {
  const clock = new FakeClock();
  const drops: DropReason[] = [];
  let sent = 0;
  const session = new Session('c1', 0, {
    clock,
    maxQueued,
    queueQos0Offline: false,
    sent: () => sent++,
    dropped: (_id, _out, reason) => drops.push(reason),
  });
  return { clock, drops, session, sent: () => sent };
}

function msg(payload: string, qos: QoS, expiresAt?: number): Outgoing {
  return {
    topic: 't',
    payload: Buffer.from(payload),
    qos,
    retain: false,
    properties: undefined,
    subscriptionIds: undefined,
    expiresAt,
    packetId: 0,
    state: 'publish',
    encoded: undefined,
  };
}

describe('Session', () => {
  it('sends at once while writable, queues under backpressure and drains in order', () => {
    const { session, sent } = setup();
    const t = new FakeTarget();
    session.attach(t);
    session.deliver(msg('a', 0));
    t.writable = false;
    session.deliver(msg('b', 1));
    session.deliver(msg('c', 0));
    expect(t.writes).toEqual(['a']);
    expect(session.queued).toBe(2);
    t.writable = true;
    session.pump();
    expect(t.writes).toEqual(['a', 'b#1', 'c']);
    expect(sent()).toBe(3);
  });

  it('holds QoS 1/2 messages beyond the inflight window and releases them on acks', () => {
    const { session } = setup(10);
    const t = new FakeTarget();
    session.attach(t);
    for (const p of ['1', '2', '3', '4']) session.deliver(msg(p, 1));
    expect(t.writes).toEqual(['1#1', '2#2']);
    session.onPuback(1);
    expect(t.writes.at(-1)).toBe('3#3');
    session.onPuback(99); // unknown ids are ignored
    expect(session.inflight).toBe(2);
  });

  it('runs the QoS 2 sender states: PUBREC → PUBREL, PUBCOMP frees the slot', () => {
    const { session } = setup();
    const t = new FakeTarget();
    t.inflightLimit = 1;
    session.attach(t);
    session.deliver(msg('x', 2));
    session.deliver(msg('y', 2));
    expect(session.onPubrec(1, false)).toBe(true);
    session.onPuback(1); // wrong ack type for QoS 2: ignored
    expect(session.inflight).toBe(1);
    session.onPubcomp(1);
    expect(t.writes).toEqual(['x#1', 'y#2']);
  });

  it('drops new messages when the queue is full and counts the reason', () => {
    const { session, drops } = setup(2);
    const t = new FakeTarget();
    t.writable = false;
    session.attach(t);
    for (const p of ['a', 'b', 'c']) session.deliver(msg(p, 1));
    expect(session.queued).toBe(2);
    expect(drops).toEqual(['queue_full']);
  });

  it('discards QoS 0 for an offline session but keeps QoS 1, and resends inflight with DUP on attach', () => {
    const { session } = setup();
    const first = new FakeTarget();
    session.attach(first);
    session.deliver(msg('in-flight', 1));
    session.onPubrec(1, false); // not QoS 2: ignored
    session.detach(first);
    session.deliver(msg('q0', 0));
    session.deliver(msg('q1', 1));
    const second = new FakeTarget();
    session.attach(second);
    expect(second.writes).toEqual(['in-flight#1 dup', 'q1#2']);
  });

  it('drops expired messages and messages too large for the client', () => {
    const { session, drops, clock } = setup();
    const t = new FakeTarget();
    t.maxBytes = 3;
    session.attach(t);
    session.deliver(msg('old', 1, clock.now() - 1));
    session.deliver(msg('too-big', 1));
    session.deliver(msg('ok', 1, clock.now() + 1000));
    expect(drops).toEqual(['expired', 'too_large']);
    expect(t.writes).toEqual([expect.stringMatching(/^ok#\d+$/)]);
    expect(session.inflight).toBe(1);
  });

  it('never reuses a packet id still in flight [MQTT-2.2.1-3]', () => {
    const { session } = setup(100_000);
    const t = new FakeTarget();
    t.inflightLimit = 70_000;
    session.attach(t);
    session.deliver(msg('held', 1)); // id 1 stays unacknowledged
    for (let i = 0; i < 65_534; i++) {
      session.deliver(msg('x', 1));
      session.onPuback(i + 2);
    }
    session.deliver(msg('wrapped', 1));
    expect(t.writes.at(-1)).toBe('wrapped#2');
  });

  it('remembers incoming QoS 2 ids until PUBREL', () => {
    const { session } = setup();
    expect(session.receiveQos2(7)).toBe(true);
    expect(session.receiveQos2(7)).toBe(false);
    expect(session.pendingReleases).toBe(1);
    expect(session.releaseQos2(7)).toBe(true);
    expect(session.releaseQos2(7)).toBe(false);
  });
});
