import { FakeClock } from '@watershed/common/testing';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from '../test-harness.js';
import type { BrokerOptions } from '../types.js';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadBrokerConfig } from '../config/load.js';
import { startBroker } from '../configured-broker.js';
import { openSqlitePersistence } from './sqlite-persistence.js';

/** Broker restarts in one process (graceful close, reopen the file); SIGKILL is in sigkill.test.ts. */
let dir: string;
let h: Harness | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ws-broker-durable-'));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(opts: BrokerOptions = {}): Promise<Harness> {
  await h?.close();
  const persistence = openSqlitePersistence({ file: join(dir, 'mqtt-broker.db') });
  const options: BrokerOptions & { persistence: typeof persistence } = { ...opts, persistence };
  h = await startHarness(options);
  return h;
}

const v5 = { protocolVersion: 5 as const, clean: false, properties: { sessionExpiryInterval: 3600 } };

describe('broker state across a restart', () => {
  it('keeps subscriptions, queued QoS 1/2 messages with their properties, and retained messages', async () => {
    let b = await start();
    const sub = await b.connect({ ...v5, clientId: 'sub' });
    await sub.subscribeAsync('m/#', { qos: 2, properties: { subscriptionIdentifier: 5 } });
    await sub.endAsync();
    await until(() => b.broker.stats().clients === 0, 'disconnect');
    const pub = await b.connect({ protocolVersion: 5, clientId: 'pub' });
    await pub.publishAsync('m/1', 'one', { qos: 1, properties: { userProperties: { k: 'v' } } });
    await pub.publishAsync('m/2', 'two', { qos: 2, properties: { correlationData: Buffer.from('c') } });
    await pub.publishAsync('r/status', 'up', {
      qos: 1,
      retain: true,
      properties: { contentType: 'text/plain' },
    });

    b = await start();
    expect(b.broker.stats()).toMatchObject({ retained: 1, subscriptions: 1 });
    const { inbox } = await b.connectWithInbox({ ...v5, clientId: 'sub' });
    const one = await inbox.next();
    const two = await inbox.next();
    expect([one.payload.toString(), one.packet.qos, one.packet.properties]).toEqual([
      'one',
      1,
      { userProperties: { k: 'v' }, subscriptionIdentifier: 5 },
    ]);
    expect([two.payload.toString(), two.packet.qos, two.packet.properties?.correlationData]).toEqual([
      'two',
      2,
      Buffer.from('c'),
    ]);
    const fresh = await b.connectWithInbox({ protocolVersion: 5, clientId: 'fresh' });
    await fresh.client.subscribeAsync('r/#');
    const r = await fresh.inbox.next();
    expect([r.topic, r.payload.toString(), r.packet.retain, r.packet.properties?.contentType]).toEqual([
      'r/status',
      'up',
      true,
      'text/plain',
    ]);
  });

  it('routes a QoS 2 PUBLISH resent after the restart once [MQTT-4.3.3]', async () => {
    let b = await start();
    const watcher = await b.connect({ ...v5, clientId: 'watcher' });
    await watcher.subscribeAsync('once', { qos: 2 });
    await watcher.endAsync();
    const raw = await b.raw();
    await raw.connect('q2-pub', v5);
    const publish = {
      cmd: 'publish',
      topic: 'once',
      payload: Buffer.from('x'),
      qos: 2,
      retain: false,
      messageId: 42,
    } as const;
    raw.send({ ...publish, dup: false });
    expect(await raw.next('PUBREC')).toMatchObject({ cmd: 'pubrec', messageId: 42 });

    b = await start();
    const back = await b.raw();
    await back.connect('q2-pub', v5);
    back.send({ ...publish, dup: true });
    expect(await back.next('PUBREC')).toMatchObject({ cmd: 'pubrec', messageId: 42 });
    back.send({ cmd: 'pubrel', messageId: 42 });
    expect(await back.next('PUBCOMP')).toMatchObject({ cmd: 'pubcomp', messageId: 42, reasonCode: 0 });
    const { inbox } = await b.connectWithInbox({ ...v5, clientId: 'watcher' });
    expect((await inbox.next()).payload.toString()).toBe('x');
    // The resend was not routed a second time.
    expect(inbox.unread).toBe(0);
    expect(b.broker.stats().messagesIn).toBe(0);
  });

  it('publishes a delayed will that fell due while the broker was down, and expires sessions on time', async () => {
    const clock = new FakeClock();
    let b = await start({ clock });
    const watcher = await b.connect({ ...v5, clientId: 'watcher' });
    await watcher.subscribeAsync('status/#', { qos: 1 });
    await watcher.endAsync();
    const shortLived = {
      protocolVersion: 5 as const,
      clean: false,
      properties: { sessionExpiryInterval: 30 },
    };
    const brief = await b.connect({ ...shortLived, clientId: 'brief' });
    await brief.endAsync();
    const raw = await b.raw();
    await raw.connect('dying', {
      ...v5,
      will: {
        topic: 'status/dying',
        payload: Buffer.from('gone'),
        qos: 1,
        retain: false,
        properties: { willDelayInterval: 10 },
      },
    });
    raw.destroy();
    await until(() => b.broker.stats().clients === 0, 'disconnects');
    await b.close();
    h = undefined;

    // Down for a minute: past the will delay (10 s) and the short session's expiry (30 s).
    await clock.advance(60_000);
    b = await start({ clock });
    const { inbox } = await b.connectWithInbox({ ...v5, clientId: 'watcher' });
    expect((await inbox.next()).payload.toString()).toBe('gone');
    const again = await b.raw();
    expect(await again.connect('brief', shortLived)).toMatchObject({ sessionPresent: false });
    const kept = await b.raw();
    expect(await kept.connect('dying', v5)).toMatchObject({ sessionPresent: true });
  });

  it('forgets what the client dropped: clean start, unsubscribe, expiry set to 0 on DISCONNECT', async () => {
    let b = await start();
    const keep = await b.connect({ ...v5, clientId: 'keep' });
    await keep.subscribeAsync(['a', 'b'], { qos: 1 });
    await keep.unsubscribeAsync('a');
    await keep.endAsync();
    const wiped = await b.connect({ ...v5, clientId: 'wiped' });
    await wiped.subscribeAsync('w', { qos: 1 });
    await wiped.endAsync();
    const again = await b.raw();
    await again.connect('wiped', { protocolVersion: 5, clean: true });
    again.destroy();
    const ending = await b.raw();
    await ending.connect('ending', v5);
    ending.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'e', qos: 1 }] });
    await ending.next('SUBACK');
    // MQTT 5 DISCONNECT may lower the Session Expiry Interval (§3.14.2.2.2); 0 ends the session now.
    ending.send({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    await ending.waitClosed();
    await until(() => b.broker.stats().clients === 0, 'disconnects');

    b = await start();
    expect(b.broker.stats().subscriptions).toBe(1);
    for (const [clientId, present] of [
      ['keep', true],
      ['wiped', false],
      ['ending', false],
    ] as const) {
      const r = await b.raw();
      expect(await r.connect(clientId, v5)).toMatchObject({ sessionPresent: present });
    }
  });

  it('refuses to start on a damaged state file before binding any port, naming the file', async () => {
    const file = join(dir, 'damaged.db');
    writeFileSync(file, Buffer.alloc(4096, 0x42));
    // A port known to be free just now: if the broker bound it, listening on it again would fail.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const config = loadBrokerConfig({
      value: {
        listeners: [{ type: 'tcp', host: '127.0.0.1', port, auth: { allowAnonymous: true } }],
        persistence: { enabled: true, file },
      },
    });
    await expect(startBroker(config)).rejects.toMatchObject({
      code: 'WS_ERR_MQTT_STATE_CORRUPT',
      message: expect.stringContaining(file),
    });
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('has committed what an acknowledgement promises by the time the client reads it', async () => {
    const b = await start();
    // A second reader of the file sees only committed transactions (WAL).
    const reader = new Database(join(dir, 'mqtt-broker.db'), { readonly: true });
    try {
      const count = (sql: string): number => (reader.prepare(sql).get() as { n: number }).n;
      const sub = await b.connect({ ...v5, clientId: 'sub' });
      expect(count("SELECT count(*) AS n FROM sessions WHERE client_id = 'sub'")).toBe(1); // CONNACK
      await sub.subscribeAsync('m/#', { qos: 1 });
      expect(count("SELECT count(*) AS n FROM subscriptions WHERE client_id = 'sub'")).toBe(1); // SUBACK
      await sub.endAsync();
      const pub = await b.connect({ protocolVersion: 5, clientId: 'pub' });
      await pub.publishAsync('m/1', 'x', { qos: 1 });
      expect(count("SELECT count(*) AS n FROM queue WHERE client_id = 'sub'")).toBe(1); // PUBACK
      await pub.publishAsync('m/2', 'y', { qos: 2 });
      expect(count("SELECT count(*) AS n FROM queue WHERE client_id = 'sub'")).toBe(2); // PUBREC
      await pub.publishAsync('r', 'z', { qos: 1, retain: true });
      expect(count("SELECT count(*) AS n FROM retained WHERE topic = 'r'")).toBe(1); // PUBACK
      const back = await b.connect({ ...v5, clientId: 'sub' });
      await back.unsubscribeAsync('m/#');
      expect(count("SELECT count(*) AS n FROM subscriptions WHERE client_id = 'sub'")).toBe(0); // UNSUBACK
    } finally {
      reader.close();
    }
  });

  it('counts an armed will delay from the restart and records its deadline', async () => {
    const clock = new FakeClock();
    const file = join(dir, 'mqtt-broker.db');
    // The state a crash leaves: a watcher's session, and a client connected with a 10 s will delay.
    const before = openSqlitePersistence({ file });
    before.sessionSaved('watcher', 3600, clock.now());
    before.subscriptionSaved('watcher', {
      raw: 'status/#',
      filter: 'status/#',
      group: undefined,
      qos: 1,
      noLocal: false,
      retainAsPublished: false,
      subscriptionId: undefined,
    });
    before.sessionSaved('gateway', 3600, undefined);
    before.willSaved({
      clientId: 'gateway',
      message: {
        topic: 'status/gateway',
        payload: Buffer.from('lost'),
        qos: 1,
        retain: false,
        receivedAt: 0,
      },
      publishAt: undefined,
      delaySeconds: 10,
    });
    await before.close();

    await clock.advance(1_000_000);
    const restartAt = clock.now();
    const b = await start({ clock });
    const reader = new Database(file, { readonly: true });
    try {
      const deadline = (): number | null | undefined =>
        (
          reader.prepare("SELECT publish_at FROM wills WHERE client_id = 'gateway'").get() as
            { publish_at: number | null } | undefined
        )?.publish_at;
      await until(() => deadline() === restartAt + 10_000, 'the will deadline to be recorded');
    } finally {
      reader.close();
    }
    await clock.advance(9_000);
    const { inbox } = await b.connectWithInbox({ ...v5, clientId: 'watcher' });
    expect(inbox.unread).toBe(0);
    await clock.advance(1_000);
    expect((await inbox.next()).payload.toString()).toBe('lost');
  });
});
