import type { ProjectFilter } from './types.js';

/**
 * Edge gateways registered with the console (issue 8, "Edge fleet"). A gateway is one edge
 * node of one site; it logs in to the broker with its node id as the MQTT username and a secret
 * the store issued. Only a hash of the secret is stored: the secret is returned once, when it is
 * issued (registration, rotation), and cannot be read back.
 */
export interface GatewayInput {
  project: string;
  /** The site the node belongs to: the `{site}` of its topics. */
  site: string;
  /** The edge node id: the `{node}` of its topics and its MQTT username; unique across the installation. */
  node: string;
  /** A human name, e.g. "North plant PLC gateway". */
  name: string;
}

export interface Gateway extends GatewayInput {
  id: string;
  createdAt: number;
  /** When the current secret was issued. */
  credentialsIssuedAt: number;
  /** Set once the secret was revoked: the gateway cannot log in until a rotation issues a new one. */
  credentialsRevokedAt?: number;
}

/** A gateway and its freshly issued MQTT secret: the only time the secret is seen. */
export interface IssuedGateway {
  gateway: Gateway;
  secret: string;
}

export interface GatewayRepository {
  /** Registers a gateway and issues its first secret; WS_ERR_STORE_DUPLICATE if the node is taken. */
  create(input: GatewayInput): Promise<IssuedGateway>;
  get(id: string): Promise<Gateway | undefined>;
  byNode(node: string): Promise<Gateway | undefined>;
  /** Ordered by node. */
  list(filter?: ProjectFilter): Promise<Gateway[]>;
  /** Issues a new secret; the previous one stops verifying at once. NOT_FOUND if missing. */
  rotate(id: string): Promise<IssuedGateway>;
  /** Revokes the current secret (revoking twice keeps the first time). NOT_FOUND if missing. */
  revoke(id: string): Promise<Gateway>;
  /** Removes the gateway; its config versions stay (they are history). NOT_FOUND if missing. */
  delete(id: string): Promise<void>;
  /** The gateway whose node is `node` if `secret` is its live secret; else undefined. */
  verify(node: string, secret: string): Promise<Gateway | undefined>;
}
