/**
 * Configuration schema of the `opcua` driver module. It validates a device's settings when a
 * config is applied and feeds the console's forms; defaults live here, next to their meaning.
 */
import { Type, type Static } from 'typebox';

const ms = (def: number, description: string, minimum = 10) =>
  Type.Optional(Type.Integer({ minimum, maximum: 3_600_000, default: def, description }));

/** Part 4 §7.15 MessageSecurityMode (Invalid is not a choice). */
export const SecurityMode = Type.Union(
  [Type.Literal('None'), Type.Literal('Sign'), Type.Literal('SignAndEncrypt')],
  { default: 'None' },
);
export type SecurityMode = Static<typeof SecurityMode>;

/** Security policies of Part 7 §6.6 that node-opcua implements, by their URI fragment. */
export const SecurityPolicy = Type.Union(
  [
    Type.Literal('None'),
    Type.Literal('Basic128Rsa15'),
    Type.Literal('Basic256'),
    Type.Literal('Basic256Sha256'),
    Type.Literal('Aes128_Sha256_RsaOaep'),
    Type.Literal('Aes256_Sha256_RsaPss'),
  ],
  { default: 'None', description: 'Basic256Sha256 or an Aes policy for Sign/SignAndEncrypt' },
);
export type SecurityPolicy = Static<typeof SecurityPolicy>;

/** Part 4 §7.36 user identity tokens: anonymous, user name + password, or an X.509 certificate. */
export const UserAuth = Type.Union(
  [
    Type.Object({ type: Type.Literal('anonymous') }, { additionalProperties: false }),
    Type.Object(
      {
        type: Type.Literal('username'),
        username: Type.String({ minLength: 1 }),
        password: Type.String(),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('certificate'),
        certificateFile: Type.String({ minLength: 1, description: 'user certificate, PEM' }),
        privateKeyFile: Type.String({ minLength: 1, description: 'its private key, PEM' }),
      },
      { additionalProperties: false },
    ),
  ],
  { default: { type: 'anonymous' } },
);
export type UserAuth = Static<typeof UserAuth>;

export const OpcuaConfig = Type.Object(
  {
    endpointUrl: Type.String({
      pattern: '^opc\\.tcp://',
      description: 'server endpoint, e.g. opc.tcp://plc1:4840',
    }),
    securityMode: Type.Optional(SecurityMode),
    securityPolicy: Type.Optional(SecurityPolicy),
    auth: Type.Optional(UserAuth),
    pkiDir: Type.Optional(
      Type.String({
        minLength: 1,
        default: 'data/pki/opcua',
        description:
          'folder of the client certificate store (own/, trusted/, rejected/); created on first use',
      }),
    ),
    acceptUnknownServerCertificate: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'trust a server certificate not yet in trusted/ (commissioning only); otherwise it lands in rejected/',
      }),
    ),
    applicationName: Type.Optional(Type.String({ minLength: 1, default: 'Watershed Edge' })),
    sessionTimeoutMs: ms(60_000, 'requested session timeout (Part 4 §5.6.2)', 1000),
    requestTimeoutMs: ms(10_000, 'timeout of one service request', 100),
    backoffMinMs: ms(500, 'first reconnect delay'),
    backoffMaxMs: ms(30_000, 'reconnect delay cap'),
    maxNodesPerRead: Type.Optional(
      Type.Integer({
        minimum: 0,
        default: 0,
        description: 'cap on nodes per Read call; 0 = the server’s OperationLimits (or 1000)',
      }),
    ),
    samplingIntervalMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3_600_000,
        default: 1000,
        description: 'default sampling/publishing interval of monitored items',
      }),
    ),
    queueSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    browseRoot: Type.Optional(
      Type.String({ minLength: 1, default: 'i=85', description: 'NodeId browse() starts from (Objects)' }),
    ),
    browseMaxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 6 })),
    browseMaxNodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 5000 })),
  },
  { additionalProperties: false },
);
export type OpcuaConfig = Static<typeof OpcuaConfig>;

/** The config with every default applied, as the driver uses it. */
export type ResolvedOpcuaConfig = Required<Omit<OpcuaConfig, 'auth'>> & { auth: UserAuth };

/**
 * The config with defaults applied. Security mode and policy go together (Part 7 §6.6): mode
 * None takes policy None; Sign or SignAndEncrypt without a policy (or with None) takes
 * Basic256Sha256, the policy every current server offers.
 */
export function resolveConfig(c: OpcuaConfig): ResolvedOpcuaConfig {
  const backoffMinMs = c.backoffMinMs ?? 500;
  const securityMode = c.securityMode ?? 'None';
  const securityPolicy =
    securityMode === 'None'
      ? 'None'
      : c.securityPolicy === undefined || c.securityPolicy === 'None'
        ? 'Basic256Sha256'
        : c.securityPolicy;
  return {
    endpointUrl: c.endpointUrl,
    securityMode,
    securityPolicy,
    auth: c.auth ?? { type: 'anonymous' },
    pkiDir: c.pkiDir ?? 'data/pki/opcua',
    acceptUnknownServerCertificate: c.acceptUnknownServerCertificate ?? false,
    applicationName: c.applicationName ?? 'Watershed Edge',
    sessionTimeoutMs: c.sessionTimeoutMs ?? 60_000,
    requestTimeoutMs: c.requestTimeoutMs ?? 10_000,
    backoffMinMs,
    backoffMaxMs: Math.max(c.backoffMaxMs ?? 30_000, backoffMinMs),
    maxNodesPerRead: c.maxNodesPerRead ?? 0,
    samplingIntervalMs: c.samplingIntervalMs ?? 1000,
    queueSize: c.queueSize ?? 1,
    browseRoot: c.browseRoot ?? 'i=85',
    browseMaxDepth: c.browseMaxDepth ?? 6,
    browseMaxNodes: c.browseMaxNodes ?? 5000,
  };
}
