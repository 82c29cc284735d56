import type { Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness, type RawClient } from './test-harness.js';
import type { BrokerMessage, BrokerOptions } from './types.js';

/** A store write the test finishes by hand. */
interface Write {
  readonly message: BrokerMessage;
  resolve(): void;
  reject(err: Error): void;
}

/** A durable subscriber whose writes stay pending until the test settles them. */
function manualStore(h: Harness, filter: string): Write[] {
  const writes: Write[] = [];
  h.broker.subscribeDurable(
    filter,
    (message) =>
      new Promise<void>((resolve, reject) => {
        writes.push({ message, resolve, reject });
      }),
  );
  return writes;
}

function publish(id: number, topic = 'ws/v1/s/n/g/data', qos: 1 | 2 = 1): Packet {
  return {
    cmd: 'publish',
    topic,
    payload: Buffer.from(`m${id}`),
    qos,
    retain: false,
    dup: false,
    messageId: id,
  };
}

/** PINGREQ → PINGRESP: once it is back, everything the broker sent before it has arrived. */
async function roundTrip(raw: RawClient): Promise<Packet[]> {
  const before = raw.packets.length;
  raw.send({ cmd: 'pingreq' });
  await until(() => raw.packets.some((p, i) => i >= before && p.cmd === 'pingresp'), 'PINGRESP');
  return raw.packets.slice(before);
}

