import type { Logger } from '@watershed/common';
import type { Gateway, GatewayRepository, Store } from '@watershed/store';

/** What ending a gateway's live MQTT connection needs of the broker (BrokerAdmin). */
export interface GatewayDisconnector {
  /** Closes every connection logged in as `username` (MQTT 5: DISCONNECT 0x87 with `reason`). */
  disconnectUser(username: string, reason: string): string[];
}

/**
 * The gateway repository with the broker's side of a credential change: when the console
 * revokes or rotates a gateway's secret, or deletes the gateway, its live MQTT connection is
 * closed at once (MQTT 5: DISCONNECT 0x87 Not authorized, with a reason string), instead of
 * lingering on credentials that no longer exist until its next reconnect. A gateway logs in as
 * its node id (GatewayAuthSource), so its connections are the ones of that username.
 *
 * After a rotation the gateway reconnects with the new secret once it has it (pushed by the
 * operator or re-provisioned); until then its reconnects are refused with 0x86, as a revoked
 * gateway's are. The store's change is made first: if it fails, nobody is disconnected.
 */
export function kickOnRevoke(
  gateways: GatewayRepository,
  broker: GatewayDisconnector,
  logger?: Logger,
): GatewayRepository {
  const end = (gateway: Pick<Gateway, 'node'>, why: string): void => {
    const kicked = broker.disconnectUser(gateway.node, `gateway credentials ${why}`);
    if (kicked.length > 0) logger?.info({ node: gateway.node, clients: kicked, why }, 'gateway disconnected');
  };
  return {
    create: (input) => gateways.create(input),
    get: (id) => gateways.get(id),
    byNode: (node) => gateways.byNode(node),
    list: (filter) => gateways.list(filter),
    verify: (node, secret) => gateways.verify(node, secret),
    async rotate(id) {
      const issued = await gateways.rotate(id);
      end(issued.gateway, 'rotated');
      return issued;
    },
    async revoke(id) {
      const gateway = await gateways.revoke(id);
      end(gateway, 'revoked');
      return gateway;
    },
    async delete(id) {
      const gateway = await gateways.get(id);
      await gateways.delete(id);
      if (gateway) end(gateway, 'deleted');
    },
  };
}

/**
 * `store` as the console sees it, with `gateways` in place of its gateway repository (e.g.
 * `kickOnRevoke`'s); everything else is the store itself, methods bound to it so its private
 * state stays reachable. Nothing is copied: it lives exactly as long as `store`.
 */
export function withGatewayRepository(store: Store, gateways: GatewayRepository): Store {
  const metadata = new Proxy(store.metadata, {
    get: (target, key) => (key === 'gateways' ? gateways : (Reflect.get(target, key, target) as unknown)),
  });
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'metadata') return metadata;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
