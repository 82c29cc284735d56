import { Registry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { SignJWT } from 'jose';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../config/load.js';
import { startBroker, type RunningBroker } from '../configured-broker.js';
import { MOSQUITTO_PUB, requirePeer, run } from '../interop/peers.js';
import { makePkiWithSan, type SanPki } from './test-pki.js';
import type { AuthnEvent } from '../types.js';
import { hashPassword } from './password.js';

/**
 * The chain as a deployment configures it: JWT, then the user store, then an HTTP service, on
 * one listener with anonymous access off and a default-deny ACL; the identity's grants (JWT
 * `acl` claim, HTTP `is_superuser`) decide publishes.
 */
const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';
let http: Server;
let httpUrl: string;
let running: RunningBroker | undefined;
const clients: MqttClient[] = [];

beforeAll(async () => {
  // The service knows one device, "meter-9" with password "m9", and makes it a superuser.
  http = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      const { username, password } = JSON.parse(text) as { username: string; password: string };
      const body =
        username === 'meter-9'
          ? { result: password === 'm9' ? 'allow' : 'deny', is_superuser: true }
          : { result: 'ignore' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/auth`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await running?.close();
  running = undefined;
});

async function start(clock?: FakeClock, metrics?: Registry): Promise<{ events: AuthnEvent[]; port: number }> {
  const config = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      flapping: { enabled: false },
      users: [{ username: 'ops', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }],
      acl: [{ permission: 'allow', action: 'all', topic: '#', who: { username: 'ops' } }],
      listeners: [
        {
          name: 'plants',
          type: 'tcp',
          host: '127.0.0.1',
          port: 0,
          acl: { default: 'deny' },
          auth: {
            sources: [
              { type: 'jwt', secret: SECRET, verifyClaims: { sub: '${username}' } },
              'password',
              { type: 'http', url: httpUrl, timeoutMs: 2000 },
            ],
          },
        },
      ],
    },
  });
  running = await startBroker(config, { ...(clock && { clock }), ...(metrics && { metrics }) });
  const events: AuthnEvent[] = [];
  running.broker.on('client_authn', (e) => events.push(e));
  return { events, port: running.listeners[0]!.port };
}

async function connect(port: number, opts: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...opts,
  });
  clients.push(client);
  return client;
}

async function token(
  clock: { now(): number },
  claims: Record<string, unknown>,
  ttlS = 3600,
): Promise<string> {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ iat: now, exp: now + ttlS, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));
}

describe('authentication chain from config', () => {
  it('lets each source vouch for its own clients and reports who decided', async () => {
    const metrics = new Registry();
    const { events, port } = await start(undefined, metrics);
    const acl = [{ permission: 'allow', action: 'publish', topic: 'ws/v1/+/${username}/#' }];
    const jwtClient = await connect(port, {
      clientId: 'gw-7',
      username: 'gw-7',
      password: await token(Date, { sub: 'gw-7', acl }),
    });
    await connect(port, { clientId: 'ops-1', username: 'ops', password: 'pw' });
    const meter = await connect(port, { clientId: 'meter-9', username: 'meter-9', password: 'm9' });
    expect(events.map((e) => [e.clientId, e.ok, e.source])).toEqual([
      ['gw-7', true, 'jwt'],
      ['ops-1', true, 'password'],
      ['meter-9', true, 'http'],
    ]);

    // The token's ACL claim: its own topics only (the listener default is deny).
    await jwtClient.publishAsync('ws/v1/north/gw-7/data', '1', { qos: 1 });
    await expect(jwtClient.publishAsync('ws/v1/north/gw-8/data', '1', { qos: 1 })).rejects.toThrow();
    // The HTTP service made meter-9 a superuser.
    await meter.publishAsync('anything/at/all', '1', { qos: 1 });

    // Nobody vouches: bad credentials; someone else's token: denied by the JWT source.
    await expect(connect(port, { clientId: 'x', username: 'who', password: 'nope' })).rejects.toMatchObject({
      code: 0x86,
    });
    await expect(
      connect(port, { clientId: 'y', username: 'gw-8', password: await token(Date, { sub: 'gw-7' }) }),
    ).rejects.toMatchObject({ code: 0x86 });
    await expect(
      connect(port, { clientId: 'z', username: 'meter-9', password: 'wrong' }),
    ).rejects.toMatchObject({
      code: 0x86,
    });
    expect(events.slice(3).map((e) => [e.ok, e.source, e.reason])).toEqual([
      [false, 'anonymous', 'bad_credentials'],
      [false, 'jwt', 'bad_credentials'],
      [false, 'http', 'bad_credentials'],
    ]);
    // Anonymous access is off unless a listener allows it.
    await expect(connect(port, { clientId: 'anon' })).rejects.toMatchObject({ code: 0x87 });
    const text = await metrics.metrics();
    for (const source of ['jwt', 'password', 'http'])
      expect(text).toContain(
        `watershed_mqtt_authn_total{node="watershed",source="${source}",result="success"} 1`,
      );
    expect(text).toContain('watershed_mqtt_authn_total{node="watershed",source="http",result="failure"} 1');
  });

  it('serves an independent client (mosquitto_pub) that sends its token as the password', async () => {
    requirePeer(MOSQUITTO_PUB, 'mosquitto-clients');
    const { events, port } = await start();
    const acl = [{ permission: 'allow', action: 'publish', topic: 'ws/v1/+/${username}/#' }];
    const routed: string[] = [];
    running!.broker.subscribe('ws/#', (m) => routed.push(m.topic));
    const pub = (password: string) =>
      run(MOSQUITTO_PUB, [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-V',
        'mqttv5',
        '-i',
        'gw-7',
        '-u',
        'gw-7',
        '-P',
        password,
        '-t',
        'ws/v1/north/gw-7/data',
        '-m',
        '1',
        '-q',
        '1',
      ]);
    const good = await pub(await token(Date, { sub: 'gw-7', acl }));
    expect(good.code, good.stderr).toBe(0);
    expect(routed).toEqual(['ws/v1/north/gw-7/data']);
    const expired = await pub(await token({ now: () => Date.now() - 7200_000 }, { sub: 'gw-7', acl }));
    expect(expired.code).not.toBe(0);
    expect(events.map((e) => [e.ok, e.source])).toEqual([
      [true, 'jwt'],
      [false, 'jwt'],
    ]);
  });

  it('closes a connection when its token expires, with DISCONNECT 0xA0 Maximum connect time', async () => {
    const clock = new FakeClock(Date.now());
    const { port } = await start(clock);
    const client = await connect(port, {
      clientId: 'gw-7',
      username: 'gw-7',
      password: await token(clock, { sub: 'gw-7' }, 60),
    });
    const disconnected = new Promise<number | undefined>((resolve) => {
      client.once('disconnect', (p) => resolve(p.reasonCode));
    });
    await clock.advance(59_000);
    expect(client.connected).toBe(true);
    await clock.advance(1_000);
    expect(await disconnected).toBe(0xa0);
  });
});

describe('certificate SAN as the username (mutual TLS)', () => {
  let pki: SanPki;
  beforeAll(async () => {
    pki = await makePkiWithSan('gw-7', ['DNS:gw-7.plant.example', 'email:gw-7@plant.example']);
  }, 60_000);

  it('takes the first DNS subjectAltName of the verified client certificate', async () => {
    const config = loadBrokerConfig({
      value: {
        sysIntervalMs: 0,
        acl: [{ permission: 'allow', action: 'publish', topic: 'plants/%u/#' }],
        listeners: [
          {
            name: 'gateways',
            type: 'tls',
            host: '127.0.0.1',
            port: 0,
            certFile: pki.certFile,
            keyFile: pki.keyFile,
            caFile: pki.caFile,
            requestClientCert: true,
            auth: { sources: [{ type: 'certificate', usernameFrom: 'dns' }] },
            acl: { default: 'deny' },
          },
        ],
      },
    });
    running = await startBroker(config);
    const connected = new Promise<string | undefined>((resolve) => {
      running!.broker.on('client_connected', (c) => resolve(c.username));
    });
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${running.listeners[0]!.port}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      ca: readFileSync(pki.caFile),
      cert: readFileSync(pki.clientCertFile),
      key: readFileSync(pki.clientKeyFile),
    });
    clients.push(client);
    expect(await connected).toBe('gw-7.plant.example');
    await client.publishAsync('plants/gw-7.plant.example/level', '1', { qos: 1 });
    await expect(client.publishAsync('plants/gw-7/level', '1', { qos: 1 })).rejects.toThrow();
  });
});
