import type { MessageKey } from '../i18n/en.js';
import { tEn, type Translate } from '../i18n/translate.js';
import type { AclAction, AclPermission, AclRule, AclWho, NewAclRule, NewUser } from './security-api.js';

/** The Users and ACL tabs' pure logic: form checks (as the server will judge), moves, labels. */

export interface UserForm {
  username: string;
  password: string;
  confirm: string;
  /** Comma-separated role names. */
  roles: string;
}

export interface AclForm {
  permission: AclPermission;
  action: AclAction;
  topic: string;
  username: string;
  clientId: string;
  role: string;
  ipCidr: string;
  listener: string;
}

export const EMPTY_USER: UserForm = { username: '', password: '', confirm: '', roles: '' };
export const EMPTY_RULE: AclForm = {
  permission: 'deny',
  action: 'all',
  topic: '',
  username: '',
  clientId: '',
  role: '',
  ipCidr: '',
  listener: '',
};

type Checked<T> = { ok: true; body: T } | { ok: false; error: string };

/** "a, b ,,c" → ["a", "b", "c"]. */
export function parseRoles(text: string): string[] {
  return text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

/**
 * Why `topic` is not a filter the broker's ACL takes, or undefined: [MQTT-4.7.1-2] '#' alone
 * and last, [MQTT-4.7.1-3] '+' a whole level, no U+0000 [MQTT-4.7.3-2], only the %u and %c
 * placeholders, no shared-subscription prefix. The server checks again; this saves a round trip.
 */
export function topicProblem(topic: string): MessageKey | undefined {
  if (topic === '') return 'broker.acl.err.topicEmpty';
  if (topic.includes('\u0000')) return 'broker.acl.err.topicNul';
  if (/%[^uc]|%$/.test(topic)) return 'broker.acl.err.placeholder';
  if (topic.startsWith('$share/') || topic.startsWith('$queue/')) return 'broker.acl.err.shared';
  const levels = topic.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return 'broker.acl.err.hash';
    if (level.includes('+') && level !== '+') return 'broker.acl.err.plus';
  }
  return undefined;
}

export function userBody(form: UserForm, t: Translate = tEn): Checked<NewUser> {
  const username = form.username.trim();
  if (username === '') return { ok: false, error: t('broker.users.err.username') };
  const password = passwordProblem(form, t);
  if (password) return { ok: false, error: password };
  const roles = parseRoles(form.roles);
  return { ok: true, body: { username, password: form.password, ...(roles.length > 0 && { roles }) } };
}

/** A change of a runtime user: a new password when one is typed, the roles always. */
export function userChange(
  form: Pick<UserForm, 'password' | 'confirm' | 'roles'>,
  t: Translate = tEn,
): Checked<{ password?: string; roles: string[] }> {
  if (form.password !== '' || form.confirm !== '') {
    const problem = passwordProblem(form, t);
    if (problem) return { ok: false, error: problem };
    return { ok: true, body: { password: form.password, roles: parseRoles(form.roles) } };
  }
  return { ok: true, body: { roles: parseRoles(form.roles) } };
}

function passwordProblem(form: Pick<UserForm, 'password' | 'confirm'>, t: Translate): string | undefined {
  if (form.password === '') return t('broker.users.err.password');
  if (form.password !== form.confirm) return t('broker.users.err.confirm');
  return undefined;
}

export function aclBody(form: AclForm, t: Translate = tEn): Checked<NewAclRule> {
  const topic = form.topic.trim();
  const problem = topicProblem(topic);
  if (problem) return { ok: false, error: t(problem) };
  const who: AclWho = {};
  for (const key of ['username', 'clientId', 'role', 'ipCidr', 'listener'] as const) {
    const value = form[key].trim();
    if (value !== '') who[key] = value;
  }
  return {
    ok: true,
    body: {
      permission: form.permission,
      action: form.action,
      topic,
      ...(Object.keys(who).length > 0 && { who }),
    },
  };
}

/** The form for editing `rule`. */
export function aclForm(rule: AclRule): AclForm {
  return {
    permission: rule.permission,
    action: rule.action,
    topic: rule.topic,
    username: rule.who.username ?? '',
    clientId: rule.who.clientId ?? '',
    role: rule.who.role ?? '',
    ipCidr: rule.who.ipCidr ?? '',
    listener: rule.who.listener ?? '',
  };
}

/**
 * The position (among the runtime rules, which come first) a rule moves to one step up or down,
 * or undefined when it cannot: a file rule, or already first / last of the runtime rules.
 */
export function movePosition(rules: readonly AclRule[], id: string, step: -1 | 1): number | undefined {
  const runtime = rules.filter((r) => r.source === 'runtime');
  const at = runtime.findIndex((r) => r.id === id);
  if (at < 0) return undefined;
  const to = at + step;
  return to < 0 || to >= runtime.length ? undefined : to;
}

/** "username x · role y", or "anyone" when the rule names nobody. */
export function whoText(who: AclWho, t: Translate = tEn): string {
  const parts: string[] = [];
  if (who.username !== undefined) parts.push(`${t('broker.acl.who.username')} ${who.username}`);
  if (who.clientId !== undefined) parts.push(`${t('broker.acl.who.clientId')} ${who.clientId}`);
  if (who.role !== undefined) parts.push(`${t('broker.acl.who.role')} ${who.role}`);
  if (who.ipCidr !== undefined) parts.push(`${t('broker.acl.who.ipCidr')} ${who.ipCidr}`);
  if (who.listener !== undefined) parts.push(`${t('broker.acl.who.listener')} ${who.listener}`);
  return parts.length > 0 ? parts.join(' · ') : t('broker.acl.who.anyone');
}
