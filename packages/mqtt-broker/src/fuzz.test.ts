/**
 * Bounded fuzzing on loopback: valid packets of every type, mutated (bit flips, truncation,
 * garbage, bogus lengths) or replaced by random bytes, thrown at the broker from many short
 * connections. Fixed seed, fixed round count and a time budget, so it is repeatable and stops
 * by itself. Asserts: the process survives, a well-behaved client is served throughout, and
 * afterwards no connection, socket, session or subscription is left behind.
 */
import { createMetricsRegistry, systemClock } from '@watershed/common';
import mqtt from 'mqtt';
import { generate, type Packet } from 'mqtt-packet';
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessControl } from './auth/access-control.js';
import { hashPassword } from './auth/password.js';
import { MqttBroker } from './broker.js';
import { MemorySessionStore } from './session-store.js';
import { RawClient, until } from './test-harness.js';

const SEED = 0x5eed_2026;
const ROUNDS = 400;
const PARALLEL = 8;
const BUDGET_MS = 25_000;

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

function connectPacket(round: number, v: 3 | 4 | 5): Packet {
  return {
    cmd: 'connect',
    protocolId: v === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: v,
    clean: rand() < 0.7,
    keepalive: pick([0, 1, 60]),
    clientId: rand() < 0.1 ? '' : `fz-${round % 50}`,
    ...(rand() < 0.3 && { username: 'u', password: Buffer.from('p') }),
    ...(rand() < 0.3 && {
      will: {
        topic: pick(['w/t', 'ok/ping', '#']),
        payload: bytes(4),
        qos: pick([0, 1, 2] as const),
        retain: rand() < 0.5,
      },
    }),
    ...(v === 5 &&
      rand() < 0.5 && {
        properties: {
          sessionExpiryInterval: pick([0, 5, 0xffffffff]),
          receiveMaximum: pick([1, 10]),
          topicAliasMaximum: pick([0, 5]),
        },
      }),
  };
}

function otherPacket(v: 3 | 4 | 5): Packet {
  const id = 1 + int(65535);
  const topic = pick(['a/b', 'fz/x', 'ok/ping', '$SYS/x', 'a/+/c', '', 'x'.repeat(200)]);
  const filter = pick(['#', 'a/+', '$share/g/a/#', '$share//x', 'fz/#', 'a/#/b', '']);
  const props =
    v === 5 && rand() < 0.5 ? { properties: { topicAlias: pick([0, 1, 99]), messageExpiryInterval: 1 } } : {};
  return pick<() => Packet>([
    () => ({
      cmd: 'publish',
      topic,
      payload: bytes(int(64)),
      qos: 0,
      retain: rand() < 0.3,
      dup: false,
      ...props,
    }),
    () => ({
      cmd: 'publish',
      topic,
      payload: bytes(8),
      qos: pick([1, 2] as const),
      messageId: id,
      retain: rand() < 0.3,
      dup: rand() < 0.2,
      ...props,
    }),
    () => ({
      cmd: 'subscribe',
      messageId: id,
      subscriptions: [
        {
          topic: filter,
          qos: pick([0, 1, 2] as const),
          ...(v === 5 && { nl: rand() < 0.3, rap: rand() < 0.3, rh: int(3) }),
        },
      ],
    }),
    () => ({ cmd: 'unsubscribe', messageId: id, unsubscriptions: [filter] }),
    () => ({ cmd: pick(['puback', 'pubrec', 'pubrel', 'pubcomp'] as const), messageId: id }),
    () => ({ cmd: 'pingreq' }),
    () => ({ cmd: 'disconnect' }),
    () => connectPacket(0, v),
  ])();
}

function encode(p: Packet, v: number): Buffer {
  try {
    return generate(p, { protocolVersion: v });
  } catch {
    return bytes(1 + int(16)); // the generator refused it: send noise instead
  }
}

function mutate(b: Buffer): Buffer {
  const out = Buffer.from(b);
  switch (int(6)) {
    case 0: {
      const i = int(out.length);
      out[i] = out[i]! ^ (1 << int(8));
      return out;
    }
    case 1:
      out[int(out.length)] = int(256);
      return out;
    case 2:
      return out.subarray(0, int(out.length));
    case 3:
      return Buffer.concat([out, bytes(1 + int(32))]);
    case 4:
      // A remaining length that promises far more than follows, or is itself malformed.
      return Buffer.concat([
        out.subarray(0, 1),
        Buffer.from([0xff, 0xff, 0xff, pick([0x7f, 0xff])]),
        out.subarray(2),
      ]);
    default:
      return bytes(1 + int(64));
  }
}

