import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayAuthSource, withGatewayAuth } from './gateway-auth.js';

let dir: string;
let store: Store;
let mqtt: RunningBroker;
let url: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-fleet-auth-'));
  store = await openEmbeddedStore({ dir, logger: silentLogger() });
  const config = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      listeners: [
        // The listener default allows: the gateway's own grants must be what confines it.
        { name: 'plants', type: 'tcp', host: '127.0.0.1', port: 0, acl: { default: 'allow' } },
      ],
    },
    label: 'test',
  });
  mqtt = await startBroker(withGatewayAuth(config, new GatewayAuthSource(store.metadata.gateways)));
  url = `mqtt://127.0.0.1:${mqtt.listeners[0]!.port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await mqtt?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function login(username: string, password: string, clientId = username): Promise<MqttClient> {
  const c = await connectAsync(url, { reconnectPeriod: 0, username, password, clientId, protocolVersion: 5 });
  clients.push(c);
  return c;
}

describe('gateway credentials on the broker', () => {
  it('admits a registered gateway with its secret and confines it to ws/v1/{site}/{node}/#', async () => {
    const { secret } = await store.metadata.gateways.create({
      project: 'city/north',
      site: 'north',
      node: 'gw1',
      name: 'North',
    });
    const { secret: otherSecret } = await store.metadata.gateways.create({
      project: 'city/north',
      site: 'north',
      node: 'gw2',
      name: 'North 2',
    });
    const gw = await login('gw1', secret);
    const spy = await login('gw2', otherSecret);
    const seen: string[] = [];
    spy.on('message', (t) => seen.push(t));
    // gw2 may read its own namespace only: gw1's data is not its business.
    const [own] = await spy.subscribeAsync('ws/v1/north/gw2/#', { qos: 1 });
    expect(own?.qos).toBe(1);
    // SUBACK 0x87 Not authorized [MQTT-3.9.3], which mqtt.js turns into a rejection.
    await expect(spy.subscribeAsync('ws/v1/north/gw1/#', { qos: 1 })).rejects.toThrow(/Not authorized/);
    await expect(spy.subscribeAsync('#', { qos: 1 })).rejects.toThrow(/Not authorized/);

    await gw.publishAsync('ws/v1/north/gw1/g/data', '{}', { qos: 1 }); // its own: accepted
    // PUBACK 0x87 Not authorized [MQTT-3.4.2.1], a rejection in mqtt.js.
    await expect(gw.publishAsync('ws/v1/north/gw2/g/data', '{}', { qos: 1 })).rejects.toThrow(
      /Not authorized/,
    );
    // The console → gateway channels are the console's, even in its own namespace.
    await expect(
      gw.publishAsync('ws/v1/north/gw1/mgmt/config', '{}', { qos: 1, retain: true }),
    ).rejects.toThrow(/Not authorized/);
    await expect(gw.publishAsync('ws/v1/north/gw2/mgmt/ack', '{}', { qos: 1 })).rejects.toThrow(
      /Not authorized/,
    );
    await spy.publishAsync('ws/v1/north/gw2/mgmt/status', '{}', { qos: 1 });
    await waitFor(() => seen.includes('ws/v1/north/gw2/mgmt/status'));
    expect(seen).toEqual(['ws/v1/north/gw2/mgmt/status']);
  });

  it('refuses a wrong secret, a rotated-away or revoked one, and leaves unknown usernames to the next source', async () => {
    const { gateway, secret } = await store.metadata.gateways.create({
      project: 'city/north',
      site: 'north',
      node: 'gw3',
      name: 'North 3',
    });
    await expect(login('gw3', 'wsg_wrong')).rejects.toThrow(/Bad User Name or Password/i);
    const rotated = await store.metadata.gateways.rotate(gateway.id);
    await expect(login('gw3', secret)).rejects.toThrow(/Bad User Name or Password/i);
    await (await login('gw3', rotated.secret)).endAsync();
    await store.metadata.gateways.revoke(gateway.id);
    await expect(login('gw3', rotated.secret)).rejects.toThrow(/Bad User Name or Password/i);
    const reissue = await store.metadata.gateways.rotate(gateway.id);
    // The right secret under another client's id: refused, so no session can be taken over.
    await expect(login('gw3', reissue.secret, 'rule-engine')).rejects.toThrow(/Not authorized/i);
    await expect(login('gw3', reissue.secret, 'edge-north-gw1')).rejects.toThrow(/Not authorized/i);
    await (await login('gw3', reissue.secret, 'edge-north-gw3')).endAsync();
    // Not a gateway: the password source (no such user) and then the chain refuse it.
    await expect(login('stranger', 'x')).rejects.toThrow(/Bad User Name or Password/i);
  });
});
