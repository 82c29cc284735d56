import type { IPublishPacket } from 'mqtt-packet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('MQTT 5 properties end to end', () => {
  it('forwards user properties, content type, payload format, response topic and correlation data', async () => {
    const sub = await h.connect({ protocolVersion: 5 });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync('req/#', { qos: 1 });
    const pub = await h.connect({ protocolVersion: 5 });
    const properties = {
      userProperties: { site: 'north', tag: ['a', 'b'] },
      contentType: 'application/json',
      payloadFormatIndicator: true,
      responseTopic: 'resp/42',
      correlationData: Buffer.from([1, 2, 3]),
    };
    await pub.publishAsync('req/read', '{}', { qos: 1, properties });
    const m = await inbox.next();
    expect(m.packet.properties).toMatchObject(properties);
  });

  it('adds subscription identifiers, one per matching subscription [MQTT-3.3.4-3]', async () => {
    const sub = await h.connect({ protocolVersion: 5 });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync('s/+', { qos: 1, properties: { subscriptionIdentifier: 7 } });
    await sub.subscribeAsync('s/#', { qos: 0, properties: { subscriptionIdentifier: 9 } });
    await sub.subscribeAsync('s/plain', { qos: 0 });
    h.broker.publish({ topic: 's/x', payload: 'x', qos: 1 });
    const m = await inbox.next();
    expect(m.packet.qos).toBe(1);
    const ids = (p: { properties?: { subscriptionIdentifier?: number | number[] } }): number[] =>
      [p.properties?.subscriptionIdentifier ?? []].flat().sort((x, y) => x - y);
    expect(ids(m.packet)).toEqual([7, 9]);
    // a subscription without an identifier adds none
    h.broker.publish({ topic: 's/plain', payload: 'p', qos: 1 });
    expect(ids((await inbox.next()).packet)).toEqual([7, 9]);
  });

  it('honours No Local [MQTT-3.8.3-3] and Retain As Published [MQTT-3.3.1-12]', async () => {
    const me = await h.connect({ protocolVersion: 5, clientId: 'me' });
    const inbox = new Inbox(me);
    await me.subscribeAsync('chat', { qos: 1, nl: true });
    await me.subscribeAsync('kept', { qos: 1, rap: true });
    await me.publishAsync('chat', 'mine', { qos: 1 });
    const other = await h.connect({ protocolVersion: 5 });
    await other.publishAsync('chat', 'theirs', { qos: 1 });
    await other.publishAsync('kept', 'r', { qos: 1, retain: true });
    const a = await inbox.next();
    const b = await inbox.next();
    expect([a.payload.toString(), b.payload.toString(), b.packet.retain]).toEqual(['theirs', 'r', true]);
  });

  it('applies Retain Handling 0, 1 and 2 (§3.8.3.1)', async () => {
    h.broker.publish({ topic: 'rh/t', payload: 'kept', retain: true, qos: 1 });
    const raw = await h.raw();
    await raw.connect('rh', { protocolVersion: 5 });
    const subscribe = (messageId: number, rh: number): void =>
      raw.send({
        cmd: 'subscribe',
        messageId,
        subscriptions: [{ topic: 'rh/t', qos: 1, rh, nl: false, rap: false }],
      });
    const publishes = (): number => raw.packets.filter((p) => p.cmd === 'publish').length;

    subscribe(1, 1); // new subscription → retained sent
    await until(() => publishes() === 1, 'retained for rh=1 on a new subscription');
    subscribe(2, 1); // existing → not sent
    subscribe(3, 2); // never
    subscribe(4, 0); // always
    await until(() => raw.packets.filter((p) => p.cmd === 'suback').length === 4, 'four SUBACKs');
    await until(() => publishes() === 2, 'retained for rh=0');
    raw.send({ cmd: 'pingreq' });
    await until(() => raw.packets.at(-1)?.cmd === 'pingresp', 'PINGRESP');
    expect(publishes()).toBe(2);
  });

  it('resolves topic aliases from the client and rejects unknown ones', async () => {
    const got: string[] = [];
    h.broker.subscribe('alias/#', (m) => got.push(`${m.topic}=${m.payload.toString()}`));
    const raw = await h.raw();
    const connack = await raw.connect('aliaser', { protocolVersion: 5 });
    expect(connack).toMatchObject({ properties: { topicAliasMaximum: 64 } });
    const pub = (topic: string, alias: number, payload: string): void =>
      raw.send({
        cmd: 'publish',
        topic,
        payload: Buffer.from(payload),
        qos: 0,
        retain: false,
        dup: false,
        properties: { topicAlias: alias },
      });
    pub('alias/long/topic/name', 1, 'first');
    pub('', 1, 'second');
    await until(() => got.length === 2, 'two aliased messages');
    expect(got).toEqual(['alias/long/topic/name=first', 'alias/long/topic/name=second']);
    pub('', 2, 'unknown');
    await raw.waitClosed();
    expect(raw.packets.at(-1)).toMatchObject({ cmd: 'disconnect', reasonCode: 0x82 });
  });

  it('uses topic aliases towards a client that allows them', async () => {
    const raw = await h.raw();
    await raw.connect('alias-rx', { protocolVersion: 5, properties: { topicAliasMaximum: 1 } });
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'ta/#', qos: 0 }] });
    await raw.next('SUBACK');
    for (const t of ['ta/one', 'ta/one', 'ta/two']) h.broker.publish({ topic: t, payload: 'x' });
    const p = [await raw.next(), await raw.next(), await raw.next()] as IPublishPacket[];
    expect(p.map((x) => [x.topic, x.properties?.topicAlias])).toEqual([
      ['ta/one', 1],
      ['', 1],
      ['ta/two', undefined], // only one alias allowed
    ]);
    // and mqtt.js resolves them transparently
    const client = await h.connect({ protocolVersion: 5, properties: { topicAliasMaximum: 10 } });
    const inbox = new Inbox(client);
    await client.subscribeAsync('ta/#');
    h.broker.publish({ topic: 'ta/one', payload: '1' });
    h.broker.publish({ topic: 'ta/one', payload: '2' });
    expect([(await inbox.next()).topic, (await inbox.next()).topic]).toEqual(['ta/one', 'ta/one']);
  });

  it("respects the client's Maximum Packet Size and Receive Maximum", async () => {
    const dropped: string[] = [];
    h.broker.on('message_dropped', (d) => dropped.push(d.reason));
    const raw = await h.raw();
    await raw.connect('small', {
      protocolVersion: 5,
      properties: { maximumPacketSize: 200, receiveMaximum: 1 },
    });
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'mp', qos: 1 }] });
    await raw.next('SUBACK');
    h.broker.publish({ topic: 'mp', payload: Buffer.alloc(500), qos: 1 }); // too large: dropped [MQTT-3.1.2-25]
    h.broker.publish({ topic: 'mp', payload: 'a', qos: 1 });
    h.broker.publish({ topic: 'mp', payload: 'b', qos: 1 });
    const first = (await raw.next()) as IPublishPacket;
    expect(first.payload.toString()).toBe('a');
    await expect(raw.next('b before PUBACK', 200)).rejects.toThrow(/timed out/);
    raw.send({ cmd: 'puback', messageId: first.messageId! });
    expect(((await raw.next()) as IPublishPacket).payload.toString()).toBe('b');
    expect(dropped).toEqual(['too_large']);
  });

  it('acks with reason codes: 0x10 no matching subscribers, 0x87 not authorized', async () => {
    await h.close();
    h = await startHarness({ authorizePublish: (_c, topic) => !topic.startsWith('secret/') });
    const raw = await h.raw();
    await raw.connect('acker', { protocolVersion: 5 });
    raw.send({
      cmd: 'publish',
      topic: 'nobody',
      payload: Buffer.from('x'),
      qos: 1,
      messageId: 1,
      retain: false,
      dup: false,
    });
    expect(await raw.next()).toMatchObject({ cmd: 'puback', messageId: 1, reasonCode: 0x10 });
    raw.send({
      cmd: 'publish',
      topic: 'secret/x',
      payload: Buffer.from('x'),
      qos: 2,
      messageId: 2,
      retain: false,
      dup: false,
    });
    expect(await raw.next()).toMatchObject({ cmd: 'pubrec', messageId: 2, reasonCode: 0x87 });
  });

  it('sends DISCONNECT with a reason code and reason string before closing', async () => {
    const raw = await h.raw();
    await raw.connect('bad-topic', { protocolVersion: 5 });
    raw.send({ cmd: 'publish', topic: 'a/#', payload: Buffer.from('x'), qos: 0, retain: false, dup: false });
    await raw.waitClosed();
    expect(raw.packets.at(-1)).toMatchObject({
      cmd: 'disconnect',
      reasonCode: 0x90,
      properties: { reasonString: expect.stringContaining('a/#') },
    });
  });
});

