import { describe, expect, it } from 'vitest';
import type { GatewayInput } from '../metadata/gateway-types.js';
import type { ContractContext } from './fixtures.js';

const gw = (node: string, extra: Partial<GatewayInput> = {}): GatewayInput => ({
  project: 'city/north',
  site: 'north',
  node,
  name: `Gateway ${node}`,
  ...extra,
});

/** Registered edge gateways: one per node, MQTT secret issued once and stored as a hash only. */
export function describeGatewaysContract(ctx: ContractContext): void {
  describe('metadata: gateways', () => {
    it('registers a gateway with a secret shown once, gets it by id and node, lists by project', async () => {
      const { gateways } = ctx.store.metadata;
      const a = await gateways.create(gw('plc2'));
      await gateways.create(gw('plc1'));
      await gateways.create(gw('rtu9', { project: 'city/south', site: 'south' }));
      expect(a.gateway).toMatchObject({ ...gw('plc2'), credentialsIssuedAt: a.gateway.createdAt });
      expect(a.gateway.credentialsRevokedAt).toBeUndefined();
      expect(a.secret).toMatch(/^wsg_[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(a.gateway)).not.toContain(a.secret.slice(4));
      expect(await gateways.get(a.gateway.id)).toEqual(a.gateway);
      expect(await gateways.byNode('plc2')).toEqual(a.gateway);
      expect(await gateways.get('nope')).toBeUndefined();
      expect(await gateways.byNode('nope')).toBeUndefined();
      expect((await gateways.list()).map((g) => g.node)).toEqual(['plc1', 'plc2', 'rtu9']);
      expect((await gateways.list({ project: 'city/north' })).map((g) => g.node)).toEqual(['plc1', 'plc2']);
    });

    it('refuses a second gateway for the same node, in any project', async () => {
      const { gateways } = ctx.store.metadata;
      await gateways.create(gw('plc1'));
      await expect(gateways.create(gw('plc1', { project: 'other', name: 'x' }))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_DUPLICATE',
      });
    });

    it('verifies only the live secret of the right node; rotation and revocation end the old one', async () => {
      const { gateways } = ctx.store.metadata;
      const { gateway, secret } = await gateways.create(gw('plc1'));
      const other = await gateways.create(gw('plc2'));
      expect(await gateways.verify('plc1', secret)).toEqual(gateway);
      expect(await gateways.verify('plc2', secret)).toBeUndefined();
      expect(await gateways.verify('plc1', other.secret)).toBeUndefined();
      expect(await gateways.verify('ghost', secret)).toBeUndefined();
      expect(await gateways.verify('plc1', `${secret}x`)).toBeUndefined();

      const rotated = await gateways.rotate(gateway.id);
      expect(rotated.secret).not.toBe(secret);
      expect(rotated.gateway.credentialsIssuedAt).toBeGreaterThanOrEqual(gateway.credentialsIssuedAt);
      expect(await gateways.verify('plc1', secret)).toBeUndefined();
      expect(await gateways.verify('plc1', rotated.secret)).toMatchObject({ id: gateway.id });

      const revoked = await gateways.revoke(gateway.id);
      expect(revoked.credentialsRevokedAt).toBeGreaterThan(0);
      expect((await gateways.revoke(gateway.id)).credentialsRevokedAt).toBe(revoked.credentialsRevokedAt);
      expect(await gateways.verify('plc1', rotated.secret)).toBeUndefined();
      // A rotation after a revocation issues working credentials again.
      const reissued = await gateways.rotate(gateway.id);
      expect(reissued.gateway.credentialsRevokedAt).toBeUndefined();
      expect(await gateways.verify('plc1', reissued.secret)).toMatchObject({ id: gateway.id });
    });

    it('deletes a gateway, keeps it through a reopen, and says NOT_FOUND for unknown ids', async () => {
      const { gateways } = ctx.store.metadata;
      const kept = await gateways.create(gw('plc1'));
      const gone = await gateways.create(gw('plc2'));
      await gateways.delete(gone.gateway.id);
      expect(await gateways.get(gone.gateway.id)).toBeUndefined();
      expect(await gateways.verify('plc2', gone.secret)).toBeUndefined();
      await expect(gateways.delete(gone.gateway.id)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_NOT_FOUND',
      });
      await expect(gateways.rotate('nope')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
      await expect(gateways.revoke('nope')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
      const reopened = await ctx.reopen();
      expect(await reopened.metadata.gateways.verify('plc1', kept.secret)).toEqual(kept.gateway);
      // The node is free again once its gateway is gone.
      await reopened.metadata.gateways.create(gw('plc2'));
    });
  });
}
