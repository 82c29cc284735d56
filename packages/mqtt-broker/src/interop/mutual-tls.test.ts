import mqtt from 'mqtt';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CN, startInteropBroker, type InteropBroker } from './interop-broker.js';

let b: InteropBroker;
beforeAll(async () => {
  b = await startInteropBroker();
}, 60_000);
afterAll(async () => {
  await b?.close();
});

describe('mutual TLS over secure WebSocket', () => {
  it('takes the client certificate CN as the username (ACL %u applies to it)', async () => {
    const connected = new Promise<string | undefined>((resolve) => {
      const off = b.running.broker.on('client_connected', (c) => {
        off();
        resolve(c.username);
      });
    });
    const client = await mqtt.connectAsync(`wss://127.0.0.1:${b.port('mwss')}/mqtt`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      ca: readFileSync(b.pki.caFile),
      cert: readFileSync(b.pki.clientCertFile),
      key: readFileSync(b.pki.clientKeyFile),
    });
    try {
      expect(await connected).toBe(CLIENT_CN);
      const routed: string[] = [];
      const off = b.running.broker.subscribe('plants/#', (m) => routed.push(m.topic));
      await client.publishAsync(`plants/${CLIENT_CN}/level`, '3.2', { qos: 1 });
      const denied = b.running.access.stats().publishDenied;
      // MQTT 5 PUBACK 0x87 for the other plant's topic: mqtt.js reports it as a failed publish.
      await expect(client.publishAsync('plants/other/level', '3.2', { qos: 1 })).rejects.toThrow();
      off();
      expect(routed).toEqual([`plants/${CLIENT_CN}/level`]);
      expect(b.running.access.stats().publishDenied).toBe(denied + 1);
    } finally {
      await client.endAsync();
    }
  });

  it('refuses a wss client without a certificate at the TLS handshake', async () => {
    await expect(
      mqtt.connectAsync(`wss://127.0.0.1:${b.port('mwss')}/mqtt`, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ca: readFileSync(b.pki.caFile),
      }),
    ).rejects.toThrow();
  });
});
