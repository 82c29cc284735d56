import mqtt from 'mqtt';
import { generate } from 'mqtt-packet';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MqttBroker } from './broker.js';
import { Inbox, until } from './test-harness.js';
import type { Listener } from './types.js';

let broker: MqttBroker;
const clients: mqtt.MqttClient[] = [];
beforeEach(() => {
  broker = new MqttBroker();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker.close();
});

async function client(url: string, opts: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.push(c);
  return c;
}

describe('WebSocket listener (MQTT 5.0 §6)', () => {
  it.each([4, 5] as const)('carries MQTT %i between WebSocket and TCP clients', async (protocolVersion) => {
    const ws = await broker.listenWs({ host: '127.0.0.1', port: 0 });
    const tcp = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
    const browser = await client(`ws://127.0.0.1:${ws.port}/mqtt`, { protocolVersion });
    const inbox = new Inbox(browser);
    await browser.subscribeAsync('ws/#', { qos: 1 });
    const device = await client(`mqtt://127.0.0.1:${tcp.port}`, { protocolVersion });
    await device.publishAsync('ws/x', Buffer.alloc(100_000, 7), { qos: 1 }); // spans many frames/chunks
    const m = await inbox.next();
    expect([m.topic, m.payload.length]).toEqual(['ws/x', 100_000]);
    await browser.publishAsync('ws/back', 'b', { qos: 1 });
    expect((await inbox.next()).topic).toBe('ws/back');
  });

  it('selects the mqtt subprotocol and reassembles packets split across frames', async () => {
    const listener = await broker.listenWs({ host: '127.0.0.1', port: 0, path: '/mqtt' });
    const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/mqtt`, ['mqtt']);
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(ws.protocol).toBe('mqtt');
    const connect = generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 0,
      clientId: 'frames',
    });
    ws.send(connect.subarray(0, 5));
    ws.send(connect.subarray(5));
    // two packets in one frame
    ws.send(Buffer.concat([generate({ cmd: 'pingreq' }), generate({ cmd: 'pingreq' })]));
    await until(() => Buffer.concat(frames).length >= 4 + 2 + 2, 'CONNACK and two PINGRESPs');
    expect([...Buffer.concat(frames)]).toEqual([0x20, 2, 0, 0, 0xd0, 0, 0xd0, 0]);
    ws.close();
  });

  it('answers plain HTTP with 426 and keeps serving', async () => {
    const listener = await broker.listenWs({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`http://127.0.0.1:${listener.port}/mqtt`);
    expect(res.status).toBe(426);
    await res.body?.cancel();
    await client(`ws://127.0.0.1:${listener.port}/mqtt`);
  });
});

describe('TLS listeners', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  beforeAll(async () => {
    // A throwaway self-signed certificate for localhost/127.0.0.1, made with the openssl CLI.
    dir = await mkdtemp(join(tmpdir(), 'ws-broker-tls-'));
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    key = await readFile(join(dir, 'key.pem'));
    cert = await readFile(join(dir, 'cert.pem'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves mqtts:// to a client that trusts the certificate and refuses one that does not', async () => {
    const listener: Listener = await broker.listenTls({ host: '127.0.0.1', port: 0, key, cert });
    const trusted = await client(`mqtts://127.0.0.1:${listener.port}`, { ca: cert, protocolVersion: 5 });
    const inbox = new Inbox(trusted);
    await trusted.subscribeAsync('tls/#', { qos: 1 });
    await trusted.publishAsync('tls/a', 'secure', { qos: 1 });
    expect((await inbox.next()).payload.toString()).toBe('secure');
    await expect(client(`mqtts://127.0.0.1:${listener.port}`, { rejectUnauthorized: true })).rejects.toThrow(
      /self.signed|certificate/i,
    );
    expect(broker.stats().clients).toBe(1);
  });

  it('serves wss://', async () => {
    const listener = await broker.listenWs({ host: '127.0.0.1', port: 0, tls: { key, cert } });
    const c = await client(`wss://127.0.0.1:${listener.port}/mqtt`, { ca: cert });
    const inbox = new Inbox(c);
    await c.subscribeAsync('x', { qos: 0 });
    broker.publish({ topic: 'x', payload: 'over wss' });
    expect((await inbox.next()).payload.toString()).toBe('over wss');
  });
});
