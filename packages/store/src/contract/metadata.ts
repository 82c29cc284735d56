import { describe, expect, it } from 'vitest';
import type { RuleInput } from '../metadata/types.js';
import { describeAuditContract } from './metadata-audit.js';
import { describeGatewaysContract } from './metadata-gateways.js';
import { describeAlarmsContract } from './metadata-alarms.js';
import { describeSitesContract } from './metadata-sites.js';
import type { ContractContext } from './fixtures.js';

function rule(id: string, extra: Partial<RuleInput> = {}): RuleInput {
  return {
    id,
    project: 'north',
    name: `rule ${id}`,
    enabled: true,
    definition: { when: { point: 'north.p1.fast.level', op: '>', value: 4.5 }, then: [{ notify: 'ops' }] },
    ...extra,
  };
}

/** The metadata part of the store: rules, edge configs, users, API keys, audit. */
export function describeMetadataContract(ctx: ContractContext): void {
  describe('metadata: rules', () => {
    it('creates, gets, lists by project and enabled, and keeps the definition JSON exactly', async () => {
      const rules = ctx.store.metadata.rules;
      const created = await rules.put(rule('r2'));
      await rules.put(rule('r1', { enabled: false }));
      await rules.put(rule('r3', { project: 'south', definition: [1, 'two', null, { deep: [true] }] }));
      expect(created).toMatchObject({ ...rule('r2'), revision: 1 });
      expect(created.updatedAt).toBe(created.createdAt);
      expect(await rules.get('r2')).toEqual(created);
      expect(await rules.get('nope')).toBeUndefined();
      expect((await rules.list()).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
      expect((await rules.list({ project: 'north' })).map((r) => r.id)).toEqual(['r1', 'r2']);
      expect((await rules.list({ enabled: false })).map((r) => r.id)).toEqual(['r1']);
      expect((await rules.get('r3'))?.definition).toEqual([1, 'two', null, { deep: [true] }]);
    });

    it('updates only from the current revision and says which revision is current', async () => {
      const rules = ctx.store.metadata.rules;
      await rules.put(rule('r1'));
      const v2 = await rules.put(rule('r1', { definition: { v: 2 } }), 1);
      expect(v2).toMatchObject({ revision: 2, definition: { v: 2 } });
      await expect(rules.put(rule('r1', { definition: { v: 'stale' } }), 1)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_REVISION_CONFLICT',
        status: 409,
        details: { revision: 2 },
      });
      expect((await rules.get('r1'))?.definition).toEqual({ v: 2 });
      await expect(rules.put(rule('ghost'), 1)).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
    });

    it('refuses a second rule with the same id, or the same name in one project', async () => {
      const rules = ctx.store.metadata.rules;
      await rules.put(rule('r1', { name: 'high level' }));
      await expect(rules.put(rule('r1', { name: 'other' }))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_DUPLICATE',
      });
      await expect(rules.put(rule('r2', { name: 'high level' }))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_DUPLICATE',
      });
      await rules.put(rule('r3', { name: 'high level', project: 'south' }));
      expect((await rules.list()).map((r) => r.id)).toEqual(['r1', 'r3']);
    });

    it('enables, disables and deletes under the same revision check', async () => {
      const rules = ctx.store.metadata.rules;
      await rules.put(rule('r1'));
      expect(await rules.setEnabled('r1', false, 1)).toMatchObject({ enabled: false, revision: 2 });
      await expect(rules.setEnabled('r1', true, 1)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_REVISION_CONFLICT',
      });
      expect(await rules.setEnabled('r1', true)).toMatchObject({ enabled: true, revision: 3 });
      await expect(rules.delete('r1', 2)).rejects.toMatchObject({ code: 'WS_ERR_STORE_REVISION_CONFLICT' });
      await rules.delete('r1', 3);
      expect(await rules.get('r1')).toBeUndefined();
      await expect(rules.delete('r1')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
      await expect(rules.setEnabled('r1', true)).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
    });

    it('keeps rules across a restart', async () => {
      await ctx.store.metadata.rules.put(rule('r1'));
      const store = await ctx.reopen();
      expect(await store.metadata.rules.get('r1')).toMatchObject({ ...rule('r1'), revision: 1 });
    });
  });

  describe('metadata: edge configs', () => {
    const cfg = (node: string, version: number, config: unknown = { poll: version }) => ({
      node,
      project: 'north',
      version,
      config: config as never,
      checksum: `sha256:${node}-${version}`,
      author: 'alice',
    });

    it('appends versions per node, lists newest first, gets one and the latest', async () => {
      const configs = ctx.store.metadata.edgeConfigs;
      expect(await configs.latest('edge1')).toBeUndefined();
      await configs.append(cfg('edge1', 1));
      await configs.append(cfg('edge1', 2, { drivers: [{ id: 'm1', kind: 'modbus' }] }));
      await configs.append(cfg('edge2', 7));
      expect((await configs.list('edge1')).map((v) => v.version)).toEqual([2, 1]);
      expect(await configs.get('edge1', 2)).toMatchObject({
        ...cfg('edge1', 2, { drivers: [{ id: 'm1', kind: 'modbus' }] }),
      });
      expect((await configs.get('edge1', 2))?.ack).toBeUndefined();
      expect(await configs.get('edge1', 3)).toBeUndefined();
      expect((await configs.latest('edge1'))?.version).toBe(2);
      expect((await configs.latest('edge2'))?.version).toBe(7);
    });

    it('refuses a version the node already has, and versions that are not positive integers', async () => {
      const configs = ctx.store.metadata.edgeConfigs;
      await configs.append(cfg('edge1', 1));
      await expect(configs.append(cfg('edge1', 1, { other: true }))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_DUPLICATE',
      });
      await expect(configs.append(cfg('edge1', 0))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await expect(configs.append(cfg('edge1', 1.5))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      expect((await configs.get('edge1', 1))?.config).toEqual({ poll: 1 });
    });

    it('records the edge acknowledgement, the last one winning', async () => {
      const configs = ctx.store.metadata.edgeConfigs;
      await configs.append(cfg('edge1', 1));
      const failed = await configs.setAck('edge1', 1, { ok: false, detail: 'driver m1: bad address' });
      expect(failed.ack).toMatchObject({ ok: false, detail: 'driver m1: bad address' });
      expect(typeof failed.ack?.at).toBe('number');
      await configs.setAck('edge1', 1, { ok: true });
      expect((await configs.get('edge1', 1))?.ack).toEqual({ ok: true, at: expect.any(Number) as number });
      await expect(configs.setAck('edge1', 9, { ok: true })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_NOT_FOUND',
      });
    });
  });

  describe('metadata: users', () => {
    const alice = { project: 'north', name: 'alice', passwordHash: 'scrypt$a', role: 'admin' };

    it('creates with defaults, gets by id and name, lists by project ordered by name', async () => {
      const users = ctx.store.metadata.users;
      const a = await users.create(alice);
      await users.create({ project: 'south', name: 'carol', passwordHash: 'scrypt$c', role: 'viewer' });
      await users.create({ ...alice, name: 'bob', mustChangePassword: true, disabled: true });
      expect(a).toMatchObject({ ...alice, mustChangePassword: false, disabled: false, revision: 1 });
      expect(typeof a.id).toBe('string');
      expect(await users.get(a.id)).toEqual(a);
      expect(await users.byName('alice')).toEqual(a);
      expect(await users.byName('nobody')).toBeUndefined();
      expect((await users.list()).map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
      expect(await users.list({ project: 'north' })).toMatchObject([
        { name: 'alice' },
        { name: 'bob', mustChangePassword: true, disabled: true },
      ]);
    });

    it('refuses a taken name', async () => {
      await ctx.store.metadata.users.create(alice);
      await expect(ctx.store.metadata.users.create({ ...alice, project: 'south' })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_DUPLICATE',
      });
    });

    it('updates the fields given, keeps the others, and checks the revision when given', async () => {
      const users = ctx.store.metadata.users;
      const a = await users.create({ ...alice, mustChangePassword: true });
      const b = await users.update(a.id, { passwordHash: 'scrypt$new', mustChangePassword: false });
      expect(b).toMatchObject({
        ...alice,
        passwordHash: 'scrypt$new',
        mustChangePassword: false,
        revision: 2,
      });
      expect(
        await users.update(a.id, { role: 'operator', disabled: true, project: 'south' }, 2),
      ).toMatchObject({
        passwordHash: 'scrypt$new',
        role: 'operator',
        disabled: true,
        project: 'south',
        revision: 3,
      });
      await expect(users.update(a.id, { role: 'admin' }, 2)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_REVISION_CONFLICT',
      });
      await expect(users.update('nobody', { role: 'admin' })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_NOT_FOUND',
      });
    });
  });

  describe('metadata: sessions', () => {
    it('verifies the token given at creation until it is revoked; no other token', async () => {
      const sessions = ctx.store.metadata.sessions;
      const { session, token } = await sessions.create({ userId: 'u1', ttlMs: 3_600_000, from: '192.0.2.1' });
      expect(session).toMatchObject({ userId: 'u1', from: '192.0.2.1' });
      expect(session.expiresAt - session.createdAt).toBe(3_600_000);
      expect(token.startsWith(`wss_${session.id}_`)).toBe(true);
      expect(await sessions.verify(token)).toEqual(session);
      expect(await sessions.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
      expect(await sessions.verify(token.replace('wss_', 'wsk_'))).toBeUndefined();
      const revoked = await sessions.revoke(session.id);
      expect(typeof revoked.revokedAt).toBe('number');
      expect(await sessions.verify(token)).toBeUndefined();
      await expect(sessions.revoke('nope')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
      await expect(sessions.create({ userId: 'u1', ttlMs: 0 })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
    });

    it("ends every live session of a user at once, and lists a user's sessions", async () => {
      const sessions = ctx.store.metadata.sessions;
      const a = await sessions.create({ userId: 'u1', ttlMs: 60_000 });
      const b = await sessions.create({ userId: 'u1', ttlMs: 60_000 });
      const other = await sessions.create({ userId: 'u2', ttlMs: 60_000 });
      await sessions.revoke(a.session.id);
      expect(await sessions.revokeAll('u1')).toBe(1);
      expect(await sessions.verify(b.token)).toBeUndefined();
      expect(await sessions.verify(other.token)).toBeDefined();
      expect((await sessions.list('u1')).map((s) => s.id).sort()).toEqual(
        [a.session.id, b.session.id].sort(),
      );
      expect((await sessions.list('u1')).every((s) => s.revokedAt !== undefined)).toBe(true);
    });

    it('prunes the sessions that ended before a time, and keeps the live ones', async () => {
      const sessions = ctx.store.metadata.sessions;
      const revoked = await sessions.create({ userId: 'p1', ttlMs: 3_600_000 });
      const live = await sessions.create({ userId: 'p1', ttlMs: 3_600_000 });
      const short = await sessions.create({ userId: 'p2', ttlMs: 1000 });
      await sessions.revoke(revoked.session.id);
      const t0 = revoked.session.createdAt;
      // Half an hour on: the revoked one and the 1 s one have ended, the hour-long one has not.
      expect(await sessions.prune(t0 + 1_800_000)).toBe(2);
      expect((await sessions.list('p1')).map((s) => s.id)).toEqual([live.session.id]);
      expect(await sessions.list('p2')).toEqual([]);
      expect(await sessions.verify(live.token)).toBeDefined();
      expect(await sessions.prune(t0 + 1_800_000)).toBe(0);
      expect(short.session.expiresAt).toBeLessThan(t0 + 1_800_000);
    });
  });

  describe('metadata: API keys', () => {
    const input = { project: 'north', name: 'scada bridge', role: 'operator', createdBy: 'alice' };

    it('verifies the key shown at creation, and no other', async () => {
      const keys = ctx.store.metadata.apiKeys;
      const { apiKey, key } = await keys.create(input);
      expect(apiKey).toMatchObject(input);
      expect(key.startsWith(`wsk_${apiKey.prefix}_`)).toBe(true);
      expect(await keys.verify(key)).toEqual(apiKey);
      const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      expect(await keys.verify(forged)).toBeUndefined();
      expect(await keys.verify('wsk_000000000000_' + 'x'.repeat(43))).toBeUndefined();
      expect(await keys.verify('not a key')).toBeUndefined();
    });

    it('never stores the secret, only its hash', async () => {
      const { key } = await ctx.store.metadata.apiKeys.create(input);
      const listed = JSON.stringify(await ctx.store.metadata.apiKeys.list());
      // wsk_<prefix>_<secret>: the secret is base64url and may itself contain '_'.
      const secret = key.split('_').slice(2).join('_');
      expect(secret.length).toBeGreaterThanOrEqual(20);
      expect(listed).not.toContain(secret);
    });

    it('stops verifying a revoked or expired key; lists all, by project', async () => {
      const keys = ctx.store.metadata.apiKeys;
      const live = await keys.create(input);
      const revoked = await keys.create({ ...input, name: 'old' });
      const expired = await keys.create({ ...input, project: 'south', expiresAt: Date.now() - 1 });
      const later = await keys.create({ ...input, project: 'south', expiresAt: Date.now() + 3_600_000 });
      const r = await keys.revoke(revoked.apiKey.id);
      expect(typeof r.revokedAt).toBe('number');
      expect((await keys.revoke(revoked.apiKey.id)).revokedAt).toBe(r.revokedAt);
      expect(await keys.verify(revoked.key)).toBeUndefined();
      expect(await keys.verify(expired.key)).toBeUndefined();
      expect(await keys.verify(live.key)).toBeDefined();
      expect(await keys.verify(later.key)).toBeDefined();
      expect((await keys.list()).map((k) => k.id).sort()).toEqual(
        [live, revoked, expired, later].map((k) => k.apiKey.id).sort(),
      );
      expect((await keys.list({ project: 'south' })).map((k) => k.id).sort()).toEqual(
        [expired, later].map((k) => k.apiKey.id).sort(),
      );
      await expect(keys.revoke('nope')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
    });
  });

  describeAuditContract(ctx);
  describeSitesContract(ctx);
  describeGatewaysContract(ctx);
  describeAlarmsContract(ctx);

  describe('metadata: lifecycle', () => {
    it('rejects metadata calls after close with WS_ERR_CLOSED', async () => {
      await ctx.store.close();
      await expect(ctx.store.metadata.rules.list()).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
      await expect(
        ctx.store.metadata.audit.append({ actor: 'a', action: 'x', resource: 'y' }),
      ).rejects.toMatchObject({
        code: 'WS_ERR_CLOSED',
      });
    });
  });
}
