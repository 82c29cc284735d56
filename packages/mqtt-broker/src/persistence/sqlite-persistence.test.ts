import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outgoing, SessionSubscription } from '../session.js';
import type { BrokerMessage } from '../types.js';
import { SCHEMA_VERSION } from './sqlite-schema.js';
import { openSqlitePersistence, type SqlitePersistence } from './sqlite-persistence.js';

let dir: string;
let file: string;
const open: SqlitePersistence[] = [];
function openFile(): SqlitePersistence {
  const p = openSqlitePersistence({ file });
  open.push(p);
  return p;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ws-broker-state-'));
  file = join(dir, 'state', 'mqtt-broker.db');
});
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
  rmSync(dir, { recursive: true, force: true });
});

function out(payload: string, extra: Partial<Outgoing> = {}): Outgoing {
  return {
    topic: 'ws/v1/s1/n1/g/data',
    payload: Buffer.from(payload),
    qos: 1,
    retain: false,
    properties: undefined,
    subscriptionIds: undefined,
    expiresAt: undefined,
    packetId: 0,
    state: 'publish',
    encoded: undefined,
    ...extra,
  };
}

const sub = (raw: string, extra: Partial<SessionSubscription> = {}): SessionSubscription => ({
  raw,
  filter: raw,
  group: undefined,
  qos: 1,
  noLocal: false,
  retainAsPublished: false,
  subscriptionId: undefined,
  ...extra,
});

