import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../types.js';
import {
  CLIENT_CN,
  PASSWORD,
  USER,
  startInteropBroker,
  subscribed,
  type InteropBroker,
} from './interop-broker.js';
import { MOSQUITTO_PUB, MOSQUITTO_SUB, requirePeer, run, start } from './peers.js';

let b: InteropBroker;
beforeAll(async () => {
  requirePeer(MOSQUITTO_PUB, 'mosquitto-clients');
  requirePeer(MOSQUITTO_SUB, 'mosquitto-clients');
  b = await startInteropBroker();
}, 60_000);
afterAll(async () => {
  await b?.close();
});

const VERSIONS = [
  ['3.1.1', 'mqttv311'],
  ['5.0', 'mqttv5'],
] as const;

describe.each(VERSIONS)('Mosquitto clients, MQTT %s', (_label, V) => {
  const tls = (): string[] => ['-p', String(b.port('tls')), '--cafile', b.pki.caFile];
  const tcp = (): string[] => ['-p', String(b.port('tcp'))];
  const user = ['-u', USER, '-P', PASSWORD];

  it.each([
    ['TCP', tcp],
    ['TLS', tls],
  ] as const)('deliver a QoS 1 message over %s with username and password', async (_t, where) => {
    const topic = `interop/${V}/${_t}`;
    const ready = subscribed(b, topic);
    const sub = start(MOSQUITTO_SUB, [
      '-h',
      '127.0.0.1',
      ...where(),
      '-V',
      V,
      ...user,
      '-q',
      '1',
      '-t',
      topic,
      '-C',
      '1',
      '-W',
      '10',
    ]);
    await ready;
    const pub = await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      ...where(),
      '-V',
      V,
      ...user,
      '-q',
      '1',
      '-t',
      topic,
      '-m',
      'flow=12.5',
    ]);
    expect(pub).toMatchObject({ code: 0 });
    const done = await sub.exited;
    expect(done.stdout.trim()).toBe('flow=12.5');
    expect(done.code).toBe(0);
  });

  it('is refused with a wrong password (CONNACK 4 / 0x86)', async () => {
    const r = await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      ...tcp(),
      '-V',
      V,
      '-u',
      USER,
      '-P',
      'wrong',
      '-t',
      'x',
      '-m',
      'x',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.toLowerCase()).toMatch(/bad user ?name or password/);
  });

  it('is refused without credentials (CONNACK 5 / 0x87)', async () => {
    const r = await run(MOSQUITTO_PUB, ['-h', '127.0.0.1', ...tcp(), '-V', V, '-t', 'x', '-m', 'x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.toLowerCase()).toMatch(/not authori[sz]ed/);
  });

  it('has a publish to a denied topic dropped [MQTT-3.3.5-2]', async () => {
    const seen: BrokerMessage[] = [];
    const off = b.running.broker.subscribe('secret/#', (m) => seen.push(m));
    const before = b.running.access.stats().publishDenied;
    await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      ...tcp(),
      '-V',
      V,
      ...user,
      '-q',
      '1',
      '-t',
      'secret/key',
      '-m',
      'x',
    ]);
    off();
    expect(seen).toHaveLength(0);
    expect(b.running.access.stats().publishDenied).toBe(before + 1);
  });

  it('authenticates by client certificate CN over mutual TLS', async () => {
    const topic = `plants/${CLIENT_CN}/${V}`;
    const got = new Promise<BrokerMessage>((resolve) => {
      const off = b.running.broker.subscribe(topic, (m) => {
        off();
        resolve(m);
      });
    });
    const r = await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      '-p',
      String(b.port('mtls')),
      '-V',
      V,
      '--cafile',
      b.pki.caFile,
      '--cert',
      b.pki.clientCertFile,
      '--key',
      b.pki.clientKeyFile,
      '-q',
      '1',
      '-t',
      topic,
      '-m',
      'ok',
    ]);
    expect(r).toMatchObject({ code: 0 });
    expect((await got).payload.toString()).toBe('ok');
    // The CN is the username, so %u confines it: another plant's topic is denied.
    const before = b.running.access.stats().publishDenied;
    await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      '-p',
      String(b.port('mtls')),
      '-V',
      V,
      '--cafile',
      b.pki.caFile,
      '--cert',
      b.pki.clientCertFile,
      '--key',
      b.pki.clientKeyFile,
      '-q',
      '1',
      '-t',
      'plants/other/x',
      '-m',
      'no',
    ]);
    expect(b.running.access.stats().publishDenied).toBe(before + 1);
  });

  it('is refused by the mutual-TLS listener without a client certificate', async () => {
    const r = await run(MOSQUITTO_PUB, [
      '-h',
      '127.0.0.1',
      '-p',
      String(b.port('mtls')),
      '-V',
      V,
      '--cafile',
      b.pki.caFile,
      '-t',
      'x',
      '-m',
      'x',
    ]);
    expect(r.code).not.toBe(0);
  });
});
