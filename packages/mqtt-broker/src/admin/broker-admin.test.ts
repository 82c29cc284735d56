import mqtt, { type IDisconnectPacket } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerErrors } from '../errors.js';
import { Inbox, startHarness, until, type Harness } from '../test-harness.js';
import { BrokerAdmin } from './broker-admin.js';
import { AdminErrors } from './errors.js';

describe('BrokerAdmin against a live broker with mqtt.js clients', () => {
  let h: Harness;
  let admin: BrokerAdmin;
  beforeEach(async () => {
    h = await startHarness();
    admin = new BrokerAdmin(h.broker);
  });
  afterEach(async () => {
    admin.close();
    await h.close();
  });

  it('lists connected clients with search and paging, and shows one client in detail', async () => {
    const pump = await h.connect({
      clientId: 'pump-1',
      username: 'alice',
      protocolVersion: 5,
      keepalive: 30,
      clean: false,
      properties: { sessionExpiryInterval: 600 },
    });
    await pump.subscribeAsync('water/#', { qos: 1 });
    await h.connect({ clientId: 'pump-2', protocolVersion: 4 });
    await h.connect({ clientId: 'meter-9', username: 'bob' });

    expect(admin.clients().items.map((c) => c.clientId)).toEqual(['meter-9', 'pump-1', 'pump-2']);
    expect(admin.clients({ q: 'PUMP' }).items.map((c) => c.clientId)).toEqual(['pump-1', 'pump-2']);
    expect(admin.clients({ q: 'bob' }).items.map((c) => c.clientId)).toEqual(['meter-9']);
    expect(admin.clients({ q: '127.0.0' }).total).toBe(3);
    const second = admin.clients({ offset: 1, limit: 1 });
    expect(second).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(second.items.map((c) => c.clientId)).toEqual(['pump-1']);

    const d = admin.client('pump-1')!;
    expect(d).toMatchObject({
      clientId: 'pump-1',
      username: 'alice',
      peer: '127.0.0.1',
      protocolVersion: 5,
      keepalive: 30,
      cleanStart: false,
      sessionExpiryInterval: 600,
      subscriptions: 1,
      inflight: 0,
      queued: 0,
      hasWill: false,
    });
    expect(d.connectedAt).toBeTypeOf('number');
    expect(d.subscriptionList).toEqual([
      expect.objectContaining({ filter: 'water/#', qos: 1, online: true, clientId: 'pump-1' }),
    ]);
    expect(admin.client('pump-2')).toMatchObject({ protocolVersion: 4, cleanStart: true });
    expect(admin.client('nobody')).toBeUndefined();
  });

  it('kicks an MQTT 5 client with DISCONNECT 0x98 and keeps its session unless told to discard it', async () => {
    const opts = { clientId: 'gw-7', protocolVersion: 5 as const, clean: false };
    const gw = await h.connect({ ...opts, properties: { sessionExpiryInterval: 3600 } });
    await gw.subscribeAsync('cmd/gw-7/#', { qos: 1 });
    const disconnect = new Promise<IDisconnectPacket>((resolve) => gw.once('disconnect', resolve));

    expect(admin.kick('gw-7', { reason: 'maintenance' })).toMatchObject({ clientId: 'gw-7' });
    // [MQTT-3.14.2.1] 0x98 Administrative action, with the operator's reason string
    const packet = await disconnect;
    expect(packet.reasonCode).toBe(0x98);
    expect(packet.properties?.reasonString).toBe('maintenance');
    expect(admin.clients().total).toBe(0);
    expect(admin.subscriptions({ clientId: 'gw-7' }).items).toEqual([
      expect.objectContaining({ filter: 'cmd/gw-7/#', online: false }),
    ]);

    const again = await h.connect({ ...opts, properties: { sessionExpiryInterval: 3600 } });
    await until(() => admin.client('gw-7') !== undefined, 'reconnect');
    const closed = new Promise<void>((resolve) => again.once('close', () => resolve()));
    admin.kick('gw-7', { discardSession: true });
    await closed;
    expect(admin.subscriptions({ clientId: 'gw-7' }).total).toBe(0);
    expect(h.broker.stats().subscriptions).toBe(0);

    expect(() => admin.kick('gw-7')).toThrow(
      expect.objectContaining({ code: AdminErrors.CLIENT_NOT_FOUND.code }),
    );
  });

  it('closes an MQTT 3.1.1 client on kick and publishes its will, as for any connection the client did not end', async () => {
    const watcher = await h.connect({ clientId: 'watcher' });
    const inbox = new Inbox(watcher);
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    const rtu = await h.connect({
      clientId: 'rtu-3',
      protocolVersion: 4,
      will: { topic: 'wills/rtu-3', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    const closed = new Promise<void>((resolve) => rtu.once('close', () => resolve()));
    admin.kick('rtu-3');
    await closed;
    const will = await inbox.next('the will');
    expect([will.topic, will.payload.toString()]).toEqual(['wills/rtu-3', 'gone']);
  });

  it('lists subscriptions with a filter and paging', async () => {
    const a = await h.connect({ clientId: 'a' });
    await a.subscribeAsync(['water/+/level', 'power/#'], { qos: 0 });
    const b = await h.connect({ clientId: 'b', protocolVersion: 5 });
    await b.subscribeAsync('$share/g1/water/#', { qos: 1 });
    const all = admin.subscriptions();
    expect(all.items.map((s) => `${s.clientId} ${s.filter}`)).toEqual([
      'a power/#',
      'a water/+/level',
      'b $share/g1/water/#',
    ]);
    expect(all.items[2]).toMatchObject({ shareGroup: 'g1', qos: 1 });
    expect(admin.subscriptions({ filter: 'WATER' }).total).toBe(2);
    expect(admin.subscriptions({ limit: 2, offset: 2 }).items.map((s) => s.clientId)).toEqual(['b']);
  });

  it('lists retained messages by topic filter with a payload preview, and deletes one', async () => {
    h.broker.publish({ topic: 'water/a/level', payload: '1.5', retain: true });
    h.broker.publish({ topic: 'water/b/raw', payload: Buffer.from([0xff, 0xfe, 0x00]), retain: true });
    h.broker.publish({ topic: 'water/c/log', payload: 'é'.repeat(200), retain: true });
    h.broker.publish({ topic: 'power/x', payload: 'on', retain: true });
    h.broker.publish({ topic: 'power/y', payload: 'a' + 'é'.repeat(200), retain: true });

    const water = admin.retained({ topic: 'water/#' });
    expect(water.total).toBe(3);
    expect(water.items.map((r) => [r.topic, r.previewEncoding, r.truncated])).toEqual([
      ['water/a/level', 'utf8', false],
      ['water/b/raw', 'base64', false],
      ['water/c/log', 'utf8', true],
    ]);
    expect(water.items[0]).toMatchObject({ preview: '1.5', size: 3, qos: 0 });
    expect(water.items[1]!.preview).toBe(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'));
    // 400 bytes of two-byte characters cut at 256: the preview is whole characters only
    expect(water.items[2]!.preview).toBe('é'.repeat(128));
    // …also when the cut falls inside a character: the partial one is left out
    expect(admin.retained({ topic: 'power/y' }).items[0]).toMatchObject({
      preview: 'a' + 'é'.repeat(127),
      previewEncoding: 'utf8',
      truncated: true,
    });
    expect(admin.retained({ limit: 1, offset: 4 }).items.map((r) => r.topic)).toEqual(['water/c/log']);
    expect(() => admin.retained({ topic: 'water/#/x' })).toThrow(
      expect.objectContaining({ code: BrokerErrors.INVALID_FILTER.code }),
    );

    expect(admin.deleteRetained('water/a/level')).toMatchObject({ topic: 'water/a/level' });
    expect(() => admin.deleteRetained('water/a/level')).toThrow(
      expect.objectContaining({ code: AdminErrors.RETAINED_NOT_FOUND.code }),
    );
    // A subscriber now gets only the remaining retained messages.
    const { client, inbox } = await h.connectWithInbox({ clientId: 'late' });
    await client.subscribeAsync('water/+/level', { qos: 0 });
    h.broker.publish({ topic: 'water/z/level', payload: 'marker' });
    expect((await inbox.next()).topic).toBe('water/z/level');
  });

  it('lists listeners with the clients connected through each', async () => {
    const ws = await h.broker.listenWs({ host: '127.0.0.1', port: 0, name: 'web' });
    const wsClient = await mqtt.connectAsync(`ws://127.0.0.1:${ws.port}/mqtt`, {
      clientId: 'browser',
      reconnectPeriod: 0,
    });
    try {
      await h.connect({ clientId: 'tcp-1' });
      await h.connect({ clientId: 'tcp-2' });
      expect(admin.listeners()).toEqual(
        [
          { name: undefined, type: 'tcp', host: '127.0.0.1', port: h.port, connections: 2 },
          { name: 'web', type: 'ws', host: '127.0.0.1', port: ws.port, connections: 1 },
        ].sort((a, b) => a.port - b.port),
      );
      expect(admin.clients({ listener: 'web' }).items.map((c) => c.clientId)).toEqual(['browser']);
    } finally {
      await wsClient.endAsync(true);
      await ws.close();
    }
    expect(admin.listeners().map((l) => l.port)).toEqual([h.port]);
  });
});
