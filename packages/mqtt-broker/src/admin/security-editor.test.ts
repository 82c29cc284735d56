import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { loadBrokerConfig } from '../config/load.js';
import { startBroker, type RunningBroker } from '../configured-broker.js';
import { Inbox } from '../test-harness.js';

const FAST = { N: 1024, r: 8, p: 1 };

/** The SUBACK's return codes, whether mqtt.js resolves (3.1.1) or rejects (5.0 failure) on them. */
async function subackCodes(client: MqttClient, filter: string): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
  } catch (err) {
    const packet = (err as { packet?: { granted?: number[] } }).packet;
    if (packet?.granted === undefined) throw err;
    return packet.granted;
  }
}

/**
 * Runtime users and ACL rules on a broker started from a config (password source, ACL default
 * deny, a file user and a file rule), with persistence, driven by mqtt.js clients.
 */
describe('runtime users and ACL rules', () => {
  let dir: string;
  let running: RunningBroker;
  let url: string;
  const clients: MqttClient[] = [];

  const start = async (): Promise<void> => {
    const config = loadBrokerConfig({
      value: {
        sysIntervalMs: 0,
        persistence: { enabled: true, dir },
        users: [{ username: 'file-user', passwordHash: await hashPassword('pw', FAST), roles: ['ops'] }],
        acl: [{ permission: 'allow', action: 'all', topic: 'plant/#', who: { role: 'ops' } }],
        listeners: [{ name: 'mqtt', type: 'tcp', host: '127.0.0.1', port: 0, acl: { default: 'deny' } }],
      },
    });
    running = await startBroker(config, { hashParams: FAST });
    url = `mqtt://127.0.0.1:${running.listeners[0]!.port}`;
  };
  const connect = async (opts: IClientOptions): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(c);
    return c;
  };
  const refusal = async (opts: IClientOptions): Promise<unknown> => {
    const err = await connect(opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    return err;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-broker-security-'));
    await start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a user added at runtime connects at once; deleted, its next CONNECT is refused (0x86 / 4)', async () => {
    const { security } = running;
    const login = { username: 'meter-7', password: 's3cret-pw' };
    await refusal({ clientId: 'm7', protocolVersion: 5, ...login });

    const view = await security.createUser({ ...login, roles: ['ops'] });
    expect(view).toMatchObject({
      username: 'meter-7',
      source: 'runtime',
      passwordScheme: 'scrypt',
      scram: true,
    });
    expect(JSON.stringify(security.users())).not.toContain('s3cret-pw');
    const v5 = await connect({ clientId: 'm7', protocolVersion: 5, ...login });
    const v4 = await connect({ clientId: 'm7-v4', protocolVersion: 4, ...login });
    // Its role takes the file's rule: plant/# is open to it.
    await expect(v5.publishAsync('plant/a', 'x', { qos: 1 })).resolves.toBeDefined();

    security.deleteUser('meter-7');
    expect(await refusal({ clientId: 'm7b', protocolVersion: 5, ...login })).toMatchObject({ code: 0x86 });
    expect(await refusal({ clientId: 'm7c', protocolVersion: 4, ...login })).toMatchObject({ code: 4 });
    // Connections made before the delete stay until they reconnect (see SecurityEditor).
    expect(v4.connected).toBe(true);
  });

  it('a changed password takes over from the old one; file users are read-only and names stay unique', async () => {
    const { security } = running;
    await security.createUser({ username: 'u1', password: 'old-password' });
    const { before, after } = await security.updateUser('u1', { password: 'new-password', roles: ['ops'] });
    expect(before.roles).toEqual([]);
    expect(after.roles).toEqual(['ops']);
    expect(
      await refusal({ clientId: 'a', protocolVersion: 5, username: 'u1', password: 'old-password' }),
    ).toMatchObject({
      code: 0x86,
    });
    await connect({ clientId: 'b', protocolVersion: 5, username: 'u1', password: 'new-password' });

    await expect(security.createUser({ username: 'u1', password: 'x' })).rejects.toMatchObject({
      code: 'WS_ERR_MQTT_ADMIN_USER_EXISTS',
    });
    await expect(security.createUser({ username: 'file-user', password: 'x' })).rejects.toMatchObject({
      code: 'WS_ERR_MQTT_ADMIN_USER_EXISTS',
    });
    expect(() => security.deleteUser('file-user')).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_ADMIN_READ_ONLY' }),
    );
    expect(() => security.deleteUser('nobody')).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_ADMIN_USER_NOT_FOUND' }),
    );
    await expect(security.createUser({ username: 'bad\u0000name', password: 'x' })).rejects.toMatchObject({
      code: 'WS_ERR_MQTT_ADMIN_USER_INVALID',
    });
  });

  it('a deny rule added at runtime refuses the live session’s next PUBLISH (PUBACK 0x87) and SUBSCRIBE (0x87 / 0x80); earlier subscriptions are kept', async () => {
    const { security } = running;
    await security.createUser({ username: 'op', password: 'op-password', roles: ['ops'] });
    const v5 = await connect({
      clientId: 'op5',
      protocolVersion: 5,
      username: 'op',
      password: 'op-password',
    });
    const v4 = await connect({
      clientId: 'op4',
      protocolVersion: 4,
      username: 'op',
      password: 'op-password',
    });
    const inbox = new Inbox(v4);
    await v4.subscribeAsync('plant/secret/#', { qos: 1 });
    await expect(v5.publishAsync('plant/secret/x', 'before', { qos: 1 })).resolves.toBeDefined();
    expect((await inbox.next('the message before the rule')).payload.toString()).toBe('before');

    // Runtime rules come before the file's: this deny wins over the file's allow plant/#.
    const rule = security.createRule({ permission: 'deny', action: 'all', topic: 'plant/secret/#' });
    expect(security.rules().map((r) => [r.source, r.topic])).toEqual([
      ['runtime', 'plant/secret/#'],
      ['file', 'plant/#'],
    ]);

    await expect(v5.publishAsync('plant/secret/x', 'after', { qos: 1 })).rejects.toMatchObject({
      code: 0x87,
    });
    expect(await subackCodes(v5, 'plant/secret/y')).toEqual([0x87]);
    expect(await subackCodes(v4, 'plant/secret/z')).toEqual([0x80]);
    // The subscription made before the rule stays (EMQX's choice): a broker-side publish reaches it.
    running.broker.publish({ topic: 'plant/secret/x', payload: 'kept', qos: 1 });
    expect((await inbox.next('delivery to the earlier subscription')).payload.toString()).toBe('kept');

    security.deleteRule(rule.id);
    await expect(v5.publishAsync('plant/secret/x', 'again', { qos: 1 })).resolves.toBeDefined();
  });

  it('orders rules by position, moves them, validates topic filters and placeholders, and refuses to edit file rules', () => {
    const { security } = running;
    const a = security.createRule({ permission: 'allow', action: 'publish', topic: 'ws/v1/+/%u/#' });
    const b = security.createRule({ permission: 'deny', action: 'subscribe', topic: '$SYS/#', position: 0 });
    const c = security.createRule({
      permission: 'allow',
      action: 'all',
      topic: 'c/%c',
      who: { username: 'x' },
    });
    expect(security.rules().map((r) => r.id)).toEqual([b.id, a.id, c.id, 'file-0']);
    const moved = security.updateRule(c.id, { position: 0 });
    expect(moved.before.index).toBe(2);
    expect(moved.after).toMatchObject({ index: 0, topic: 'c/%c', who: { username: 'x' } });
    security.updateRule(a.id, { permission: 'deny' });
    expect(security.rules().map((r) => [r.id, r.permission])).toEqual([
      [c.id, 'allow'],
      [b.id, 'deny'],
      [a.id, 'deny'],
      ['file-0', 'allow'],
    ]);

    const invalid = expect.objectContaining({ code: 'WS_ERR_MQTT_ADMIN_ACL_RULE_INVALID' });
    for (const topic of ['a/#/b', 'a/b+', '', 'x/%U', '$share/g/a', 'a\u0000b'])
      expect(() => security.createRule({ permission: 'deny', action: 'all', topic }), topic).toThrow(invalid);
    expect(() =>
      security.createRule({ permission: 'deny', action: 'all', topic: 'a', who: { ipCidr: '10.0.0.0/99' } }),
    ).toThrow(invalid);
    expect(() => security.createRule({ permission: 'deny', action: 'all', topic: 'a', position: 9 })).toThrow(
      invalid,
    );
    expect(() => security.updateRule(a.id, { topic: 'a/#/b' })).toThrow(invalid);
    expect(() => security.updateRule('file-0', { permission: 'deny' })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_ADMIN_READ_ONLY' }),
    );
    expect(() => security.deleteRule('nope')).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MQTT_ADMIN_ACL_RULE_NOT_FOUND' }),
    );
    expect(security.rules()).toHaveLength(4);
  });

  it('keeps runtime users and rules across a restart (the state file), beside the file’s', async () => {
    await running.security.createUser({ username: 'kept', password: 'kept-password', roles: ['ops'] });
    const rule = running.security.createRule({ permission: 'deny', action: 'publish', topic: 'plant/off' });
    await running.close();
    await start();
    expect(running.security.persistent).toBe(true);
    expect(running.security.users().map((u) => [u.username, u.source])).toEqual([
      ['file-user', 'file'],
      ['kept', 'runtime'],
    ]);
    expect(running.security.rules().map((r) => r.id)).toEqual([rule.id, 'file-0']);
    const c = await connect({
      clientId: 'k',
      protocolVersion: 5,
      username: 'kept',
      password: 'kept-password',
    });
    await expect(c.publishAsync('plant/off', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(c.publishAsync('plant/on', 'x', { qos: 1 })).resolves.toBeDefined();
  });
});