describe('durable in-process subscribers hold the publisher’s ack until they stored the message', () => {
  let h: Harness;
  const start = async (opts: BrokerOptions = {}): Promise<Harness> => (h = await startHarness(opts));
  afterEach(async () => {
    await h.close();
  });

  it('sends PUBACK only after the durable subscriber resolved', async () => {
    await start();
    const writes = manualStore(h, 'ws/v1/+/+/+/data');
    const client = await h.connect({ clientId: 'edge-1' });
    let acked = false;
    const published = client.publishAsync('ws/v1/s/n/g/data', 'x', { qos: 1 }).then(() => (acked = true));
    await until(() => writes.length === 1, 'the store to be called');
    // A SUBACK on the same connection comes after any PUBACK the broker sent for the PUBLISH.
    await client.subscribeAsync('other', { qos: 0 });
    expect(acked).toBe(false);
    writes[0]!.resolve();
    await published;
    expect(writes[0]!.message).toMatchObject({ topic: 'ws/v1/s/n/g/data', clientId: 'edge-1', qos: 1 });
  });

  it('answers a refused store with PUBACK 0x80 under MQTT 5, and PUBREC 0x80 for QoS 2', async () => {
    await start();
    const writes = manualStore(h, 'd/#');
    const client = await h.connect({ protocolVersion: 5 });
    const qos1 = client.publishAsync('d/1', 'x', { qos: 1 });
    const qos2 = client.publishAsync('d/2', 'y', { qos: 2 });
    await until(() => writes.length === 2, 'both stores');
    writes[0]!.reject(new Error('disk full'));
    writes[1]!.reject(new Error('disk full'));
    await expect(qos1).rejects.toMatchObject({ code: 0x80 });
    await expect(qos2).rejects.toMatchObject({ code: 0x80 });
  });

  it('MQTT 3.1.1: a refused store gets no PUBACK; the client resends after reconnecting and it is stored then', async () => {
    await start();
    const stored: string[] = [];
    let calls = 0;
    h.broker.subscribeDurable('d/#', async (m) => {
      if (++calls === 1) throw new Error('database unavailable');
      stored.push(m.payload.toString());
      await Promise.resolve();
    });
    const client = await h.connect({ clientId: 'edge-311', reconnectPeriod: 20 });
    let reconnects = 0;
    client.on('reconnect', () => reconnects++);
    await client.publishAsync('d/1', 'reading', { qos: 1 });
    expect(calls).toBe(2);
    expect(stored).toEqual(['reading']);
    expect(reconnects).toBeGreaterThanOrEqual(1);
  });

  it('MQTT 3.1.1 QoS 2: a refused message’s packet id is released, so its resend is routed again', async () => {
    await start();
    const stored: string[] = [];
    let calls = 0;
    h.broker.subscribeDurable('d/#', async (m) => {
      if (++calls === 1) throw new Error('database unavailable');
      stored.push(m.payload.toString());
      await Promise.resolve();
    });
    const client = await h.connect({ clientId: 'edge-q2', clean: false, reconnectPeriod: 20 });
    await client.publishAsync('d/2', 'exactly once', { qos: 2 });
    expect(stored).toEqual(['exactly once']);
  });

  it('acks in publish order even when the stores finish in reverse', async () => {
    await start();
    const writes = manualStore(h, 'ws/v1/+/+/+/data');
    const raw = await h.raw();
    await raw.connect('edge-raw');
    for (const id of [1, 2, 3]) raw.send(publish(id));
    await until(() => writes.length === 3, 'three stores');
    writes[2]!.resolve();
    writes[1]!.resolve();
    // Messages 2 and 3 are stored, 1 is not: nothing may be acked yet.
    expect(await roundTrip(raw)).toEqual([expect.objectContaining({ cmd: 'pingresp' })]);
    writes[0]!.resolve();
    await until(() => raw.packets.filter((p) => p.cmd === 'puback').length === 3, 'three PUBACKs');
    const acks = raw.packets
      .filter((p) => p.cmd === 'puback')
      .map((p) => (p as { messageId: number }).messageId);
    expect(acks).toEqual([1, 2, 3]);
  });

  it('an ack with nothing to wait for still queues behind a held one', async () => {
    await start();
    const writes = manualStore(h, 'held/#');
    const raw = await h.raw();
    await raw.connect('edge-mixed');
    raw.send(publish(1, 'held/a'));
    raw.send(publish(2, 'free/b'));
    await until(() => writes.length === 1, 'the store');
    expect(await roundTrip(raw)).toEqual([expect.objectContaining({ cmd: 'pingresp' })]);
    writes[0]!.resolve();
    await until(() => raw.packets.filter((p) => p.cmd === 'puback').length === 2, 'two PUBACKs');
    const acks = raw.packets
      .filter((p) => p.cmd === 'puback')
      .map((p) => (p as { messageId: number }).messageId);
    expect(acks).toEqual([1, 2]);
  });

  it('stops reading a connection that owes Receive Maximum acks until the store catches up', async () => {
    await start({ limits: { maxInflight: 2 } });
    const writes = manualStore(h, 'd/#');
    const raw = await h.raw();
    await raw.connect('edge-slow');
    raw.send(publish(1, 'd/1'));
    raw.send(publish(2, 'd/2'));
    await until(() => writes.length === 2, 'two stores');
    // Reading is paused: this PINGREQ is handled only once the acks are no longer owed.
    raw.send({ cmd: 'pingreq' });
    raw.send(publish(3, 'd/3'));
    writes[0]!.resolve();
    writes[1]!.resolve();
    await until(() => writes.length === 3, 'the third store, after reading resumed');
    writes[2]!.resolve();
    await until(() => raw.packets.filter((p) => p.cmd === 'puback').length === 3, 'three PUBACKs');
    expect(raw.packets.slice(1).map((p) => p.cmd)).toEqual(['puback', 'puback', 'pingresp', 'puback']);
  });

  it('leaves QoS 0 and non-durable subscribers on the fast path', async () => {
    await start();
    const writes = manualStore(h, 'held/#');
    const plain: string[] = [];
    h.broker.subscribe('#', (m) => plain.push(m.topic));
    const client = await h.connect();
    // QoS 0 reaches the durable subscriber, whose never-settled write holds nothing.
    await client.publishAsync('held/q0', 'x', { qos: 0 });
    await until(() => writes.length === 1, 'the QoS 0 message at the store');
    // A QoS 1 message no durable subscriber matches is acked at once.
    await client.publishAsync('free/q1', 'y', { qos: 1 });
    expect(plain).toEqual(['held/q0', 'free/q1']);
  });
});

describe('a QoS 2 resend while the first copy is still being stored', () => {
  it('is not routed again, and its PUBREC waits for the first copy’s store', async () => {
    const h = await startHarness();
    try {
      const writes = manualStore(h, 'd/#');
      const first = await h.raw();
      await first.connect('edge-q2', { clean: false });
      first.send(publish(7, 'd/7', 2));
      await until(() => writes.length === 1, 'the store');
      first.destroy();
      const again = await h.raw();
      await again.connect('edge-q2', { clean: false });
      again.send({ ...publish(7, 'd/7', 2), dup: true } as Packet);
      // Not routed twice, and not acknowledged while the store is still at work.
      expect(await roundTrip(again)).toEqual([expect.objectContaining({ cmd: 'pingresp' })]);
      expect(writes).toHaveLength(1);
      writes[0]!.resolve();
      await until(() => again.packets.some((p) => p.cmd === 'pubrec'), 'PUBREC');
      expect(again.packets.find((p) => p.cmd === 'pubrec')).toMatchObject({ messageId: 7 });
    } finally {
      await h.close();
    }
  });
});
