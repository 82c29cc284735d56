import { createMetricsRegistry } from '@watershed/common';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('limits', () => {
  it('closes a connection sending a packet over maxPacketSize, before buffering it', async () => {
    h = await startHarness({ limits: { maxPacketSize: 1024 } });
    const raw = await h.raw();
    await raw.connect('big', { protocolVersion: 5 });
    // declares a 10 MB PUBLISH but sends only its header: the broker must not wait for the rest
    raw.write(Buffer.from([0x30, 0x80, 0xad, 0xe2, 0x04]));
    await raw.waitClosed();
    expect(raw.packets.at(-1)).toMatchObject({ cmd: 'disconnect', reasonCode: 0x95 });
    const ok = await h.connect();
    await ok.publishAsync('t', Buffer.alloc(900), { qos: 1 });
  });

  it('refuses connections beyond maxConnections', async () => {
    h = await startHarness({ limits: { maxConnections: 1 } });
    await h.connect({ clientId: 'one' });
    const raw = await h.raw();
    expect(await raw.connect('two', { protocolVersion: 5 })).toMatchObject({
      cmd: 'connack',
      reasonCode: 0x89,
    });
    await raw.waitClosed();
  });

  it('refuses topics and filters deeper than maxTopicLevels', async () => {
    h = await startHarness({ limits: { maxTopicLevels: 3 } });
    const raw = await h.raw();
    await raw.connect('deep', { protocolVersion: 5 });
    raw.send({
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [
        { topic: 'a/b/c', qos: 0 },
        { topic: 'a/b/c/d', qos: 0 },
      ],
    });
    expect(await raw.next('SUBACK')).toMatchObject({ granted: [0, 0x8f] });
    expect(() => h!.broker.publish({ topic: 'a/b/c/d', payload: '' })).toThrow(/levels/);
  });

  it('refuses subscriptions beyond maxSubscriptionsPerClient, replacing an existing one still works', async () => {
    h = await startHarness({ limits: { maxSubscriptionsPerClient: 2 } });
    const raw = await h.raw();
    await raw.connect('many', { protocolVersion: 5 });
    const subscribe = (messageId: number, topics: string[]): void =>
      raw.send({
        cmd: 'subscribe',
        messageId,
        subscriptions: topics.map((topic) => ({ topic, qos: 0 as const })),
      });
    subscribe(1, ['a', 'b', 'c']);
    expect(await raw.next('SUBACK')).toMatchObject({ granted: [0, 0, 0x97] });
    subscribe(2, ['a']);
    expect(await raw.next('SUBACK')).toMatchObject({ granted: [0] });
    expect(h.broker.stats().subscriptions).toBe(2);
  });

  it('keeps at most maxRetained retained messages but still routes and updates', async () => {
    h = await startHarness({ limits: { maxRetained: 2 } });
    const seen: string[] = [];
    h.broker.subscribe('r/#', (m) => seen.push(m.payload.toString()));
    for (const t of ['a', 'b', 'c']) h.broker.publish({ topic: `r/${t}`, payload: t, retain: true });
    h.broker.publish({ topic: 'r/a', payload: 'a2', retain: true });
    expect(seen).toEqual(['a', 'b', 'c', 'a2']);
    const kept: string[] = [];
    h.broker.subscribe('r/#', (m) => kept.push(m.payload.toString()), { retained: true });
    expect(kept.sort()).toEqual(['a2', 'b']);
  });

  it('bounds a slow consumer’s queue and counts the drops', async () => {
    h = await startHarness({ limits: { maxQueuedPerClient: 10 } });
    const dropped: string[] = [];
    h.broker.on('message_dropped', (d) => dropped.push(`${d.clientId}:${d.reason}`));
    const slow = await h.raw();
    await slow.connect('slow');
    slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flood', qos: 0 }] });
    expect((await slow.next()).cmd).toBe('suback');
    slow.pause();
    const payload = Buffer.alloc(64 * 1024);
    // fill the socket buffers until the broker sees backpressure, then overflow the queue
    await until(
      () => {
        for (let i = 0; i < 20; i++) h!.broker.publish({ topic: 'flood', payload });
        return h!.broker.stats().dropped > 0;
      },
      'drops',
      10_000,
    );
    expect(dropped[0]).toBe('slow:queue_full');
    // a healthy client is unaffected
    const fast = await h.connect();
    const inbox = new Inbox(fast);
    await fast.subscribeAsync('ok', { qos: 1 });
    h.broker.publish({ topic: 'ok', payload: 'fine', qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('fine');
  });

  it('queues QoS 1 messages beyond the inflight window and sends them as acks free it', async () => {
    h = await startHarness({ limits: { maxInflight: 2 } });
    const raw = await h.raw();
    await raw.connect('window');
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'w', qos: 1 }] });
    await raw.next('SUBACK');
    for (let i = 0; i < 4; i++) h.broker.publish({ topic: 'w', payload: String(i), qos: 1 });
    const a = await raw.next();
    const b = await raw.next();
    expect([a, b].map((p) => (p as { payload: Buffer }).payload.toString())).toEqual(['0', '1']);
    await expect(raw.next('a third before any ack', 200)).rejects.toThrow(/timed out/);
    raw.send({ cmd: 'puback', messageId: (a as { messageId: number }).messageId });
    expect(((await raw.next()) as { payload: Buffer }).payload.toString()).toBe('2');
  });
});

describe('metrics', () => {
  it('exposes connections, messages and retained counts in the given registry', async () => {
    const registry = createMetricsRegistry();
    h = await startHarness({ metrics: registry, nodeName: 'n1' });
    const c = await h.connect();
    await c.subscribeAsync('m', { qos: 1 });
    const inbox = new Inbox(c);
    await c.publishAsync('m', 'x', { qos: 1, retain: true });
    await inbox.next();
    const text = await registry.metrics();
    expect(text).toMatch(/watershed_mqtt_connections\{node="n1"\} 1/);
    expect(text).toMatch(/watershed_mqtt_subscriptions\{node="n1"\} 1/);
    expect(text).toMatch(/watershed_mqtt_retained_messages\{node="n1"\} 1/);
    expect(text).toMatch(/watershed_mqtt_messages_received_total\{node="n1"\} 1/);
    expect(text).toMatch(/watershed_mqtt_messages_sent_total\{node="n1"\} 1/);
    expect(text).toMatch(/watershed_mqtt_messages_dropped_total\{node="n1"\} 0/);
  });
});
