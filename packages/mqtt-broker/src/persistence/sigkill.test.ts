import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, RawClient, until } from '../test-harness.js';
import { BrokerProcess } from './fixtures/broker-process.js';

/**
 * The must-show of durable sessions (issue 3): the broker process is killed with SIGKILL while
 * persistent QoS 1 and QoS 2 sessions have messages queued and in flight, restarted on the same
 * state file and port, and every message arrives, in order per publisher, QoS 2 exactly once.
 */
const N = 30;
const range = (n: number, from = 0): string[] => Array.from({ length: n - from }, (_, i) => String(i + from));
const persistentV5 = {
  protocolVersion: 5,
  clean: false,
  properties: { sessionExpiryInterval: 3600 },
} as const;

let dir: string;
let broker: BrokerProcess | undefined;
const clients: MqttClient[] = [];
const raws: RawClient[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ws-broker-sigkill-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  for (const r of raws.splice(0)) r.destroy();
  await broker?.kill('SIGTERM');
  broker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function settings(port: number): unknown {
  return {
    nodeName: 'crash-test',
    listeners: [{ type: 'tcp', host: '127.0.0.1', port, auth: { allowAnonymous: true } }],
    persistence: { enabled: true, file: join(dir, 'state', 'mqtt-broker.db') },
    flapping: { enabled: false },
    sysIntervalMs: 0,
  };
}

async function client(port: number, opts: IClientOptions): Promise<{ client: MqttClient; inbox: Inbox }> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 10_000, ...opts });
  clients.push(c);
  // Attached before CONNACK: a resumed session's messages follow it at once.
  const inbox = new Inbox(c);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return { client: c, inbox };
}

async function raw(port: number): Promise<RawClient> {
  const r = await RawClient.open(port);
  raws.push(r);
  return r;
}

async function nextPublish(r: RawClient): Promise<IPublishPacket> {
  const p = await r.next('PUBLISH');
  expect(p.cmd).toBe('publish');
  return p as IPublishPacket;
}

const text = (m: { payload: Buffer | string }): string => m.payload.toString();

/**
 * A QoS 2 receiver that stores a message on PUBLISH and delivers it on PUBREL (MQTT 3.1.1
 * §4.3.3 Figure 4.3, Method A), keeping its state across connections as a real client would.
 */
class Qos2Receiver {
  readonly delivered: string[] = [];
  readonly #stored = new Map<number, string>();

  received(p: IPublishPacket): void {
    this.#stored.set(p.messageId!, text(p));
  }

  released(id: number): void {
    const payload = this.#stored.get(id);
    if (payload === undefined) return; // delivered before: PUBCOMP only
    this.delivered.push(payload);
    this.#stored.delete(id);
  }
}

