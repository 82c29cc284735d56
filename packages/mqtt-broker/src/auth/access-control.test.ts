import { Registry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../config/load.js';
import { startBroker, type RunningBroker } from '../configured-broker.js';
import { RawClient, until } from '../test-harness.js';
import type { BrokerMessage } from '../types.js';
import { hashPassword } from './password.js';

// Cheap scrypt parameters keep the suite fast; production hashes use the defaults.
const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });

let running: RunningBroker | undefined;
const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.destroy();
  await running?.close();
  running = undefined;
});

async function start(
  value: Record<string, unknown>,
  clock?: FakeClock,
  metrics?: Registry,
): Promise<RunningBroker> {
  const config = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      users: [{ username: 'edge', passwordHash: hash, roles: ['edge'] }],
      listeners: [{ type: 'tcp', host: '127.0.0.1', port: 0 }],
      ...value,
    },
  });
  running = await startBroker(config, { ...(clock && { clock }), ...(metrics && { metrics }) });
  return running;
}

async function raw(port = running!.listeners[0]!.port): Promise<RawClient> {
  const r = await RawClient.open(port);
  raws.push(r);
  return r;
}

const connack = (v: 4 | 5, code: number) => (v === 5 ? { reasonCode: code } : { returnCode: code });

describe.each([4, 5] as const)('authentication, MQTT protocol version %i', (v) => {
  const login = (username?: string, password?: string) => ({
    protocolVersion: v,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password: Buffer.from(password) }),
  });

  it('accepts a user with the right password [MQTT-3.2.2]', async () => {
    await start({});
    expect(await (await raw()).connect('c1', login('edge', 'pw'))).toMatchObject(connack(v, 0));
  });

  it('refuses a wrong password or unknown user as bad username or password (4 / 0x86)', async () => {
    const metrics = new Registry();
    await start({}, undefined, metrics);
    const code = v === 5 ? 0x86 : 4;
    expect(await (await raw()).connect('c1', login('edge', 'nope'))).toMatchObject(connack(v, code));
    expect(await (await raw()).connect('c2', login('who', 'pw'))).toMatchObject(connack(v, code));
    expect(running!.access.stats().authFailures).toBe(2);
    expect(await metrics.getSingleMetricAsString('watershed_mqtt_auth_failures_total')).toContain(
      'reason="bad_credentials"} 2',
    );
  });

  it('refuses anonymous clients as not authorised (5 / 0x87) unless the listener allows them', async () => {
    await start({
      listeners: [
        { type: 'tcp', host: '127.0.0.1', port: 0 },
        { type: 'tcp', host: '127.0.0.1', port: 0, name: 'open', auth: { allowAnonymous: true } },
      ],
    });
    const [closed, open] = running!.listeners;
    expect(await (await raw(closed!.port)).connect('c1', login())).toMatchObject(
      connack(v, v === 5 ? 0x87 : 5),
    );
    expect(await (await raw(open!.port)).connect('c2', login())).toMatchObject(connack(v, 0));
  });

  it('refuses banned clients (MQTT 5: 0x8A Banned; 3.1.1: 5)', async () => {
    await start({ banned: [{ clientId: 'rogue' }, { username: 'edge', ip: '127.0.0.1' }] });
    const code = v === 5 ? 0x8a : 5;
    expect(await (await raw()).connect('rogue', login('edge2', 'x'))).toMatchObject(connack(v, code));
    expect(await (await raw()).connect('c1', login('edge', 'pw'))).toMatchObject(connack(v, code));
  });
});

describe('connection flapping', () => {
  it('bans a client id that connects maxConnects times within the window, until banS passes', async () => {
    const clock = new FakeClock();
    await start(
      {
        listeners: [{ type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } }],
        flapping: { maxConnects: 3, windowS: 10, banS: 60 },
      },
      clock,
    );
    const opts = { protocolVersion: 5 } as const;
    for (let i = 0; i < 2; i++)
      expect(await (await raw()).connect('loop', opts)).toMatchObject({ reasonCode: 0 });
    expect(await (await raw()).connect('loop', opts)).toMatchObject({ reasonCode: 0x8a });
    expect(await (await raw()).connect('other', opts)).toMatchObject({ reasonCode: 0 });
    await clock.advance(60_000);
    expect(await (await raw()).connect('loop', opts)).toMatchObject({ reasonCode: 0 });
  });
});

