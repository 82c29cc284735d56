import { FakeClock } from '@watershed/common/testing';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('CONNECT', () => {
  it('assigns a client id to an empty one (v5 returns it in CONNACK) [MQTT-3.1.3-6] [MQTT-3.2.2-16]', async () => {
    h = await startHarness({ nodeName: 'n1' });
    const v5 = await h.connect({ protocolVersion: 5, clientId: '' });
    await until(() => v5.connected, 'connected');
    const raw = await h.raw();
    const connack = await raw.connect('', { protocolVersion: 5 });
    expect(connack).toMatchObject({ cmd: 'connack', reasonCode: 0, sessionPresent: false });
    const assigned = (connack as { properties?: { assignedClientIdentifier?: string } }).properties
      ?.assignedClientIdentifier;
    expect(assigned).toMatch(/^n1-[0-9a-f]{16}$/);
    const raw4 = await h.raw();
    expect(await raw4.connect('', { protocolVersion: 4, clean: true })).toMatchObject({
      cmd: 'connack',
      returnCode: 0,
    });
    expect(h.broker.stats().clients).toBe(3);
  });

  it('rejects an empty client id with a persistent session in 3.1.1 [MQTT-3.1.3-8]', async () => {
    h = await startHarness();
    const raw = await h.raw();
    // mqtt-packet will not encode this, so the CONNECT is written byte by byte:
    // fixed header, "MQTT", level 4, flags 0 (CleanSession=0), keepalive 0, empty client id.
    raw.write(Buffer.from([0x10, 12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0, 0, 0, 0, 0]));
    expect(await raw.next('CONNACK')).toMatchObject({ cmd: 'connack', returnCode: 2 });
    await raw.waitClosed();
  });

  it('accepts MQTT 3.1 (MQIsdp, version 3) and enforces its 23-character id limit', async () => {
    h = await startHarness();
    const ok = await h.raw();
    expect(await ok.connect('old-client', { protocolId: 'MQIsdp', protocolVersion: 3 })).toMatchObject({
      returnCode: 0,
    });
    const tooLong = await h.raw();
    const reply = await tooLong.connect('x'.repeat(24), { protocolId: 'MQIsdp', protocolVersion: 3 });
    expect(reply).toMatchObject({ cmd: 'connack', returnCode: 2 });
  });

  it('closes a connection whose first packet is not CONNECT [MQTT-3.1.0-1], and a second CONNECT [MQTT-3.1.0-2]', async () => {
    h = await startHarness();
    const early = await h.raw();
    early.send({ cmd: 'pingreq' });
    await early.waitClosed();
    const twice = await h.raw();
    await twice.connect('twice');
    twice.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 0,
      clientId: 'twice',
    });
    await twice.waitClosed();
  });

  it.each([
    [4, { returnCode: 4 }],
    [5, { reasonCode: 0x86 }],
  ] as const)(
    'refuses bad credentials through the authenticate hook (v%i)',
    async (protocolVersion, expected) => {
      const seen: unknown[] = [];
      h = await startHarness({
        authenticate: async (c) => {
          seen.push({ clientId: c.clientId, username: c.username, address: c.remoteAddress });
          await Promise.resolve();
          return c.username === 'edge' && c.password?.toString() === 'secret';
        },
      });
      await expect(
        h.connect({ protocolVersion, clientId: 'e1', username: 'edge', password: 'secret' }),
      ).resolves.toBeDefined();
      const raw = await h.raw();
      const reply = await raw.connect('e2', {
        protocolVersion,
        username: 'edge',
        password: Buffer.from('wrong'),
      });
      expect(reply).toMatchObject({ cmd: 'connack', ...expected });
      await raw.waitClosed();
      expect(seen).toContainEqual({ clientId: 'e1', username: 'edge', address: '127.0.0.1' });
    },
  );

  it('holds packets sent while an asynchronous authenticator decides', async () => {
    let release: ((ok: boolean) => void) | undefined;
    h = await startHarness({ authenticate: () => new Promise<boolean>((r) => (release = r)) });
    const raw = await h.raw();
    raw.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 0,
      clientId: 'slow',
    });
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 't', qos: 0 }] });
    raw.send({ cmd: 'pingreq' });
    await until(() => release !== undefined, 'the authenticator to be asked');
    expect(raw.packets).toEqual([]);
    release!(true);
    expect((await raw.next()).cmd).toBe('connack');
    expect((await raw.next()).cmd).toBe('suback');
    expect((await raw.next()).cmd).toBe('pingresp');
  });
});

describe('keepalive (3.1.1 [MQTT-3.1.2-24], 5 [MQTT-3.1.2-22])', () => {
  it('closes a silent client after 1.5 × keepalive and publishes its will', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock });
    const watcher = await h.connect({ clientId: 'watcher' });
    const inbox = new Inbox(watcher);
    await watcher.subscribeAsync('status/#', { qos: 1 });
    const raw = await h.raw();
    await raw.connect('quiet', {
      keepalive: 10,
      will: { topic: 'status/quiet', payload: Buffer.from('lost'), qos: 1, retain: false },
    });
    await clock.advance(14_000);
    raw.send({ cmd: 'pingreq' }); // activity restarts the 15 s window
    expect((await raw.next()).cmd).toBe('pingresp');
    await clock.advance(14_999);
    expect(raw.closed).toBe(false);
    await clock.advance(1);
    await raw.waitClosed();
    const will = await inbox.next('the will');
    expect([will.topic, will.payload.toString()]).toEqual(['status/quiet', 'lost']);
  });

  it('closes a socket that never sends CONNECT', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock, limits: { connectTimeoutMs: 5000 } });
    const raw = await h.raw();
    await clock.advance(5000);
    await raw.waitClosed();
  });
});

