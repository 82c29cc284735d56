import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { BrokerAdmin, loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import { openEmbeddedStore, type GatewayRepository, type Store } from '@watershed/store';
import mqtt, { type IDisconnectPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayAuthSource, withGatewayAuth } from '../fleet/gateway-auth.js';
import { kickOnRevoke, withGatewayRepository } from './gateway-revocation.js';

/**
 * A registered gateway connected to the real broker through GatewayAuthSource, its credentials
 * then changed through the repository the console is given: the live connection ends at once.
 */
describe('kick on gateway revoke', () => {
  let dir: string;
  let store: Store;
  let running: RunningBroker;
  let admin: BrokerAdmin;
  let gateways: GatewayRepository;
  let url: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-gateway-revoke-'));
    store = await openEmbeddedStore({ dir, logger: silentLogger() });
    const config = loadBrokerConfig({
      value: { sysIntervalMs: 0, listeners: [{ name: 'plants', type: 'tcp', host: '127.0.0.1', port: 0 }] },
      label: 'test',
    });
    running = await startBroker(withGatewayAuth(config, new GatewayAuthSource(store.metadata.gateways)));
    admin = new BrokerAdmin(running.broker);
    // What the console gets: the store with the kicking repository in place of its own.
    gateways = withGatewayRepository(store, kickOnRevoke(store.metadata.gateways, admin)).metadata.gateways;
    url = `mqtt://127.0.0.1:${running.listeners[0]!.port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    admin?.close();
    await running?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async (node: string, password: string, protocolVersion: 4 | 5 = 5): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url, {
      clientId: `edge-north-${node}`,
      username: node,
      password,
      protocolVersion,
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };
  const closed = (c: MqttClient): Promise<void> => new Promise((resolve) => c.once('close', () => resolve()));
  const disconnected = (c: MqttClient): Promise<IDisconnectPacket> =>
    new Promise((resolve) => c.once('disconnect', resolve));

  it('revoking closes the live MQTT 5 connection with DISCONNECT 0x87 and a reason string; the reconnect is refused', async () => {
    const { gateway, secret } = await gateways.create({
      project: 'p',
      site: 'north',
      node: 'gw1',
      name: 'GW 1',
    });
    const gw = await login('gw1', secret);
    const bye = disconnected(gw);
    await gateways.revoke(gateway.id);
    const packet = await bye;
    expect(packet.reasonCode).toBe(0x87);
    expect(packet.properties?.reasonString).toBe('gateway credentials revoked');
    await expect(login('gw1', secret)).rejects.toMatchObject({ code: 0x86 });
    expect(admin.clients().total).toBe(0);
  });

  it('rotating ends the connection on the old secret (3.1.1: the socket is closed); the new secret logs in', async () => {
    const { gateway, secret } = await gateways.create({
      project: 'p',
      site: 'north',
      node: 'gw2',
      name: 'GW 2',
    });
    const bystander = await login(
      'gw3',
      (await gateways.create({ project: 'p', site: 'north', node: 'gw3', name: 'GW 3' })).secret,
    );
    const gw = await login('gw2', secret, 4);
    const end = closed(gw);
    const { secret: fresh } = await gateways.rotate(gateway.id);
    await end;
    await expect(login('gw2', secret)).rejects.toMatchObject({ code: 0x86 });
    await login('gw2', fresh);
    // Only the gateway whose credentials changed was touched.
    expect(bystander.connected).toBe(true);
  });

  it('deleting the gateway ends its connection too; other store calls pass through', async () => {
    const { gateway, secret } = await gateways.create({
      project: 'p',
      site: 'north',
      node: 'gw4',
      name: 'GW 4',
    });
    const gw = await login('gw4', secret);
    const bye = disconnected(gw);
    await gateways.delete(gateway.id);
    expect((await bye).properties?.reasonString).toBe('gateway credentials deleted');
    expect(await gateways.get(gateway.id)).toBeUndefined();
    expect((await gateways.list()).map((g) => g.node)).toEqual(['gw1', 'gw2', 'gw3']);
  });
});