function roundBytes(round: number): Buffer {
  if (rand() < 0.1) return bytes(1 + int(256));
  const v = pick([3, 4, 5, 5] as const);
  const parts: Buffer[] = [];
  const connect = encode(connectPacket(round, v), v);
  parts.push(rand() < 0.25 ? mutate(connect) : connect);
  for (let i = 1 + int(8); i > 0; i--) {
    const p = encode(otherPacket(v), v);
    parts.push(rand() < 0.4 ? mutate(p) : p);
  }
  return Buffer.concat(parts);
}

/** One hostile connection: writes in random slices, half-closes, waits for the close (bounded). */
async function attack(port: number, data: Buffer): Promise<void> {
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  // Whatever the broker answers is read and discarded, so its FIN is seen.
  socket.resume();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const guard = setTimeout(() => socket.destroy(), 3000);
  try {
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (let at = 0; at < data.length;) {
      const n = 1 + int(64);
      socket.write(data.subarray(at, at + n));
      at += n;
    }
    socket.end();
    await closed;
  } finally {
    clearTimeout(guard);
  }
}

async function untilAsync(cond: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('fuzzing (bounded, seeded)', () => {
  const registry = createMetricsRegistry();
  const store = new MemorySessionStore();
  let broker: MqttBroker;
  let access: AccessControl;
  let port: number;

  beforeAll(async () => {
    // The product's gatekeeper is in the path too: password checks, ACL, rate limits.
    access = new AccessControl({
      clock: systemClock,
      users: [{ username: 'u', passwordHash: await hashPassword('p', { N: 1024, r: 8, p: 1 }) }],
      acl: [{ permission: 'deny', action: 'all', topic: 'a/#' }],
      defaultPolicy: { allowAnonymous: true, sources: ['password'], aclDefault: 'allow' },
    });
    broker = new MqttBroker(
      {
        sysIntervalMs: 0,
        metrics: registry,
        authenticate: access.authenticate,
        authorizePublish: access.authorizePublish,
        authorizeSubscribe: access.authorizeSubscribe,
        limits: {
          connectTimeoutMs: 1000,
          maxPacketSize: 64 * 1024,
          maxMessagesPerSecond: 5000,
          maxBytesPerSecond: 1024 * 1024,
        },
      },
      store,
    );
    port = (await broker.listenTcp({ host: '127.0.0.1', port: 0 })).port;
  });
  afterAll(async () => {
    await broker.close();
  });

  const gauge = async (name: string): Promise<number> =>
    (await registry.getSingleMetric(name)!.get()).values[0]?.value ?? Number.NaN;

  it('survives mutated and random packets, keeps serving a good client, and leaks nothing', async () => {
    const good = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'good',
      reconnectPeriod: 0,
      protocolVersion: 5,
    });
    const pongs: string[] = [];
    good.on('message', (topic, payload) => {
      if (topic === 'ok/ping' && payload.toString().startsWith('pong-')) pongs.push(payload.toString());
    });
    await good.subscribeAsync('ok/ping', { qos: 1 });
    const deadline = Date.now() + BUDGET_MS;
    let rounds = 0;
    while (rounds < ROUNDS && Date.now() < deadline) {
      const batch = Array.from({ length: PARALLEL }, (_, i) => roundBytes(rounds + i));
      await Promise.all(batch.map((data) => attack(port, data)));
      rounds += PARALLEL;
      // The well-behaved client is still served, end to end, between batches.
      const mark = `pong-${rounds}`;
      await good.publishAsync('ok/ping', mark, { qos: 1 });
      await until(() => pongs.includes(mark), `the good client's message after round ${rounds}`);
    }
    expect(rounds).toBeGreaterThanOrEqual(ROUNDS / 4);

    // Every hostile connection is gone: only the good client remains.
    await until(() => broker.stats().clients === 1, 'fuzz connections to close');
    await untilAsync(async () => (await gauge('watershed_mqtt_sockets')) === 1, 'fuzz sockets to close');
    await good.endAsync();
    await until(() => broker.stats().clients === 0, 'the good client to leave');
    await until(
      () => store.size === 0 || [...store.values()].every((s) => s.expiryInterval > 0),
      'non-persistent sessions to go',
    );

    // What remains are sessions the fuzz legitimately asked to keep; a clean start ends each.
    for (const s of [...store.values()]) {
      const raw = await RawClient.open(port);
      await raw.connect(s.clientId, { clean: true });
      raw.send({ cmd: 'disconnect' });
      await raw.waitClosed();
    }
    await until(() => store.size === 0, 'the session store to empty');
    expect(broker.stats()).toMatchObject({ clients: 0, subscriptions: 0 });
    await untilAsync(async () => (await gauge('watershed_mqtt_sockets')) === 0, 'sockets to close');
  }, 60_000);
});
