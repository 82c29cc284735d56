import { Registry } from '@watershed/common';
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import type { IAuthPacket, Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../config/load.js';
import { startBroker, type RunningBroker } from '../configured-broker.js';
import { RawClient } from '../test-harness.js';
import type { AuthnEvent } from '../types.js';
import { hashPassword } from './password.js';
import { ScramClient } from './scram-client.js';
import { scramCredentials } from './scram-credentials.js';

const METHOD = 'SCRAM-SHA-256';
let running: RunningBroker;
let metrics: Registry;
const events: AuthnEvent[] = [];
const clients: MqttClient[] = [];
const raws: RawClient[] = [];

beforeAll(async () => {
  metrics = new Registry();
  const config = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      flapping: { enabled: false },
      users: [
        { username: 'gw-7', scram: await scramCredentials('pump-station-7'), roles: [] },
        { username: 'ops', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) },
      ],
      listeners: [
        { name: 'scram', type: 'tcp', host: '127.0.0.1', port: 0, auth: { enhanced: [METHOD] } },
        { name: 'plain', type: 'tcp', host: '127.0.0.1', port: 0 },
      ],
    },
  });
  running = await startBroker(config, { metrics });
  running.broker.on('client_authn', (e) => events.push(e));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  for (const r of raws) r.destroy();
  await running.close();
});

const port = (name: string): number => running.listeners.find((l) => l.name === name)!.port;

