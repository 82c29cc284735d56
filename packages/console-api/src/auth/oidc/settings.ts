import { Type, type Static } from 'typebox';

const Role = Type.Union([
  Type.Literal('viewer'),
  Type.Literal('operator'),
  Type.Literal('engineer'),
  Type.Literal('admin'),
]);

/**
 * Console login through an OpenID Connect provider (Keycloak, Azure AD/Entra, Authing, Okta …):
 * the authorization-code flow with PKCE (OIDC Core §3.1, RFC 7636). The provider says who the
 * user is; the role comes from one of its claims through `roles`, so who may operate a plant
 * stays managed where the utility manages its people. The one schema of this config shape: the
 * server config's `console.oidc` is this.
 */
export const OidcSettings = Type.Object(
  {
    issuer: Type.String({
      format: 'uri',
      description: 'the provider’s issuer URL; its /.well-known/openid-configuration is read at first use',
    }),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'confidential client secret (client_secret_basic); omit for a public client',
      }),
    ),
    redirectUri: Type.String({
      format: 'uri',
      description:
        'this console’s callback as registered at the provider: https://<console>/api/v1/auth/oidc/callback',
    }),
    scopes: Type.Array(Type.String({ minLength: 1 }), { default: ['openid', 'profile', 'email'] }),
    usernameClaim: Type.String({
      default: 'preferred_username',
      description: 'the claim that becomes the console user name (falls back to email, then sub)',
    }),
    roleClaim: Type.String({
      default: 'roles',
      description:
        'claim holding the user’s roles or groups: a string or an array of strings (dots for nesting: realm_access.roles)',
    }),
    roles: Type.Record(Type.String(), Role, {
      default: {},
      description: 'claim value → console role; the highest match wins',
    }),
    defaultRole: Type.Optional(
      Type.Union([Role, Type.Literal('none')], {
        description:
          'role of a user none of whose claim values is mapped; "none" (default) refuses the login',
      }),
    ),
    project: Type.String({
      default: '*',
      description: 'project (org/project, or * for installation-wide) the users of this provider belong to',
    }),
    label: Type.String({
      default: 'single sign-on',
      description: 'the login button says "Sign in with <label>"',
    }),
  },
  { additionalProperties: false },
);
export type OidcSettings = Static<typeof OidcSettings>;