describe('durable sessions across SIGKILL', () => {
  it('delivers every queued and inflight message after the broker is killed, QoS 2 exactly once', async () => {
    broker = await BrokerProcess.start(settings(0));
    const port = broker.port;

    // Offline persistent subscribers: everything for them is queued.
    const s1 = await client(port, { ...persistentV5, clientId: 'q1-offline' });
    await s1.client.subscribeAsync('seq/q1', { qos: 1 });
    await s1.client.endAsync();
    const s2 = await client(port, { protocolVersion: 4, clean: false, clientId: 'q2-offline' });
    await s2.client.subscribeAsync('seq/q2', { qos: 2 });
    await s2.client.endAsync();

    // Wills: one client is still connected when the broker dies (its will is due after the
    // restart: the connection closed without DISCONNECT), one said goodbye (its will is gone).
    const watcher = await client(port, { ...persistentV5, clientId: 'will-watcher' });
    await watcher.client.subscribeAsync('will/#', { qos: 1 });
    await watcher.client.endAsync();
    const will = (who: string): IClientOptions['will'] => ({
      topic: `will/${who}`,
      payload: Buffer.from(`${who} gone`),
      qos: 1,
      retain: false,
    });
    await client(port, { ...persistentV5, clientId: 'dies-with-broker', will: will('dies-with-broker') });
    const polite = await client(port, {
      ...persistentV5,
      clientId: 'says-goodbye',
      will: will('says-goodbye'),
    });
    await polite.client.endAsync();

    // Online persistent subscribers that hold their acknowledgements: messages stay in flight.
    const r1 = await raw(port);
    const r1Connect = { ...persistentV5, properties: { ...persistentV5.properties, receiveMaximum: 5 } };
    await r1.connect('q1-inflight', r1Connect);
    r1.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'seq/q1', qos: 1 }] });
    expect((await r1.next('SUBACK')).cmd).toBe('suback');
    const r2 = await raw(port);
    const r2Connect = { ...persistentV5, properties: { ...persistentV5.properties, receiveMaximum: 6 } };
    await r2.connect('q2-inflight', r2Connect);
    r2.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'seq/q2', qos: 2 }] });
    expect((await r2.next('SUBACK')).cmd).toBe('suback');

    // Retained messages: one with MQTT 5 properties, one QoS 0, one set and then cleared.
    const p1 = (await client(port, { protocolVersion: 5, clientId: 'pub-q1' })).client;
    const retainedProps = { contentType: 'text/plain', userProperties: { unit: 'm3/h' } };
    await p1.publishAsync('ret/a', 'A', { qos: 1, retain: true, properties: retainedProps });
    await p1.publishAsync('ret/b', 'B', { qos: 0, retain: true });
    await p1.publishAsync('ret/c', 'C', { qos: 1, retain: true });
    await p1.publishAsync('ret/c', '', { qos: 1, retain: true });

    // N messages per publisher; each resolves on PUBACK / PUBCOMP, i.e. once the broker owns it.
    const p2 = (await client(port, { protocolVersion: 4, clientId: 'pub-q2' })).client;
    await Promise.all(range(N).map((i) => p1.publishAsync('seq/q1', i, { qos: 1 })));
    await Promise.all(range(N).map((i) => p2.publishAsync('seq/q2', i, { qos: 2 })));
    // A QoS 2 publisher left between PUBREC and PUBREL: its packet id must survive [MQTT-4.3.3].
    const p3 = await raw(port);
    await p3.connect('pub-q2-raw', persistentV5);
    const p3Publish = {
      cmd: 'publish',
      topic: 'seq/q2',
      payload: Buffer.from('p3'),
      qos: 2,
      retain: false,
      messageId: 77,
    } as const;
    p3.send({ ...p3Publish, dup: false });
    expect(await p3.next('PUBREC')).toMatchObject({ cmd: 'pubrec', messageId: 77 });

    // r1 acknowledges 2 of its first 5, so 7 were sent and 5 are unacknowledged.
    const r1First: IPublishPacket[] = [];
    for (let i = 0; i < 5; i++) r1First.push(await nextPublish(r1));
    for (const p of r1First.slice(0, 2)) r1.send({ cmd: 'puback', messageId: p.messageId! });
    for (let i = 0; i < 2; i++) r1First.push(await nextPublish(r1));
    expect(r1First.map(text)).toEqual(range(7));

    // r2 takes 6; PUBRECs 3 and so gets (and delivers on) their PUBREL, never sending PUBCOMP;
    // the other 3 stay unacknowledged.
    const r2Receiver = new Qos2Receiver();
    const r2First: IPublishPacket[] = [];
    for (let i = 0; i < 6; i++) r2First.push(await nextPublish(r2));
    expect(r2First.map(text)).toEqual(range(6));
    for (const p of r2First) r2Receiver.received(p);
    for (const p of r2First.slice(0, 3)) r2.send({ cmd: 'pubrec', messageId: p.messageId! });
    for (let i = 0; i < 3; i++) {
      const rel = await r2.next('PUBREL');
      expect(rel).toMatchObject({ cmd: 'pubrel', messageId: r2First[i]!.messageId });
      r2Receiver.released(rel.messageId!);
    }
    expect(r2Receiver.delivered).toEqual(range(3));

    await broker.kill('SIGKILL');
    expect(await broker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    broker = await BrokerProcess.start(settings(port));

    // The QoS 2 publisher resends its unreleased message: acknowledged, not routed again.
    const p3b = await raw(port);
    expect(await p3b.connect('pub-q2-raw', persistentV5)).toMatchObject({ sessionPresent: true });
    p3b.send({ ...p3Publish, dup: true });
    expect(await p3b.next('PUBREC')).toMatchObject({ cmd: 'pubrec', messageId: 77 });
    p3b.send({ cmd: 'pubrel', messageId: 77 });
    expect(await p3b.next('PUBCOMP')).toMatchObject({ cmd: 'pubcomp', messageId: 77 });

    // r1: the 5 unacknowledged come back first, same ids, DUP set [MQTT-4.4.0-1]; then the rest.
    const r1b = await raw(port);
    expect(await r1b.connect('q1-inflight', r1Connect)).toMatchObject({ sessionPresent: true });
    const r1Second: IPublishPacket[] = [];
    while (r1Second.length < N - 2) {
      const p = await nextPublish(r1b);
      r1Second.push(p);
      r1b.send({ cmd: 'puback', messageId: p.messageId! });
    }
    expect(r1Second.slice(0, 5).map((p) => [text(p), p.dup, p.messageId])).toEqual(
      r1First.slice(2).map((p) => [text(p), true, p.messageId]),
    );
    expect(r1Second.map(text)).toEqual(range(N, 2));

    // r2: PUBREL again for the released ones (never their PUBLISH), the unacknowledged PUBLISHes
    // with their ids and DUP, then the queue; each message delivered once.
    const r2b = await raw(port);
    expect(await r2b.connect('q2-inflight', r2Connect)).toMatchObject({ sessionPresent: true });
    const r2Resent: Array<[string, number, boolean]> = [];
    while (r2Receiver.delivered.length < N + 1) {
      const p: Packet = await r2b.next('PUBLISH or PUBREL');
      if (p.cmd === 'pubrel') {
        if (r2Resent.length < 6) r2Resent.push(['pubrel', p.messageId!, false]);
        r2Receiver.released(p.messageId!);
        r2b.send({ cmd: 'pubcomp', messageId: p.messageId! });
      } else if (p.cmd === 'publish') {
        if (r2Resent.length < 6) r2Resent.push(['publish', p.messageId!, p.dup]);
        r2Receiver.received(p);
        r2b.send({ cmd: 'pubrec', messageId: p.messageId! });
      }
    }
    expect(r2Resent).toEqual([
      ...r2First.slice(0, 3).map((p) => ['pubrel', p.messageId, false]),
      ...r2First.slice(3).map((p) => ['publish', p.messageId, true]),
    ]);
    expect(r2Receiver.delivered).toEqual([...range(N), 'p3']);

    // The offline subscribers get their whole queue in order; a marker published last shows
    // nothing else is on its way.
    const s1b = await client(port, { ...persistentV5, clientId: 'q1-offline' });
    const s2b = await client(port, { protocolVersion: 4, clean: false, clientId: 'q2-offline' });
    const marker = (await client(port, { protocolVersion: 5, clientId: 'marker' })).client;
    await marker.publishAsync('seq/q1', 'end', { qos: 1 });
    await marker.publishAsync('seq/q2', 'end', { qos: 2 });
    await until(() => s1b.inbox.all.at(-1)?.payload.toString() === 'end', 'the q1 marker', 10_000);
    await until(() => s2b.inbox.all.at(-1)?.payload.toString() === 'end', 'the q2 marker', 10_000);
    expect(s1b.inbox.all.map(text)).toEqual([...range(N), 'end']);
    expect(s2b.inbox.all.map(text)).toEqual([...range(N), 'p3', 'end']);
    expect(s2b.inbox.all.slice(0, N).every((m) => m.packet.qos === 2)).toBe(true);

    // Only the will of the client the crash disconnected was published.
    const watcherBack = await client(port, { ...persistentV5, clientId: 'will-watcher' });
    await marker.publishAsync('will/end', 'end', { qos: 1 });
    await until(() => watcherBack.inbox.all.at(-1)?.payload.toString() === 'end', 'the will marker', 10_000);
    expect(watcherBack.inbox.all.map(text)).toEqual(['dies-with-broker gone', 'end']);

    // Retained messages are back, with their properties; the cleared one stays gone. They are
    // sent right after SUBACK, so they are all in before the marker that follows.
    const fresh = await client(port, { protocolVersion: 5, clientId: 'fresh' });
    await fresh.client.subscribeAsync(['ret/#', 'after'], { qos: 1 });
    await fresh.client.publishAsync('after', 'marker', { qos: 1 });
    await until(() => fresh.inbox.all.some((m) => m.topic === 'after'), 'the retained marker', 10_000);
    const retained = fresh.inbox.all
      .filter((m) => m.topic !== 'after')
      .map((m) => [m.topic, text(m), m.packet.retain, m.packet.properties?.contentType])
      .sort();
    expect(retained).toEqual([
      ['ret/a', 'A', true, 'text/plain'],
      ['ret/b', 'B', true, undefined],
    ]);
    expect(fresh.inbox.all.find((m) => m.topic === 'ret/a')!.packet.properties?.userProperties).toEqual({
      unit: 'm3/h',
    });
  }, 120_000);
});