describe('fan-out to mixed clients', () => {
  it('gives each subscriber the encoding it needs from one routed message', async () => {
    const v4 = await h.connectWithInbox({ protocolVersion: 4 });
    const v5 = await h.connectWithInbox({ protocolVersion: 5 });
    const v5b = await h.connectWithInbox({ protocolVersion: 5 });
    const withId = await h.connectWithInbox({ protocolVersion: 5 });
    const aliased = await h.connectWithInbox({ protocolVersion: 5, properties: { topicAliasMaximum: 4 } });
    for (const c of [v4, v5, v5b, aliased]) await c.client.subscribeAsync('fan/+', { qos: 0 });
    await withId.client.subscribeAsync('fan/+', { qos: 0, properties: { subscriptionIdentifier: 3 } });
    for (const p of ['a', 'b']) h.broker.publish({ topic: 'fan/x', payload: p, qos: 1 });
    for (const { inbox } of [v4, v5, v5b, withId, aliased]) {
      const got = [await inbox.next(), await inbox.next()];
      expect(got.map((m) => [m.topic, m.payload.toString(), m.packet.qos])).toEqual([
        ['fan/x', 'a', 0],
        ['fan/x', 'b', 0],
      ]);
    }
    expect(withId.inbox.all[0]!.packet.properties?.subscriptionIdentifier).toBe(3);
    expect(v5.inbox.all[0]!.packet.properties?.subscriptionIdentifier).toBeUndefined();
  });
});
