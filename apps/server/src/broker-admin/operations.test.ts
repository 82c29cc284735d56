import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@watershed/common/testing';
import { hashPassword, loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import mqtt, { type IDisconnectPacket, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrokerOperations, type BrokerAdminOperations } from './operations.js';

/**
 * The console's broker operations over the real broker the server starts (startBroker from a
 * config with a named listener, persistence and a config ban), driven by mqtt.js clients.
 */
describe('broker operations over the running broker', () => {
  let dir: string;
  let running: RunningBroker | undefined;
  let ops: BrokerAdminOperations;
  let close: (() => void) | undefined;
  let url: string;
  const clients: MqttClient[] = [];

  const start = async (): Promise<void> => {
    const config = loadBrokerConfig({
      value: {
        sysIntervalMs: 0,
        persistence: { enabled: true, dir },
        banned: [{ ip: '198.51.100.0/24' }],
        users: [
          {
            username: 'gw',
            passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }),
            roles: ['gateway'],
          },
        ],
        acl: [{ permission: 'allow', action: 'all', topic: '#' }],
        listeners: [
          { name: 'plants', type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } },
        ],
      },
    });
    running = await startBroker(config, { hashParams: { N: 1024, r: 8, p: 1 } });
    ({ operations: ops, close } = openBrokerOperations(running, { config }));
    url = `mqtt://127.0.0.1:${running.listeners[0]!.port}`;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    close?.();
    await running?.close();
  };
  const connect = async (clientId: string, protocolVersion: 4 | 5 = 5): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url, { clientId, protocolVersion, reconnectPeriod: 0 });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-broker-ops-'));
    await start();
  });
  afterEach(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists clients, subscriptions and listeners, and kicks with DISCONNECT 0x98; unknown clients are undefined', async () => {
    const pump = await connect('plant-1/pump-1');
    await pump.subscribeAsync('ws/v1/plant-1/#', { qos: 1 });
    await connect('plant-1/meter-1', 4);
    expect(ops.clients({ q: 'pump' }).items).toEqual([
      expect.objectContaining({
        clientId: 'plant-1/pump-1',
        listener: 'plants',
        protocolVersion: 5,
        subscriptions: 1,
      }),
    ]);
    expect(ops.client('plant-1/pump-1')?.subscriptionList).toEqual([
      expect.objectContaining({ filter: 'ws/v1/plant-1/#', qos: 1 }),
    ]);
    expect(ops.listeners()).toEqual([
      expect.objectContaining({ name: 'plants', type: 'tcp', connections: 2 }),
    ]);
    expect(ops.subscriptions({}).total).toBe(1);
    // The v5 client sent CONNECT and SUBSCRIBE, the v4 one only CONNECT: more bytes in, first.
    const busiest = ops.clients({ sort: 'bytesIn' }).items;
    expect(busiest.map((c) => c.clientId)).toEqual(['plant-1/pump-1', 'plant-1/meter-1']);
    expect(busiest[0]).toMatchObject({ packetsIn: 2, packetsOut: 2 });

    const disconnect = new Promise<IDisconnectPacket>((resolve) => pump.once('disconnect', resolve));
    expect(ops.kick('plant-1/pump-1', { discardSession: false })).toMatchObject({
      clientId: 'plant-1/pump-1',
    });
    expect((await disconnect).reasonCode).toBe(0x98);
    expect(ops.kick('plant-1/pump-1', { discardSession: false })).toBeUndefined();
    expect(ops.client('plant-1/pump-1')).toBeUndefined();
  });

  it('lists and deletes retained messages; a bad filter keeps the broker error (400)', async () => {
    const gw = await connect('gw');
    await gw.publishAsync('ws/v1/plant-1/gw/status', 'online', { qos: 1, retain: true });
    expect(ops.retained({ topic: 'ws/v1/+/gw/#' }).items).toEqual([
      expect.objectContaining({ topic: 'ws/v1/plant-1/gw/status', preview: 'online', clientId: 'gw' }),
    ]);
    expect(() => ops.retained({ topic: 'ws/#/x' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(ops.deleteRetained('ws/v1/plant-1/gw/status')).toMatchObject({ size: 6 });
    expect(ops.deleteRetained('ws/v1/plant-1/gw/status')).toBeUndefined();
    expect(ops.retained({}).total).toBe(0);
  });

  it('bans beside the config bans, kicks the client at once, refuses it with 0x8A, and keeps the ban over a restart', async () => {
    await connect('rogue');
    const { ban, kicked } = ops.ban({ clientId: 'rogue', reason: 'tampering', createdBy: 'apikey:ops' });
    expect(kicked).toEqual(['rogue']);
    expect(ops.bans().map((b) => [b.source, b.clientId ?? b.peer])).toEqual([
      ['operator', 'rogue'],
      ['config', '198.51.100.0/24'],
    ]);
    await expect(
      mqtt.connectAsync(url, { clientId: 'rogue', protocolVersion: 5, reconnectPeriod: 0 }),
    ).rejects.toMatchObject({
      code: 0x8a,
    });
    expect(() => ops.ban({ peer: 'plant-3', createdBy: 'x' })).toThrow(
      expect.objectContaining({ status: 400 }),
    );

    await stop();
    await start();
    expect(ops.bans()[0]).toEqual(ban);
    await expect(mqtt.connectAsync(url, { clientId: 'rogue', reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/i,
    );
    expect(ops.unban(ban.id)).toEqual(ban);
    expect(ops.unban(ban.id)).toBeUndefined();
    expect(ops.unban('config-0')).toBeUndefined();
    await connect('rogue');
  });

  it('lists the file users and ACL read-only, and edits runtime ones that act on the live broker', async () => {
    expect(ops.security()).toEqual({
      users: [{ username: 'gw', source: 'file', passwordScheme: 'scrypt', scram: false, roles: ['gateway'] }],
      acl: [
        { index: 0, id: 'file-0', source: 'file', permission: 'allow', action: 'all', topic: '#', who: {} },
      ],
      listeners: [
        {
          listener: 'plants',
          allowAnonymous: true,
          sources: ['password'],
          enhanced: [],
          aclDefault: 'allow',
        },
      ],
      editable: true,
      persistent: true,
    });
    await ops.createUser({ username: 'meter', password: 'meter-pw' });
    const meter = await mqtt.connectAsync(url, {
      clientId: 'meter-1',
      username: 'meter',
      password: 'meter-pw',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(meter);
    const rule = ops.createAclRule({
      permission: 'deny',
      action: 'publish',
      topic: 'meters/%u/#',
      position: 0,
    });
    await expect(meter.publishAsync('meters/meter/x', '1', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    expect(ops.updateAclRule(rule.id, { topic: 'other/#' })?.after).toMatchObject({ topic: 'other/#' });
    await meter.publishAsync('meters/meter/x', '1', { qos: 1 });

    // Not-found is undefined; config-file entries keep the broker's 409.
    expect(await ops.updateUser('nobody', { roles: [] })).toBeUndefined();
    expect(ops.deleteUser('nobody')).toBeUndefined();
    expect(ops.deleteAclRule('nope')).toBeUndefined();
    expect(() => ops.deleteUser('gw')).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => ops.deleteAclRule('file-0')).toThrow(expect.objectContaining({ status: 409 }));
    expect(ops.deleteUser('meter')).toMatchObject({ username: 'meter', source: 'runtime' });
    expect(ops.deleteAclRule(rule.id)).toMatchObject({ id: rule.id });
  });

  it('reports counters and a per-second history for charts', async () => {
    const a = await connect('a');
    for (let i = 0; i < 10; i++) await a.publishAsync('ws/v1/x', String(i), { qos: 1 });
    const sample = await waitFor(() => ops.stats().history.find((s) => s.messagesIn > 0), {
      timeoutMs: 5000,
      message: 'a history sample with traffic',
    });
    expect(sample).toMatchObject({ clients: 1 });
    expect(ops.stats().current).toMatchObject({ clients: 1, messagesIn: 10, bans: 1 });
  });
});
