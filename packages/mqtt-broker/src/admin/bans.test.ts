import { FakeClock } from '@watershed/common/testing';
import type { IDisconnectPacket } from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessControl } from '../auth/access-control.js';
import { openSqlitePersistence } from '../persistence/sqlite-persistence.js';
import { MqttBroker } from '../broker.js';
import { RawClient, startHarness, type Harness } from '../test-harness.js';
import { BrokerAdmin } from './broker-admin.js';
import { AdminErrors } from './errors.js';

describe('operator bans', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(
    opts: Parameters<typeof startHarness>[0] = {},
  ): Promise<{ h: Harness; admin: BrokerAdmin }> {
    const h = await startHarness(opts);
    const admin = new BrokerAdmin(h.broker);
    cleanup.push(
      () => h.close(),
      () => admin.close(),
    );
    return { h, admin };
  }

  it('refuses a banned client id at CONNECT: MQTT 5 CONNACK 0x8A Banned, MQTT 3.1.1 return code 5', async () => {
    const { h, admin } = await start();
    const { ban } = admin.ban({ clientId: 'rogue', reason: 'tampered meter', createdBy: 'ops@example' });
    expect(ban).toMatchObject({ source: 'operator', clientId: 'rogue', createdBy: 'ops@example' });

    const v5 = await h.raw();
    expect(await v5.connect('rogue', { protocolVersion: 5 })).toMatchObject({
      cmd: 'connack',
      reasonCode: 0x8a,
    });
    await v5.waitClosed();
    // MQTT 3.1.1 has no "banned" return code; 5 (not authorised) is the closest [MQTT-3.2.2-5].
    const v4 = await h.raw();
    expect(await v4.connect('rogue')).toMatchObject({ cmd: 'connack', returnCode: 5 });
    await v4.waitClosed();
    const other = await h.raw();
    expect(await other.connect('honest')).toMatchObject({ cmd: 'connack', returnCode: 0 });

    admin.unban(ban.id);
    const back = await h.raw();
    expect(await back.connect('rogue')).toMatchObject({ cmd: 'connack', returnCode: 0 });
    expect(() => admin.unban(ban.id)).toThrow(
      expect.objectContaining({ code: AdminErrors.BAN_NOT_FOUND.code }),
    );
  });

  it('bans by username before authentication runs, and checks the authenticated name too', async () => {
    let authentications = 0;
    const { h, admin } = await start({
      authenticate: (c) => {
        authentications++;
        // The password source's answer may rename the client (a certificate CN, a JWT subject).
        return { ok: true, username: c.username === 'alias' ? 'mallory' : c.username };
      },
    });
    admin.ban({ username: 'mallory' });
    const direct = await h.raw();
    expect(await direct.connect('c1', { protocolVersion: 5, username: 'mallory' })).toMatchObject({
      reasonCode: 0x8a,
    });
    expect(authentications).toBe(0);
    const renamed = await h.raw();
    expect(await renamed.connect('c2', { protocolVersion: 5, username: 'alias' })).toMatchObject({
      reasonCode: 0x8a,
    });
    expect(authentications).toBe(1);
  });

  it('kicks live connections a new peer ban covers (MQTT 5: DISCONNECT 0x98) and refuses them afterwards', async () => {
    const { h, admin } = await start();
    const v5 = await h.connect({ clientId: 'field-1', protocolVersion: 5 });
    const v4 = await h.connect({ clientId: 'field-2' });
    const disconnect = new Promise<IDisconnectPacket>((resolve) => v5.once('disconnect', resolve));
    const closed = new Promise<void>((resolve) => v4.once('close', () => resolve()));

    const { kicked } = admin.ban({ peer: '127.0.0.0/8', reason: 'site cut off' });
    expect(kicked.sort()).toEqual(['field-1', 'field-2']);
    expect((await disconnect).reasonCode).toBe(0x98);
    await closed;
    expect(admin.clients().total).toBe(0);

    const raw = await h.raw();
    expect(await raw.connect('field-3', { protocolVersion: 5 })).toMatchObject({ reasonCode: 0x8a });
    await expect(h.connect({ clientId: 'field-4', protocolVersion: 5 })).rejects.toMatchObject({
      code: 0x8a,
    });
  });

  it('lets a ban expire on the broker clock', async () => {
    const clock = new FakeClock();
    const { h, admin } = await start({ clock });
    admin.ban({ clientId: 'rogue', until: clock.now() + 60_000 });
    const first = await h.raw();
    expect(await first.connect('rogue')).toMatchObject({ returnCode: 5 });
    await clock.advance(60_000);
    const later = await h.raw();
    expect(await later.connect('rogue')).toMatchObject({ returnCode: 0 });
    expect(admin.bans()).toEqual([]);
  });

  it('refuses malformed bans with the reason', async () => {
    const { admin } = await start();
    const invalid = expect.objectContaining({ code: AdminErrors.BAN_INVALID.code });
    expect(() => admin.ban({ reason: 'who?' })).toThrow(invalid);
    expect(() => admin.ban({ peer: '10.0.0.0/33' })).toThrow(invalid);
    expect(() => admin.ban({ peer: 'plant-3' })).toThrow(invalid);
    expect(() => admin.ban({ clientId: 'x', until: 0 })).toThrow(invalid);
  });

  it('lists config and flapping bans of AccessControl beside the operator bans, read-only', async () => {
    const clock = new FakeClock();
    const access = new AccessControl({ clock, bans: [{ ip: '198.51.100.0/24', reason: 'config' }] });
    const h = await startHarness({ clock, authenticate: access.authenticate });
    const admin = new BrokerAdmin(h.broker, { otherBans: access.bans });
    cleanup.push(
      () => h.close(),
      () => admin.close(),
      () => access.close(),
    );
    admin.ban({ username: 'u' });
    expect(admin.bans().map((b) => [b.source, b.username ?? b.peer])).toEqual([
      ['operator', 'u'],
      ['config', '198.51.100.0/24'],
    ]);
    expect(() => admin.unban('config-0')).toThrow(
      expect.objectContaining({ code: AdminErrors.BAN_NOT_FOUND.code }),
    );
    expect(admin.stats().current.bans).toBe(2);
  });

  it('keeps operator bans in the broker state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-bans-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'mqtt-broker.db');

    const run = async () => {
      const broker = new MqttBroker({ sysIntervalMs: 0, persistence: openSqlitePersistence({ file }) });
      const { port } = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
      return { broker, port };
    };
    const first = await run();
    const admin1 = new BrokerAdmin(first.broker);
    const { ban } = admin1.ban({ clientId: 'rogue', reason: 'kept' });
    admin1.close();
    await first.broker.close();

    const second = await run();
    const admin2 = new BrokerAdmin(second.broker);
    const raw = await RawClient.open(second.port);
    cleanup.push(
      () => second.broker.close(),
      () => admin2.close(),
      () => raw.destroy(),
    );
    expect(admin2.bans()).toEqual([ban]);
    expect(await raw.connect('rogue', { protocolVersion: 5 })).toMatchObject({ reasonCode: 0x8a });
    admin2.unban(ban.id);
    expect(admin2.bans()).toEqual([]);
  });
});