describe('session takeover [MQTT-3.1.4-3]', () => {
  it.each([4, 5] as const)(
    'closes the older connection with the same client id (v%i)',
    async (protocolVersion) => {
      h = await startHarness();
      const first = await h.raw();
      await first.connect('dup', {
        protocolVersion,
        will: { topic: 'wills/dup', payload: Buffer.from('old'), qos: 0, retain: false },
      });
      const second = await h.connect({ protocolVersion, clientId: 'dup' });
      await first.waitClosed();
      if (protocolVersion === 5)
        expect(first.packets.at(-1)).toMatchObject({ cmd: 'disconnect', reasonCode: 0x8e });
      // the new connection works and is the only one
      const inbox = new Inbox(second);
      await second.subscribeAsync('t', { qos: 1 });
      h.broker.publish({ topic: 't', payload: 'hi', qos: 1 });
      expect((await inbox.next()).payload.toString()).toBe('hi');
      expect(h.broker.stats().clients).toBe(1);
    },
  );
});

describe('malformed input', () => {
  it('closes only the offending connection, with a logged reason, while others keep working', async () => {
    const lines: string[] = [];
    const { createLogger } = await import('@watershed/common');
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    h = await startHarness({ logger });
    const good = await h.connect({ clientId: 'good' });
    const inbox = new Inbox(good);
    await good.subscribeAsync('t', { qos: 1 });

    const bad = await h.raw();
    await bad.connect('bad');
    // PUBLISH with QoS bits 11 [MQTT-3.3.1-4], then garbage
    bad.write(Buffer.from([0x36, 0x03, 0x00, 0x01, 0x74, 0xff, 0xff]));
    await bad.waitClosed();

    const garbage = await h.raw();
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await garbage.waitClosed();

    const wildcardPublisher = await h.raw();
    await wildcardPublisher.connect('wild');
    wildcardPublisher.send({
      cmd: 'publish',
      topic: 'a/+',
      payload: Buffer.from('x'),
      qos: 0,
      retain: false,
      dup: false,
    });
    await wildcardPublisher.waitClosed();

    h.broker.publish({ topic: 't', payload: 'still here', qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('still here');
    const reasons = lines
      .map((l) => JSON.parse(l) as { reason?: string; detail?: string })
      .filter((l) => l.reason);
    expect(reasons).toContainEqual(
      expect.objectContaining({ reason: 'malformed', detail: expect.stringMatching(/WS_ERR|malformed/i) }),
    );
    expect(reasons.map((r) => r.reason)).toContain('topic_invalid');
  });
});

describe('close', () => {
  it('disconnects clients, is idempotent and refuses further publishes', async () => {
    h = await startHarness();
    const c = await h.connect({ protocolVersion: 5 });
    let disconnectReason: number | undefined;
    c.on('disconnect', (p) => (disconnectReason = p.reasonCode));
    await Promise.all([h.broker.close(), h.broker.close()]);
    await until(() => !c.connected, 'client to notice');
    expect(disconnectReason).toBe(0x8b);
    expect(() => h!.broker.publish({ topic: 't', payload: 'x' })).toThrow(/WS_ERR_MQTT_BROKER_CLOSED|closed/);
  });
});

describe('takeover of a persistent session', () => {
  it('keeps the session (Session Present) and its subscriptions, even at the connection limit', async () => {
    h = await startHarness({ limits: { maxConnections: 1 } });
    const first = await h.raw();
    await first.connect('keeper', { protocolVersion: 4, clean: false });
    first.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'k', qos: 1 }] });
    await first.next('SUBACK');
    const second = await h.raw();
    expect(await second.connect('keeper', { protocolVersion: 4, clean: false })).toMatchObject({
      returnCode: 0,
      sessionPresent: true,
    });
    await first.waitClosed();
    h.broker.publish({ topic: 'k', payload: 'still subscribed', qos: 1 });
    expect(await second.next('PUBLISH')).toMatchObject({ cmd: 'publish', topic: 'k' });
  });
});

describe('MQTT 5 enhanced authentication', () => {
  it('refuses a CONNECT with an authentication method: 0x8C', async () => {
    h = await startHarness();
    const raw = await h.raw();
    const reply = await raw.connect('scram', {
      protocolVersion: 5,
      properties: { authenticationMethod: 'SCRAM-SHA-256' },
    });
    expect(reply).toMatchObject({ cmd: 'connack', reasonCode: 0x8c });
    await raw.waitClosed();
  });
});

describe('random input', () => {
  it('survives random bytes after CONNECT on many connections; a well-behaved client keeps working', async () => {
    h = await startHarness();
    const good = await h.connect({ clientId: 'good', protocolVersion: 5 });
    const inbox = new Inbox(good);
    await good.subscribeAsync('ok', { qos: 1 });
    // a small deterministic generator, so a failure can be replayed
    let seed = 0x2545f491;
    const rnd = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    for (let i = 0; i < 40; i++) {
      const raw = await h.raw();
      await raw.connect(`fuzz-${i}`, { protocolVersion: i % 2 ? 5 : 4 });
      const junk = Buffer.alloc(1 + Math.floor(rnd() * 300));
      for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(rnd() * 256);
      raw.write(junk);
    }
    h.broker.publish({ topic: 'ok', payload: 'alive', qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('alive');
  });
});
