import type { Logger } from '@watershed/common';
import { TOPIC_ROOT } from '@watershed/model';
import type {
  AclRule,
  AuthRequest,
  AuthSource,
  AuthSourceConfig,
  AuthVerdict,
  BrokerConfig,
} from '@watershed/mqtt-broker';
import type { GatewayRepository } from '@watershed/store';

/**
 * What a gateway may do on the broker: everything under its own `ws/v1/{site}/{node}/`
 * (uplink data, mgmt status/metrics/log/ack/write-result, and subscribing to its own mgmt
 * config and write), except publishing the two console → gateway channels itself — a gateway
 * that could publish a retained `mgmt/config` could plant a config for its next start. Nothing
 * outside its prefix: a compromised gateway cannot read or forge another plant's data.
 */
export function gatewayAcl(site: string, node: string): AclRule[] {
  const prefix = `${TOPIC_ROOT}/${site}/${node}`;
  return [
    { permission: 'deny', action: 'publish', topic: `${prefix}/mgmt/config` },
    { permission: 'deny', action: 'publish', topic: `${prefix}/mgmt/write` },
    { permission: 'allow', action: 'all', topic: `${prefix}/#` },
    // '#' does not match '$'-topics [MQTT-4.7.2-1]; $SYS is shut out by its own rule.
    { permission: 'deny', action: 'all', topic: '$SYS/#' },
    { permission: 'deny', action: 'all', topic: '#' },
  ];
}

/** The client ids a gateway may use: the edge runtime's default `edge-{site}-{node}`, or the node id. */
export function gatewayClientIds(site: string, node: string): string[] {
  return [`edge-${site}-${node}`, node];
}

/**
 * The broker authentication source for registered gateways: the username is the node id, the
 * password the secret the console issued (`GatewayRepository.verify`). A username that is not
 * a registered node is left to the listener's next source; for a registered node the answer is
 * decisive, so a wrong secret cannot fall through to, say, a password user of the same name.
 * An admitted gateway carries `gatewayAcl` as its identity's grants, checked before acl[], and
 * must use one of `gatewayClientIds`.
 */
export class GatewayAuthSource implements AuthSource {
  readonly kind = 'gateway';
  readonly #gateways: Pick<GatewayRepository, 'verify' | 'byNode'>;
  readonly #logger: Logger | undefined;

  constructor(gateways: Pick<GatewayRepository, 'verify' | 'byNode'>, logger?: Logger) {
    this.#gateways = gateways;
    this.#logger = logger;
  }

  async authenticate(req: AuthRequest): Promise<AuthVerdict> {
    if (req.username === undefined) return { result: 'ignore' };
    const secret = req.password?.toString('utf8') ?? '';
    const gateway = await this.#gateways.verify(req.username, secret);
    if (gateway) {
      if (!gatewayClientIds(gateway.site, gateway.node).includes(req.clientId)) {
        // A client id is a session: with any id, a gateway could take over (and so disconnect)
        // another client's session [MQTT-3.1.4-2], the console's or another plant's.
        this.#logger?.warn(
          { node: gateway.node, clientId: req.clientId },
          'gateway login with a foreign client id',
        );
        return {
          result: 'deny',
          reason: 'not_authorized',
          detail: `client id ${req.clientId} is not the gateway's`,
        };
      }
      return { result: 'allow', username: gateway.node, acl: gatewayAcl(gateway.site, gateway.node) };
    }
    const known = await this.#gateways.byNode(req.username);
    if (!known) return { result: 'ignore' };
    this.#logger?.warn({ node: known.node, clientId: req.clientId }, 'gateway login refused');
    const detail = known.credentialsRevokedAt !== undefined ? 'gateway credentials revoked' : 'wrong secret';
    return { result: 'deny', reason: 'bad_credentials', detail };
  }
}

/**
 * The broker config with `source` first in every listener's authentication chain. A listener's
 * chain takes ready source instances as well as config entries (`AuthSourceSpec` in the
 * broker's access control); the config type only names the entries a file can hold, hence the
 * one cast. First, because the gateway lookup is one indexed read, while the password source
 * spends a full scrypt on every username it does not know.
 */
export function withGatewayAuth(config: BrokerConfig, source: AuthSource): BrokerConfig {
  const spec = source as unknown as AuthSourceConfig;
  return {
    ...config,
    listeners: config.listeners.map((l) => ({
      ...l,
      auth: { ...l.auth, sources: [spec, ...l.auth.sources] },
    })),
  };
}
