import type { Role } from '../access.js';
import type { OidcSettings } from './settings.js';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, engineer: 2, admin: 3 };

/** A claim by path: `realm_access.roles` reads `claims.realm_access.roles` (Keycloak's shape). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let v: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export type Identity = { ok: true; name: string; role: Role } | { ok: false; reason: string };

/**
 * Who the provider says the user is, as a console user: the name from `usernameClaim` (else
 * email, else sub) and the highest role any value of `roleClaim` maps to, else `defaultRole`.
 * No mapped role and no default means no login: the provider knowing a person does not make
 * them an operator of the water works.
 */
export function identityOf(claims: Record<string, unknown>, s: OidcSettings): Identity {
  const name = [claimAt(claims, s.usernameClaim), claims['email'], claims['sub']].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  if (name === undefined) return { ok: false, reason: 'the provider sent no user name, email or subject' };
  const raw = claimAt(claims, s.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  let role: Role | undefined;
  for (const v of values) {
    const mapped = s.roles[v];
    if (mapped !== undefined && (role === undefined || RANK[mapped] > RANK[role])) role = mapped;
  }
  if (role === undefined && s.defaultRole !== undefined && s.defaultRole !== 'none') role = s.defaultRole;
  if (role === undefined)
    return {
      ok: false,
      reason: `none of ${name}'s ${s.roleClaim} (${values.join(', ') || 'none'}) is mapped to a console role`,
    };
  return { ok: true, name, role };
}