/** mqtt.js with enhanced authentication: CONNECT carries client-first, handleAuth answers server-first. */
function scramConnect(
  username: string,
  password: string,
): Promise<{ client: MqttClient; connack: IConnackPacket; scram: ScramClient }> {
  const scram = new ScramClient(username, password);
  const client = mqtt.connect(`mqtt://127.0.0.1:${port('scram')}`, {
    protocolVersion: 5,
    clientId: `scram-${username}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    properties: { authenticationMethod: METHOD, authenticationData: scram.first() },
  });
  clients.push(client);
  client.handleAuth = (packet, done) => {
    scram.final(authData(packet)).then(
      (data) => {
        done(undefined, {
          cmd: 'auth',
          reasonCode: 0x18,
          properties: { authenticationMethod: METHOD, authenticationData: data },
        });
      },
      (err: Error) => {
        done(err);
      },
    );
  };
  return new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, connack, scram }));
    client.once('error', reject);
  });
}

/** Authentication Data of an AUTH or CONNACK. */
function authData(p: Packet): Buffer {
  const data = (p as IAuthPacket).properties?.authenticationData;
  if (!Buffer.isBuffer(data)) throw new Error(`${p.cmd} without authentication data`);
  return data;
}

async function raw(name = 'scram'): Promise<RawClient> {
  const r = await RawClient.open(port(name));
  raws.push(r);
  return r;
}

/** The CONNECT → AUTH → AUTH → CONNACK exchange over raw packets; returns the CONNACK. */
async function rawScramLogin(r: RawClient, clientId: string, scram: ScramClient): Promise<Packet> {
  const first = await r.connect(clientId, {
    protocolVersion: 5,
    properties: { authenticationMethod: METHOD, authenticationData: scram.first() },
  });
  expect(first).toMatchObject({
    cmd: 'auth',
    reasonCode: 0x18,
    properties: { authenticationMethod: METHOD },
  });
  const data = await scram.final(authData(first));
  r.send({
    cmd: 'auth',
    reasonCode: 0x18,
    properties: { authenticationMethod: METHOD, authenticationData: data },
  });
  return r.next('CONNACK');
}

describe('MQTT 5 enhanced authentication with SCRAM-SHA-256 (§4.12, RFC 7677)', () => {
  it('logs in mqtt.js with the right password; the CONNACK proves the broker holds the keys', async () => {
    const { client, connack, scram } = await scramConnect('gw-7', 'pump-station-7');
    expect(connack.reasonCode).toBe(0);
    expect(connack.properties?.authenticationMethod).toBe(METHOD);
    expect(scram.verify(connack.properties?.authenticationData)).toBe(true);
    expect(events.at(-1)).toMatchObject({
      clientId: 'scram-gw-7',
      username: 'gw-7',
      ok: true,
      source: METHOD,
    });
    await client.publishAsync('t', 'x', { qos: 1 });
    const text = await metrics.metrics();
    expect(text).toMatch(
      /watershed_mqtt_authn_total\{node="watershed",source="SCRAM-SHA-256",result="success"\} 1/,
    );
  });

  it('refuses a wrong password and an unknown user alike with 0x86, never revealing who exists', async () => {
    await expect(scramConnect('gw-7', 'wrong')).rejects.toMatchObject({ code: 0x86 });
    await expect(scramConnect('nobody', 'pump-station-7')).rejects.toMatchObject({ code: 0x86 });
    expect(events.at(-1)).toMatchObject({ ok: false, source: METHOD, reason: 'bad_credentials' });
  });

  it('refuses a method the listener does not offer with 0x8C [MQTT-4.12.0-1]', async () => {
    const r = await raw();
    expect(
      await r.connect('m1', { protocolVersion: 5, properties: { authenticationMethod: 'GS2-KRB5' } }),
    ).toMatchObject({ cmd: 'connack', reasonCode: 0x8c });
    await r.waitClosed();
    const plain = await raw('plain');
    const s = new ScramClient('gw-7', 'pump-station-7');
    expect(
      await plain.connect('m2', {
        protocolVersion: 5,
        properties: { authenticationMethod: METHOD, authenticationData: s.first() },
      }),
    ).toMatchObject({ cmd: 'connack', reasonCode: 0x8c });
  });

  it('allows only AUTH or DISCONNECT before CONNACK once a method is named [MQTT-3.1.2-30]', async () => {
    const r = await raw();
    const s = new ScramClient('gw-7', 'pump-station-7');
    await r.connect('early', {
      protocolVersion: 5,
      properties: { authenticationMethod: METHOD, authenticationData: s.first() },
    });
    r.send({ cmd: 'pingreq' });
    expect(await r.next('CONNACK')).toMatchObject({ cmd: 'connack', reasonCode: 0x82 });
    await r.waitClosed();
  });

  it('refuses an AUTH naming another method [MQTT-4.12.0-5]', async () => {
    const r = await raw();
    const s = new ScramClient('gw-7', 'pump-station-7');
    await r.connect('other', {
      protocolVersion: 5,
      properties: { authenticationMethod: METHOD, authenticationData: s.first() },
    });
    r.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'PLAIN' } });
    expect(await r.next('CONNACK')).toMatchObject({ cmd: 'connack', reasonCode: 0x82 });
  });

  it('re-authenticates on an open connection: AUTH 0x19 … AUTH 0x00; a failed one ends it with 0x87 [MQTT-4.12.1-2]', async () => {
    const r = await raw();
    expect(await rawScramLogin(r, 'reauth', new ScramClient('gw-7', 'pump-station-7'))).toMatchObject({
      cmd: 'connack',
      reasonCode: 0,
    });
    // [MQTT-4.12.1-1] the client starts with 0x19 and the CONNECT's method.
    const again = new ScramClient('gw-7', 'pump-station-7');
    r.send({
      cmd: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: METHOD, authenticationData: again.first() },
    });
    const challenge = await r.next('AUTH 0x18');
    expect(challenge).toMatchObject({ cmd: 'auth', reasonCode: 0x18 });
    // The connection keeps working during the exchange.
    r.send({ cmd: 'pingreq' });
    expect(await r.next('PINGRESP')).toMatchObject({ cmd: 'pingresp' });
    const data = await again.final(authData(challenge));
    r.send({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: METHOD, authenticationData: data },
    });
    const done = await r.next('AUTH 0x00');
    expect(done).toMatchObject({ cmd: 'auth', reasonCode: 0 });
    expect(again.verify(authData(done))).toBe(true);
    expect(events.at(-1)).toMatchObject({ clientId: 'reauth', ok: true, reauth: true });

    const wrong = new ScramClient('gw-7', 'not-the-password');
    r.send({
      cmd: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: METHOD, authenticationData: wrong.first() },
    });
    const c2 = await r.next('AUTH 0x18');
    r.send({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: {
        authenticationMethod: METHOD,
        authenticationData: await wrong.final(authData(c2)),
      },
    });
    expect(await r.next('DISCONNECT')).toMatchObject({ cmd: 'disconnect', reasonCode: 0x87 });
    await r.waitClosed();
    expect(events.at(-1)).toMatchObject({ clientId: 'reauth', ok: false, reauth: true });
  });

  it('treats AUTH from a client that named no method as a protocol error [MQTT-4.12.0-7]', async () => {
    const r = await raw('plain');
    expect(
      await r.connect('noauth', { protocolVersion: 5, username: 'ops', password: Buffer.from('pw') }),
    ).toMatchObject({ cmd: 'connack', reasonCode: 0 });
    r.send({ cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD } });
    expect(await r.next('DISCONNECT')).toMatchObject({ cmd: 'disconnect', reasonCode: 0x82 });
  });
});
