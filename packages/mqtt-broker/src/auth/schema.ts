import { Type, type Static } from 'typebox';

/**
 * Config schemas of the authentication sources a listener chains (`listeners[].auth.sources`).
 * The strings "password" and "certificate" stay valid shorthands for the object forms with
 * their defaults. Placeholders in claims and HTTP bodies follow EMQX 5: `${clientid}`,
 * `${username}`, `${password}`, `${peerhost}`, `${listener}`, `${cert_common_name}`.
 */

export const PasswordSourceConfig = Type.Object(
  { type: Type.Literal('password') },
  {
    additionalProperties: false,
    description:
      'users[]: a known username with the right password is allowed, a wrong password denied; unknown users are left to the next source',
  },
);

export const CertificateSourceConfig = Type.Object(
  {
    type: Type.Literal('certificate'),
    usernameFrom: Type.Union(
      [Type.Literal('cn'), Type.Literal('dns'), Type.Literal('email'), Type.Literal('uri')],
      {
        default: 'cn',
        description:
          'which part of the verified client certificate becomes the username: the subject CN or the first subjectAltName entry of that type',
      },
    ),
  },
  {
    additionalProperties: false,
    description: 'mutual TLS: the verified client certificate names the client',
  },
);

export const JwtSourceConfig = Type.Object(
  {
    type: Type.Literal('jwt'),
    from: Type.Union([Type.Literal('password'), Type.Literal('username')], {
      default: 'password',
      description: 'the CONNECT field that carries the token',
    }),
    secret: Type.Optional(Type.String({ minLength: 1, description: 'HMAC key (HS256/384/512)' })),
    secretBase64: Type.Boolean({ default: false, description: 'secret is base64-encoded bytes' }),
    publicKeyFile: Type.Optional(
      Type.String({ description: 'PEM public key or certificate (RS*, PS*, ES*, EdDSA)' }),
    ),
    jwksUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: 'JWKS endpoint; keys are cached and refetched for an unknown kid',
      }),
    ),
    jwks: Type.Object(
      {
        cacheMaxAgeS: Type.Number({
          exclusiveMinimum: 0,
          default: 300,
          description: 'refetch keys older than this',
        }),
        minRefetchIntervalS: Type.Number({
          minimum: 0,
          default: 30,
          description: 'at most one fetch per this interval, however many unknown kids arrive',
        }),
        timeoutMs: Type.Integer({ minimum: 1, default: 5000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    algorithms: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'accepted "alg" values; default: those the key allows',
      }),
    ),
    issuer: Type.Optional(Type.String({ description: 'required "iss"' })),
    audience: Type.Optional(Type.String({ description: 'required "aud" (one of)' })),
    clockSkewS: Type.Number({ minimum: 0, default: 30, description: 'tolerance for exp and nbf' }),
    requireExpiry: Type.Boolean({ default: true, description: 'refuse tokens without "exp"' }),
    verifyClaims: Type.Record(Type.String(), Type.String(), {
      default: {},
      description: 'claims that must equal these values after placeholders, e.g. { sub: "${username}" }',
    }),
    aclClaim: Type.String({
      default: 'acl',
      description: 'claim with the client ACL: [{permission, action, topic}] or {pub, sub, all} lists',
    }),
    superuserClaim: Type.Optional(Type.String({ description: 'a boolean claim that lifts every ACL check' })),
    disconnectOnExpiry: Type.Boolean({
      default: true,
      description: 'close the connection when the token expires',
    }),
  },
  { additionalProperties: false, description: 'a JSON Web Token (RFC 7519) verified with jose' },
);

export const HttpSourceConfig = Type.Object(
  {
    type: Type.Literal('http'),
    url: Type.String({ pattern: '^https?://' }),
    headers: Type.Record(Type.String(), Type.String(), { default: {} }),
    body: Type.Record(Type.String(), Type.String(), {
      default: { clientid: '${clientid}', username: '${username}', password: '${password}' },
      description: 'JSON body template; values may hold placeholders',
    }),
    timeoutMs: Type.Integer({ minimum: 1, default: 5000 }),
    onError: Type.Union([Type.Literal('ignore'), Type.Literal('deny')], {
      default: 'ignore',
      description: 'answer when the service times out, fails or answers 4xx/5xx',
    }),
    maxConcurrent: Type.Integer({
      minimum: 1,
      default: 32,
      description: 'requests in flight at most; the rest wait',
    }),
  },
  {
    additionalProperties: false,
    description:
      'POST to a service that answers {"result": "allow"|"deny"|"ignore", "is_superuser": bool} (EMQX HTTP authenticator)',
  },
);

export const AuthSourceConfig = Type.Union([
  Type.Literal('password'),
  Type.Literal('certificate'),
  PasswordSourceConfig,
  CertificateSourceConfig,
  JwtSourceConfig,
  HttpSourceConfig,
]);

export type PasswordSourceConfig = Static<typeof PasswordSourceConfig>;
export type CertificateSourceConfig = Static<typeof CertificateSourceConfig>;
export type JwtSourceConfig = Static<typeof JwtSourceConfig>;
export type HttpSourceConfig = Static<typeof HttpSourceConfig>;
export type AuthSourceConfig = Static<typeof AuthSourceConfig>;
