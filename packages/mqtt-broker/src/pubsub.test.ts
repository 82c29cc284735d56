import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

describe.each([4, 5] as const)('publish/subscribe, MQTT protocol version %i', (protocolVersion) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('routes QoS 0, 1 and 2 through + and # wildcards', async () => {
    const sub = await h.connect({ protocolVersion, clientId: 'sub' });
    const inbox = new Inbox(sub);
    const granted = await sub.subscribeAsync({ 'ws/v1/+/n1/+/data': { qos: 1 }, 'alarms/#': { qos: 2 } });
    expect(granted.map((g) => g.qos)).toEqual([1, 2]);
    const pub = await h.connect({ protocolVersion, clientId: 'pub' });

    await pub.publishAsync('ws/v1/s1/n1/g1/data', 'q0', { qos: 0 });
    await pub.publishAsync('ws/v1/s1/n1/g1/data', 'q1', { qos: 1 });
    await pub.publishAsync('alarms/pump/7', 'q2', { qos: 2 });
    await pub.publishAsync('alarms', 'parent', { qos: 2 }); // '#' includes the parent level
    await pub.publishAsync('ws/v1/s1/n2/g1/data', 'other node', { qos: 1 });

    const got = [await inbox.next(), await inbox.next(), await inbox.next(), await inbox.next()];
    expect(got.map((m) => [m.topic, m.payload.toString(), m.packet.qos])).toEqual([
      ['ws/v1/s1/n1/g1/data', 'q0', 0],
      ['ws/v1/s1/n1/g1/data', 'q1', 1],
      ['alarms/pump/7', 'q2', 2],
      ['alarms', 'parent', 2],
    ]);
    expect(got.every((m) => !m.packet.retain)).toBe(true);
    // the non-matching one never arrives: a later marker overtakes it
    await pub.publishAsync('alarms/marker', 'm', { qos: 1 });
    expect((await inbox.next()).topic).toBe('alarms/marker');
    expect(h.broker.stats()).toMatchObject({ clients: 2, subscriptions: 2, messagesIn: 6, messagesOut: 5 });
  });

  it('downgrades to the granted QoS and delivers overlapping subscriptions once at the highest', async () => {
    const sub = await h.connect({ protocolVersion, clientId: 'sub' });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync({ 'a/+': { qos: 0 }, 'a/#': { qos: 1 } });
    const pub = await h.connect({ protocolVersion });
    await pub.publishAsync('a/b', 'x', { qos: 2 });
    const m = await inbox.next();
    expect(m.packet.qos).toBe(1);
    await pub.publishAsync('a/marker', 'end', { qos: 1 });
    expect((await inbox.next()).topic).toBe('a/marker');
    expect(inbox.unread).toBe(0);
  });

  it('stops delivering after UNSUBSCRIBE', async () => {
    const sub = await h.connect({ protocolVersion });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync(['x/1', 'x/2'], { qos: 1 });
    await sub.unsubscribeAsync('x/1');
    const pub = await h.connect({ protocolVersion });
    await pub.publishAsync('x/1', 'gone', { qos: 1 });
    await pub.publishAsync('x/2', 'kept', { qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('kept');
    expect(h.broker.stats().subscriptions).toBe(1);
  });

  it('does not match $-topics with a leading wildcard [MQTT-4.7.2-1]', async () => {
    const all = await h.connect({ protocolVersion });
    const allInbox = new Inbox(all);
    await all.subscribeAsync(['#', '+/brokers/#'], { qos: 1 });
    const sys = await h.connect({ protocolVersion });
    const sysInbox = new Inbox(sys);
    await sys.subscribeAsync('$SYS/#', { qos: 1 });
    h.broker.publish({ topic: '$SYS/brokers/n1/uptime', payload: '5', qos: 1 });
    h.broker.publish({ topic: 'plain', payload: 'p', qos: 1 });
    expect((await sysInbox.next()).topic).toBe('$SYS/brokers/n1/uptime');
    expect((await allInbox.next()).topic).toBe('plain');
    expect(allInbox.unread).toBe(0);
  });

  it('refuses invalid topic filters in SUBACK [MQTT-4.7.1]', async () => {
    // mqtt.js checks filters itself, so a raw client sends the bad ones.
    const raw = await h.raw();
    expect(await raw.connect('bad-filters', { protocolVersion })).toMatchObject({ cmd: 'connack' });
    raw.send({
      cmd: 'subscribe',
      messageId: 7,
      subscriptions: [
        { topic: 'a/#/b', qos: 1 },
        { topic: 'ok/+', qos: 1 },
        { topic: 'a+', qos: 0 },
      ],
    });
    const failure = protocolVersion === 5 ? 0x8f : 0x80;
    expect(await raw.next('SUBACK')).toMatchObject({
      cmd: 'suback',
      messageId: 7,
      granted: [failure, 1, failure],
    });
  });

  it('answers PINGREQ', async () => {
    const c = await h.connect({ protocolVersion, keepalive: 1 });
    let pongs = 0;
    c.on('packetreceive', (p) => {
      if (p.cmd === 'pingresp') pongs++;
    });
    await until(() => pongs > 0, 'PINGRESP', 5000);
  });
});

describe('QoS 2 from the broker to a persistent client', () => {
  it('completes PUBREC/PUBREL/PUBCOMP and frees the inflight slot', async () => {
    const h = await startHarness({ limits: { maxInflight: 1 } });
    try {
      const sub = await h.connect({ protocolVersion: 5, clientId: 'q2' });
      const inbox = new Inbox(sub);
      await sub.subscribeAsync('q/#', { qos: 2 });
      for (let i = 0; i < 5; i++) h.broker.publish({ topic: `q/${i}`, payload: String(i), qos: 2 });
      const got: string[] = [];
      for (let i = 0; i < 5; i++) got.push((await inbox.next()).payload.toString());
      // one at a time through a window of one, still in order
      expect(got).toEqual(['0', '1', '2', '3', '4']);
    } finally {
      await h.close();
    }
  });
});
