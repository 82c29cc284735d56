import { FakeClock } from '@watershed/common/testing';
import type { IPublishPacket } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from './test-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each([4, 5] as const)('persistent sessions, MQTT protocol version %i', (protocolVersion) => {
  // 3.1.1: CleanSession=0 keeps the session; 5: Clean Start=0 plus a Session Expiry Interval.
  const persistent =
    protocolVersion === 5 ? { clean: false, properties: { sessionExpiryInterval: 3600 } } : { clean: false };

  it('keeps subscriptions and queues QoS 1/2 messages while offline; QoS 0 is not queued', async () => {
    h = await startHarness();
    const first = await h.connect({ protocolVersion, clientId: 'meter-7', ...persistent });
    await first.subscribeAsync('cmd/meter-7/#', { qos: 2 });
    await first.endAsync();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');

    h.broker.publish({ topic: 'cmd/meter-7/a', payload: 'q1', qos: 1 });
    h.broker.publish({ topic: 'cmd/meter-7/b', payload: 'q0', qos: 0 });
    h.broker.publish({ topic: 'cmd/meter-7/c', payload: 'q2', qos: 2 });

    const { inbox } = await h.connectWithInbox({ protocolVersion, clientId: 'meter-7', ...persistent });
    const got = [await inbox.next(), await inbox.next()].map((m) => [m.payload.toString(), m.packet.qos]);
    expect(got).toEqual([
      ['q1', 1],
      ['q2', 2],
    ]);
    // still subscribed without subscribing again
    h.broker.publish({ topic: 'cmd/meter-7/d', payload: 'live', qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('live');
  });

  it('queues QoS 0 for an offline session too when limits.queueQos0Offline is set, within the queue limit', async () => {
    h = await startHarness({ limits: { queueQos0Offline: true, maxQueuedPerClient: 2 } });
    const dropped: string[] = [];
    h.broker.on('message_dropped', (e: { topic: string; reason: string }) =>
      dropped.push(`${e.topic}:${e.reason}`),
    );
    const first = await h.connect({ protocolVersion, clientId: 'meter-8', ...persistent });
    await first.subscribeAsync('cmd/meter-8/#', { qos: 0 });
    await first.endAsync();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');

    for (const n of ['a', 'b', 'c']) h.broker.publish({ topic: `cmd/meter-8/${n}`, payload: n, qos: 0 });
    expect(dropped).toEqual(['cmd/meter-8/c:queue_full']);

    const { inbox } = await h.connectWithInbox({ protocolVersion, clientId: 'meter-8', ...persistent });
    const got = [await inbox.next(), await inbox.next()].map((m) => [m.payload.toString(), m.packet.qos]);
    expect(got).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('reports Session Present and discards the session on a clean start [MQTT-3.2.2-2]', async () => {
    h = await startHarness();
    const raw = await h.raw();
    expect(await raw.connect('p1', { protocolVersion, ...persistent })).toMatchObject({
      sessionPresent: false,
    });
    raw.destroy();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    const back = await h.raw();
    expect(await back.connect('p1', { protocolVersion, ...persistent })).toMatchObject({
      sessionPresent: true,
    });
    back.destroy();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    const fresh = await h.raw();
    expect(await fresh.connect('p1', { protocolVersion, clean: true })).toMatchObject({
      sessionPresent: false,
    });
  });

  it('resends unacknowledged messages in order with DUP set after reconnecting [MQTT-4.4.0-1]', async () => {
    h = await startHarness();
    const raw = await h.raw();
    await raw.connect('dup-test', { protocolVersion, ...persistent });
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'r/#', qos: 1 }] });
    await raw.next('SUBACK');
    for (const p of ['1', '2', '3']) h.broker.publish({ topic: 'r/x', payload: p, qos: 1 });
    const firstRound = [await raw.next(), await raw.next(), await raw.next()] as IPublishPacket[];
    expect(firstRound.map((p) => [p.payload.toString(), p.dup])).toEqual([
      ['1', false],
      ['2', false],
      ['3', false],
    ]);
    raw.send({ cmd: 'puback', messageId: firstRound[0]!.messageId! }); // only the first is acknowledged
    raw.destroy();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    h.broker.publish({ topic: 'r/x', payload: '4', qos: 1 });

    const back = await h.raw();
    expect(await back.connect('dup-test', { protocolVersion, ...persistent })).toMatchObject({
      sessionPresent: true,
    });
    const resent = [await back.next(), await back.next(), await back.next()] as IPublishPacket[];
    expect(resent.map((p) => [p.payload.toString(), p.dup, p.messageId])).toEqual([
      ['2', true, firstRound[1]!.messageId],
      ['3', true, firstRound[2]!.messageId],
      ['4', false, expect.any(Number)],
    ]);
  });

  it('routes a QoS 2 message once when the client resends it before PUBREL [MQTT-4.3.3]', async () => {
    h = await startHarness();
    const got: string[] = [];
    h.broker.subscribe('once', (m) => got.push(m.payload.toString()));
    const raw = await h.raw();
    await raw.connect('q2-pub', { protocolVersion, ...persistent });
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
    raw.destroy();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    const back = await h.raw();
    await back.connect('q2-pub', { protocolVersion, ...persistent });
    back.send({ ...publish, dup: true });
    expect(await back.next('PUBREC')).toMatchObject({ cmd: 'pubrec', messageId: 42 });
    back.send({ cmd: 'pubrel', messageId: 42 });
    expect(await back.next('PUBCOMP')).toMatchObject({ cmd: 'pubcomp', messageId: 42 });
    expect(got).toEqual(['x']);
  });
});

describe('MQTT 5 session and message expiry', () => {
  it('ends a session after its Session Expiry Interval', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock });
    const raw = await h.raw();
    await raw.connect('exp', { protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 30 } });
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'e', qos: 1 }] });
    await raw.next('SUBACK');
    raw.destroy();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    await clock.advance(29_000);
    expect(h.broker.stats().subscriptions).toBe(1);
    await clock.advance(1_000);
    expect(h.broker.stats().subscriptions).toBe(0);
    const back = await h.raw();
    expect(
      await back.connect('exp', {
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: 30 },
      }),
    ).toMatchObject({
      sessionPresent: false,
    });
  });

  it('drops queued messages whose Message Expiry Interval passed and counts down the rest [MQTT-3.3.2-5/6]', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock });
    const persistent = {
      protocolVersion: 5 as const,
      clientId: 'exp2',
      clean: false,
      properties: { sessionExpiryInterval: 600 },
    };
    const c = await h.connect(persistent);
    await c.subscribeAsync('m/#', { qos: 1 });
    await c.endAsync();
    await until(() => h!.broker.stats().clients === 0, 'disconnect');
    h.broker.publish({ topic: 'm/short', payload: 's', qos: 1, properties: { messageExpiryInterval: 10 } });
    h.broker.publish({ topic: 'm/long', payload: 'l', qos: 1, properties: { messageExpiryInterval: 60 } });
    await clock.advance(20_000);
    const { inbox } = await h.connectWithInbox(persistent);
    const m = await inbox.next();
    expect(m.topic).toBe('m/long');
    expect(m.packet.properties?.messageExpiryInterval).toBe(40);
    expect(h.broker.stats().dropped).toBe(1);
  });
});
