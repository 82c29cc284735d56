import { silentLogger, systemClock } from '@watershed/common';
import { freePort } from '@watershed/common/testing';
import { SinkPermanentError } from '@watershed/sink-core';
import mqtt, { type MqttClient } from 'mqtt';
import { rmSync } from 'node:fs';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MqttBridgeSinkConfigSchema, type MqttBridgeSinkConfig } from './config.js';
import { MqttBridgeTransport } from './egress-transport.js';
import { MqttBridgeErrors } from './errors.js';
import { startMosquitto, type Mosquitto } from './testing/mosquitto.js';
import { makePki, type Pki } from './testing/pki.js';

let pki: Pki;
let broker: Mosquitto;
let tlsPort: number;
let checker: MqttClient;
const got: { topic: string; payload: string }[] = [];
const open: MqttBridgeTransport[] = [];
const signal = new AbortController().signal;

beforeAll(async () => {
  pki = await makePki('plant7-bridge');
  tlsPort = await freePort();
  // A second listener with mutual TLS: the remote requires our client certificate.
  broker = await startMosquitto({
    extraConf: [
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${pki.ca}`,
      `certfile ${pki.serverCert}`,
      `keyfile ${pki.serverKey}`,
      'require_certificate true',
    ],
  });
  checker = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  checker.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  await checker.subscribeAsync('office/#', { qos: 1 });
}, 30_000);
afterAll(async () => {
  await checker?.endAsync();
  await broker?.close();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function transport(tls: MqttBridgeSinkConfig['tls']): MqttBridgeTransport {
  const config = Value.Default(MqttBridgeSinkConfigSchema, {
    url: `mqtts://127.0.0.1:${tlsPort}`,
    clientId: `tls-${open.length}`,
    connectTimeoutMs: 2000,
    tls,
  }) as MqttBridgeSinkConfig;
  const t = new MqttBridgeTransport(config, { logger: silentLogger(), clock: systemClock });
  open.push(t);
  return t;
}

describe('MqttBridgeTransport over mutual TLS (Mosquitto)', () => {
  it('publishes with the CA and a client certificate', async () => {
    const t = transport({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, rejectUnauthorized: true });
    await t.send([{ topic: 'office/tls', payload: 'over tls' }], signal);
    await expect.poll(() => got).toEqual([{ topic: 'office/tls', payload: 'over tls' }]);
  });

  it('fails to connect, retryably, without a client certificate or with an unknown CA', async () => {
    for (const tls of [
      { ca: pki.ca, rejectUnauthorized: true },
      { ca: pki.clientCert, cert: pki.clientCert, key: pki.clientKey, rejectUnauthorized: true },
    ]) {
      const err = await transport(tls)
        .send([{ topic: 'office/never', payload: 'x' }], signal)
        .catch((e: unknown) => e);
      expect(MqttBridgeErrors.CONNECT_FAILED.is(err), String(err)).toBe(true);
      expect(err).not.toBeInstanceOf(SinkPermanentError);
    }
  });

  it('names a missing TLS file at construction', () => {
    expect(() => transport({ ca: '/nonexistent/ca.pem', rejectUnauthorized: true })).toThrow(
      /cannot read tls.ca file \/nonexistent\/ca.pem/,
    );
  });
});
