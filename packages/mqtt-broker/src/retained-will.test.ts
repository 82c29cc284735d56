import { FakeClock } from '@watershed/common/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

describe.each([4, 5] as const)('retained messages and wills, MQTT protocol version %i', (protocolVersion) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores retained messages, sends them on subscribe with RETAIN=1, and deletes on empty payload', async () => {
    const pub = await h.connect({ protocolVersion });
    await pub.publishAsync('plant/a/level', '1.5', { qos: 1, retain: true });
    await pub.publishAsync('plant/b/level', '2.5', { qos: 1, retain: true });
    await pub.publishAsync('plant/a/level', '1.7', { qos: 1, retain: true }); // replaces
    expect(h.broker.stats().retained).toBe(2);

    const sub = await h.connect({ protocolVersion });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync('plant/+/level', { qos: 1 });
    const first = [await inbox.next(), await inbox.next()].map((m) => [
      m.topic,
      m.payload.toString(),
      m.packet.retain,
    ]);
    expect(first.sort()).toEqual([
      ['plant/a/level', '1.7', true],
      ['plant/b/level', '2.5', true],
    ]);

    // live messages to an existing subscription carry RETAIN=0 [MQTT-3.3.1-9]
    await pub.publishAsync('plant/a/level', '1.8', { qos: 1, retain: true });
    const live = await inbox.next();
    expect([live.payload.toString(), live.packet.retain]).toEqual(['1.8', false]);

    // [MQTT-3.3.1-6/7] empty retained payload removes the message
    await pub.publishAsync('plant/a/level', '', { qos: 1, retain: true });
    await until(() => h.broker.stats().retained === 1, 'retained delete');
    const late = await h.connect({ protocolVersion });
    const lateInbox = new Inbox(late);
    await late.subscribeAsync('plant/#', { qos: 0 });
    expect((await lateInbox.next()).topic).toBe('plant/b/level');
    await pub.publishAsync('plant/marker', 'm', { qos: 1 });
    expect((await lateInbox.next()).topic).toBe('plant/marker');
  });

  it('publishes the will when the socket drops, not after DISCONNECT', async () => {
    const watcher = await h.connect({ protocolVersion });
    const inbox = new Inbox(watcher);
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    const will = (id: string) => ({
      topic: `wills/${id}`,
      payload: Buffer.from(`${id} gone`),
      qos: 1 as const,
      retain: true,
    });

    const polite = await h.connect({ protocolVersion, clientId: 'polite', will: will('polite') });
    await polite.endAsync();
    const rude = await h.raw();
    await rude.connect('rude', { protocolVersion, will: will('rude') });
    rude.destroy(); // abrupt socket close

    const m = await inbox.next('the will');
    expect([m.topic, m.payload.toString()]).toEqual(['wills/rude', 'rude gone']);
    // will retain flag honoured
    await until(() => h.broker.stats().retained === 1, 'retained will');
    expect(inbox.unread).toBe(0);
  });
});

describe('MQTT 5 will options', () => {
  it('publishes on DISCONNECT with reason 0x04', async () => {
    const h = await startHarness();
    try {
      const watcher = await h.connect({ protocolVersion: 5 });
      const inbox = new Inbox(watcher);
      await watcher.subscribeAsync('wills/#', { qos: 1 });
      const raw = await h.raw();
      await raw.connect('leaver', {
        protocolVersion: 5,
        will: { topic: 'wills/leaver', payload: Buffer.from('bye'), qos: 0, retain: false },
      });
      raw.send({ cmd: 'disconnect', reasonCode: 0x04 });
      expect((await inbox.next()).topic).toBe('wills/leaver');
    } finally {
      await h.close();
    }
  });
});

describe('MQTT 5 Will Delay Interval [MQTT-3.1.3-9]', () => {
  it('publishes after the delay, and not at all when the session is resumed in time', async () => {
    const clock = new FakeClock();
    const h = await startHarness({ clock });
    try {
      const got: string[] = [];
      h.broker.subscribe('wills/#', (m) => got.push(m.payload.toString()));
      const connectWithWill = async (payload: string) => {
        const raw = await h.raw();
        await raw.connect('delayed', {
          protocolVersion: 5,
          clean: false,
          properties: { sessionExpiryInterval: 300 },
          will: {
            topic: 'wills/delayed',
            payload: Buffer.from(payload),
            qos: 1,
            retain: false,
            properties: { willDelayInterval: 10 },
          },
        });
        return raw;
      };
      const first = await connectWithWill('first');
      first.destroy();
      await until(() => h.broker.stats().clients === 0, 'disconnect');
      await clock.advance(5_000);
      const second = await connectWithWill('second'); // back within the delay: first will cancelled
      await clock.advance(20_000);
      expect(got).toEqual([]);
      second.destroy();
      await until(() => h.broker.stats().clients === 0, 'disconnect');
      await clock.advance(9_999);
      expect(got).toEqual([]);
      await clock.advance(1);
      expect(got).toEqual(['second']);
    } finally {
      await h.close();
    }
  });

  it('publishes a delayed will when the session expires first', async () => {
    const clock = new FakeClock();
    const h = await startHarness({ clock });
    try {
      const got: string[] = [];
      h.broker.subscribe('wills/#', (m) => got.push(m.topic));
      const raw = await h.raw();
      await raw.connect('short-session', {
        protocolVersion: 5,
        clean: true,
        properties: { sessionExpiryInterval: 3 },
        will: {
          topic: 'wills/short',
          payload: Buffer.from('x'),
          qos: 0,
          retain: false,
          properties: { willDelayInterval: 60 },
        },
      });
      raw.destroy();
      await until(() => h.broker.stats().clients === 0, 'disconnect');
      await clock.advance(3_000);
      expect(got).toEqual(['wills/short']);
    } finally {
      await h.close();
    }
  });
});

describe('retained message expiry', () => {
  it('does not send, and forgets, a retained message whose expiry passed [MQTT-3.3.2-5]', async () => {
    const clock = new FakeClock();
    const h = await startHarness({ clock });
    try {
      h.broker.publish({
        topic: 'r/short',
        payload: 's',
        retain: true,
        properties: { messageExpiryInterval: 5 },
      });
      h.broker.publish({
        topic: 'r/long',
        payload: 'l',
        retain: true,
        properties: { messageExpiryInterval: 500 },
      });
      await clock.advance(6_000);
      const seen: string[] = [];
      h.broker.subscribe('r/#', (m) => seen.push(m.topic), { retained: true });
      expect(seen).toEqual(['r/long']);
      expect(h.broker.stats().retained).toBe(1);
    } finally {
      await h.close();
    }
  });
});
