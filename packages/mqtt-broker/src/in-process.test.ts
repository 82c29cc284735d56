import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';
import type { BrokerMessage } from './types.js';

describe('in-process hooks', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('delivers client messages to in-process subscribers with the same matching rules', async () => {
    const got: BrokerMessage[] = [];
    const unsubscribe = h.broker.subscribe('ws/v1/+/+/+/data', (m) => got.push(m));
    const hash: string[] = [];
    h.broker.subscribe('#', (m) => hash.push(m.topic));
    const pub = await h.connect({ protocolVersion: 5, clientId: 'edge-1' });
    await pub.publishAsync('ws/v1/s/n/g/data', '{"v":1}', {
      qos: 1,
      properties: { contentType: 'application/json', userProperties: { k: 'v' } },
    });
    await pub.publishAsync('$SYS/x', 'sys', { qos: 1 });
    await until(() => got.length === 1, 'in-process delivery');
    expect(got[0]).toMatchObject({
      topic: 'ws/v1/s/n/g/data',
      qos: 1,
      retain: false,
      clientId: 'edge-1',
      properties: { contentType: 'application/json', userProperties: { k: 'v' } },
    });
    expect(got[0]!.payload.toString()).toBe('{"v":1}');
    expect(hash).toEqual(['ws/v1/s/n/g/data']);
    unsubscribe();
    unsubscribe(); // idempotent
    await pub.publishAsync('ws/v1/s/n/g/data', 'again', { qos: 1 });
    await until(() => hash.length === 2, 'second message');
    expect(got).toHaveLength(1);
  });

  it('routes in-process publishes to clients and other in-process subscribers, retained included', async () => {
    const sub = await h.connect({ protocolVersion: 4 });
    const inbox = new Inbox(sub);
    await sub.subscribeAsync('cmd/#', { qos: 1 });
    const local: string[] = [];
    h.broker.subscribe('cmd/+', (m) => local.push(m.payload.toString()));
    h.broker.publish({ topic: 'cmd/pump1', payload: 'start', qos: 1, retain: true });
    expect((await inbox.next()).payload.toString()).toBe('start');
    expect(local).toEqual(['start']);
    const replayed: string[] = [];
    h.broker.subscribe('cmd/#', (m) => replayed.push(m.topic), { retained: true });
    expect(replayed).toEqual(['cmd/pump1']);
  });

  it('isolates a throwing subscriber and allows publishing from inside a callback', () => {
    const seen: string[] = [];
    h.broker.subscribe('a', () => {
      throw new Error('consumer bug');
    });
    h.broker.subscribe('a', (m) => h.broker.publish({ topic: 'b', payload: m.payload }));
    h.broker.subscribe('b', (m) => seen.push(`b:${m.payload.toString()}`));
    h.broker.publish({ topic: 'a', payload: 'x' });
    expect(seen).toEqual(['b:x']);
  });

  it('rejects invalid filters and topics with catalog errors', () => {
    expect(() => h.broker.subscribe('a/#/b', () => undefined)).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_INVALID_FILTER' }),
    );
    expect(() => h.broker.publish({ topic: 'a/+', payload: '' })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_INVALID_TOPIC' }),
    );
  });

  it('emits typed lifecycle events', async () => {
    const events: string[] = [];
    h.broker.on('client_connected', (c) => events.push(`connected:${c.clientId}:${c.protocolVersion}`));
    h.broker.on('session_subscribed', (s) => events.push(`subscribed:${s.clientId}:${s.filter}:${s.qos}`));
    h.broker.on('client_disconnected', (d) =>
      events.push(`disconnected:${d.clientId}:${d.graceful}:${d.reason}`),
    );
    const c = await h.connect({ protocolVersion: 5, clientId: 'ev' });
    await c.subscribeAsync('x/#', { qos: 1 });
    await c.endAsync();
    await until(() => events.length === 3, 'three events');
    expect(events).toEqual([
      'connected:ev:5',
      'subscribed:ev:x/#:1',
      'disconnected:ev:true:client_disconnect',
    ]);
  });
});