describe('SQLite broker state', () => {
  it('round-trips every kind of state through a close and reopen', async () => {
    const p = openFile();
    const props = {
      contentType: 'application/json',
      responseTopic: 'reply/here',
      correlationData: Buffer.from([0, 1, 255]),
      userProperties: { site: 'north', tags: ['a', 'b'] },
      payloadFormatIndicator: true,
      messageExpiryInterval: 600,
    };
    p.sessionSaved('meter-7', 3600, 1_000);
    p.subscriptionSaved(
      'meter-7',
      sub('cmd/#', { qos: 2, noLocal: true, retainAsPublished: true, subscriptionId: 9 }),
    );
    p.subscriptionSaved('meter-7', sub('$share/g1/data/+', { filter: 'data/+', group: 'g1' }));
    p.queued('meter-7', out('q1', { properties: props, subscriptionIds: [9, 12], expiresAt: 99_000 }));
    p.queued('meter-7', out('q2', { qos: 2, retain: true }));
    p.inflightSaved('meter-7', out('f1', { packetId: 7 }));
    p.inflightSaved('meter-7', out('f2', { packetId: 3, qos: 2 }));
    p.inflightReleased('meter-7', 3);
    p.incomingSaved('meter-7', 42);
    p.sessionSaved('online-one', 0xffffffff, undefined);
    const will: BrokerMessage = {
      topic: 'status/meter-7',
      payload: Buffer.from('offline'),
      qos: 1,
      retain: true,
      clientId: 'meter-7',
      receivedAt: 1_000,
      properties: { contentType: 'text/plain' },
    };
    p.willSaved({ clientId: 'meter-7', message: will, publishAt: 31_000, delaySeconds: 30 });
    // Armed: its client is connected, the delay counts from whenever the connection ends.
    const armed = { ...will, clientId: 'online-one' };
    p.willSaved({ clientId: 'online-one', message: armed, publishAt: undefined, delaySeconds: 5 });
    const retained: BrokerMessage = {
      topic: 'ws/v1/s1/n1/status',
      payload: Buffer.from('up'),
      qos: 1,
      retain: true,
      clientId: 'n1',
      receivedAt: 5_000,
      properties: props,
    };
    p.retainedSaved(retained);
    await p.close();

    const state = openFile().load();
    expect(state.retained).toEqual([retained]);
    expect(new Map(state.wills.map((w) => [w.clientId, w]))).toEqual(
      new Map([
        ['meter-7', { clientId: 'meter-7', message: will, publishAt: 31_000, delaySeconds: 30 }],
        ['online-one', { clientId: 'online-one', message: armed, publishAt: undefined, delaySeconds: 5 }],
      ]),
    );
    const byId = new Map(state.sessions.map((s) => [s.clientId, s]));
    expect(byId.get('online-one')).toMatchObject({ expiryInterval: 0xffffffff, disconnectedAt: undefined });
    const s = byId.get('meter-7')!;
    expect(s.expiryInterval).toBe(3600);
    expect(s.disconnectedAt).toBe(1_000);
    expect(new Map(s.subscriptions.map((x) => [x.raw, x]))).toEqual(
      new Map([
        ['cmd/#', sub('cmd/#', { qos: 2, noLocal: true, retainAsPublished: true, subscriptionId: 9 })],
        ['$share/g1/data/+', sub('$share/g1/data/+', { filter: 'data/+', group: 'g1' })],
      ]),
    );
    expect(s.queue).toEqual([
      out('q1', { properties: props, subscriptionIds: [9, 12], expiresAt: 99_000 }),
      out('q2', { qos: 2, retain: true }),
    ]);
    // Inflight keeps the order of first sending, not of packet ids [MQTT-4.6.0-1].
    expect(s.inflight).toEqual([
      out('f1', { packetId: 7 }),
      out('f2', { packetId: 3, qos: 2, state: 'pubrel' }),
    ]);
    expect(s.incomingQos2).toEqual([42]);
  });

  it('applies removals: queue head, inflight, incoming, subscriptions, wills, whole sessions', async () => {
    const p = openFile();
    p.sessionSaved('a', 60, 0);
    p.sessionSaved('b', 60, 0);
    for (const c of ['a', 'b']) {
      p.subscriptionSaved(c, sub('x/#'));
      p.subscriptionSaved(c, sub('y'));
      p.queued(c, out('1'));
      p.queued(c, out('2'));
      p.queued(c, out('3'));
      p.inflightSaved(c, out('i', { packetId: 1 }));
      p.incomingSaved(c, 5);
    }
    p.flush();
    p.dequeued('a');
    p.inflightDeleted('a', 1);
    p.incomingDeleted('a', 5);
    p.subscriptionDeleted('a', 'x/#');
    p.sessionDeleted('b');
    p.willSaved({
      clientId: 'a',
      message: { topic: 'w', payload: Buffer.from('w'), qos: 0, retain: false, receivedAt: 0 },
      publishAt: 1,
      delaySeconds: 0,
    });
    p.willDeleted('a');
    await p.close();

    const state = openFile().load();
    expect(state.sessions.map((s) => s.clientId)).toEqual(['a']);
    const a = state.sessions[0]!;
    expect(a.queue.map((m) => m.payload.toString())).toEqual(['2', '3']);
    expect(a.inflight).toEqual([]);
    expect(a.incomingQos2).toEqual([]);
    expect(a.subscriptions.map((x) => x.raw)).toEqual(['y']);
    expect(state.wills).toEqual([]);
  });

  it('keeps only the last change to a retained topic within a batch', () => {
    const p = openFile();
    const m = (payload: string): BrokerMessage => ({
      topic: 't',
      payload: Buffer.from(payload),
      qos: 0,
      retain: true,
      receivedAt: 1,
    });
    p.retainedSaved(m('1'));
    p.retainedSaved(m('2'));
    p.retainedSaved({ ...m('3'), topic: 'gone' });
    p.retainedDeleted('gone');
    p.flush();
    expect(
      openFile()
        .load()
        .retained.map((r) => [r.topic, r.payload.toString()]),
    ).toEqual([['t', '2']]);
  });

  it('runs afterDurable callbacks after the commit, in call order, and at once when nothing is pending', async () => {
    const p = openFile();
    const seen: string[] = [];
    p.afterDurable(() => seen.push('idle'));
    expect(seen).toEqual(['idle']);
    p.sessionSaved('c', 60, undefined);
    expect(p.durable).toBe(false);
    p.afterDurable(() => seen.push('first'));
    p.afterDurable(() => seen.push('second'));
    expect(seen).toEqual(['idle']);
    // The batch commits on its own after this turn of the event loop.
    await new Promise<void>((resolve) => p.afterDurable(resolve));
    expect(seen).toEqual(['idle', 'first', 'second']);
    expect(p.durable).toBe(true);
    // Committed before the callbacks ran: another reader sees the row.
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT client_id FROM sessions').all()).toEqual([{ client_id: 'c' }]);
    } finally {
      reader.close();
    }
  });

  it('refuses a damaged file, naming it', () => {
    const bad = join(dir, 'garbage.db');
    writeFileSync(bad, Buffer.alloc(8192, 0x5a));
    expect(() => openSqlitePersistence({ file: bad })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_STATE_CORRUPT', message: expect.stringContaining(bad) }),
    );
  });

  it('refuses a SQLite file that is not broker state', () => {
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE readings (ts INTEGER, value REAL)');
    db.close();
    expect(() => openSqlitePersistence({ file: other })).toThrow(
      expect.objectContaining({
        code: 'WS_ERR_MQTT_STATE_CORRUPT',
        message: expect.stringMatching(/other\.db.*not an MQTT broker state file/),
      }),
    );
  });

  it('refuses a file written by a newer schema version, and stamps new files with the current one', async () => {
    await openFile().close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqlitePersistence({ file })).toThrow(
      expect.objectContaining({
        code: 'WS_ERR_MQTT_STATE_VERSION',
        message: `MQTT broker state file ${file} has schema version ${SCHEMA_VERSION + 1}; this broker reads versions up to ${SCHEMA_VERSION}`,
      }),
    );
  });

  it('refuses work after close with a catalog error and ignores late journal entries', async () => {
    const p = openFile();
    await p.close();
    p.queued('late', out('x')); // a connection closing during shutdown: nowhere to go, no throw
    expect(() => p.load()).toThrow(expect.objectContaining({ code: 'WS_ERR_MQTT_STATE_CLOSED' }));
  });
});
