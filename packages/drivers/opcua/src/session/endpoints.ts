/**
 * Endpoint discovery (GetEndpoints, Part 4 §5.4.4): what the server offers, and whether it
 * offers what the config asks for — a security mode, a policy and a user token type — so a
 * mismatch is reported as such instead of as an opaque channel or session failure.
 */
import { MessageSecurityMode, UserTokenType, type EndpointDescription } from 'node-opcua-client';
import type { SecurityMode, SecurityPolicy, UserAuth } from '../config.js';

export interface EndpointSummary {
  readonly url: string;
  readonly securityMode: string;
  readonly securityPolicy: string;
  readonly userTokens: readonly string[];
}

const TOKEN_FOR: Record<UserAuth['type'], UserTokenType> = {
  anonymous: UserTokenType.Anonymous,
  username: UserTokenType.UserName,
  certificate: UserTokenType.Certificate,
};

export function summarize(endpoints: readonly EndpointDescription[]): EndpointSummary[] {
  return endpoints.map((e) => ({
    url: e.endpointUrl ?? '',
    securityMode: MessageSecurityMode[e.securityMode] ?? String(e.securityMode),
    securityPolicy: (e.securityPolicyUri ?? '').split('#').pop() ?? '',
    userTokens: (e.userIdentityTokens ?? []).map((t) => UserTokenType[t.tokenType] ?? String(t.tokenType)),
  }));
}

/** Undefined when an endpoint fits; otherwise why not, for the error message. */
export function mismatch(
  offered: readonly EndpointSummary[],
  mode: SecurityMode,
  policy: SecurityPolicy,
  auth: UserAuth,
): string | undefined {
  const secure = offered.filter((e) => e.securityMode === mode && e.securityPolicy === policy);
  if (secure.length === 0) return 'security';
  const token = UserTokenType[TOKEN_FOR[auth.type]];
  if (!secure.some((e) => e.userTokens.includes(token))) return `user token ${token}`;
  return undefined;
}

export function describeOffered(offered: readonly EndpointSummary[]): string {
  return (
    offered.map((e) => `${e.securityMode}/${e.securityPolicy} [${e.userTokens.join(',')}]`).join('; ') ||
    'nothing'
  );
}