describe.each([
  [4, 0x80],
  [5, 0x87],
] as const)('ACL through the broker, MQTT protocol version %i', (v, subFail) => {
  it('denied SUBSCRIBE gets a failure in SUBACK; denied PUBLISH is acked 0x87 (v5) or dropped [MQTT-3.3.5-2]', async () => {
    const metrics = new Registry();
    await start(
      {
        listeners: [{ type: 'tcp', host: '127.0.0.1', port: 0, acl: { default: 'deny' } }],
        acl: [
          { permission: 'allow', action: 'publish', topic: 'data/%u/#' },
          { permission: 'allow', action: 'subscribe', topic: 'cmd/%c/#' },
        ],
      },
      undefined,
      metrics,
    );
    const seen: BrokerMessage[] = [];
    running!.broker.subscribe('#', (m) => seen.push(m));
    const c = await raw();
    await c.connect('gw', { protocolVersion: v, username: 'edge', password: Buffer.from('pw') });
    c.send({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [
        { topic: 'cmd/gw/#', qos: 1 },
        { topic: 'cmd/other/#', qos: 1 },
      ],
    });
    expect(await c.next('SUBACK')).toMatchObject({ granted: [1, subFail] });
    c.send({
      cmd: 'publish',
      topic: 'data/other/x',
      payload: Buffer.from('no'),
      qos: 1,
      retain: false,
      dup: false,
      messageId: 2,
    });
    const ack = await c.next('PUBACK');
    expect(ack).toMatchObject({ cmd: 'puback', messageId: 2 });
    if (v === 5) expect(ack).toMatchObject({ reasonCode: 0x87 });
    c.send({
      cmd: 'publish',
      topic: 'data/edge/x',
      payload: Buffer.from('yes'),
      qos: 1,
      retain: false,
      dup: false,
      messageId: 3,
    });
    expect(await c.next('PUBACK')).toMatchObject({ messageId: 3 });
    expect(seen.map((m) => m.topic)).toEqual(['data/edge/x']);
    expect(running!.access.stats()).toMatchObject({ publishDenied: 1, subscribeDenied: 1 });
    const text = await metrics.getSingleMetricAsString('watershed_mqtt_acl_denied_total');
    expect(text).toContain('action="publish"} 1');
    expect(text).toContain('action="subscribe"} 1');
  });
});

describe('per-client rate limit', () => {
  it('delays excess messages by pausing the socket instead of dropping them', async () => {
    const clock = new FakeClock();
    await start(
      {
        listeners: [{ type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } }],
        rateLimits: { messagesPerS: 10 },
      },
      clock,
    );
    const seen: string[] = [];
    running!.broker.subscribe('t/#', (m) => seen.push(m.topic));
    const c = await raw();
    await c.connect('fast', { protocolVersion: 5 });
    const publish = (i: number) => ({
      cmd: 'publish' as const,
      topic: `t/${i}`,
      payload: Buffer.alloc(1),
      qos: 0 as const,
      retain: false,
      dup: false,
    });
    // One write, one chunk: 30 messages against a budget of 10/s leaves 2 s of debt.
    const { generate } = await import('mqtt-packet');
    c.write(
      Buffer.concat(Array.from({ length: 30 }, (_, i) => generate(publish(i), { protocolVersion: 5 }))),
    );
    await until(() => seen.length === 30, 'the first burst');
    c.send(publish(30));
    c.send({ cmd: 'pingreq' });
    await clock.advance(1999);
    // Reading is paused: neither the publish nor the PINGREQ has been read.
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(30);
    await clock.advance(1);
    await until(() => seen.length === 31, 'the delayed message');
    expect(await c.next('PINGRESP')).toMatchObject({ cmd: 'pingresp' });
  });
});
