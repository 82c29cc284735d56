import { requestJson } from '../alarms/http.js';

/** The shapes of console-api broker/security-schemas.ts, as the Users and ACL tabs read them. */

export type EntrySource = 'file' | 'runtime';

export interface BrokerUser {
  username: string;
  source: EntrySource;
  passwordScheme?: string;
  scram: boolean;
  roles: string[];
  createdAt?: number;
  updatedAt?: number;
}

export type AclPermission = 'allow' | 'deny';
export type AclAction = 'publish' | 'subscribe' | 'all';

export interface AclWho {
  username?: string;
  clientId?: string;
  role?: string;
  ipCidr?: string;
  listener?: string;
}

export interface AclRule {
  index: number;
  id: string;
  source: EntrySource;
  permission: AclPermission;
  action: AclAction;
  topic: string;
  who: AclWho;
}

export interface ListenerPolicy {
  listener: string;
  allowAnonymous: boolean;
  sources: string[];
  enhanced: string[];
  aclDefault: AclPermission;
}

export interface NewUser {
  username: string;
  password: string;
  roles?: string[];
}

export interface NewAclRule {
  permission: AclPermission;
  action: AclAction;
  topic: string;
  who?: AclWho;
  position?: number;
}

const base = '/api/v1/broker';
const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

export async function brokerUsers(
  signal?: AbortSignal,
): Promise<{ items: BrokerUser[]; editable: boolean; persistent: boolean }> {
  return (
    await requestJson<{ items: BrokerUser[]; editable: boolean; persistent: boolean }>(
      'GET',
      `${base}/users`,
      sig(signal),
    )
  ).body;
}

export async function createUser(user: NewUser): Promise<BrokerUser> {
  return (await requestJson<BrokerUser>('POST', `${base}/users`, { body: user })).body;
}

export async function updateUser(
  username: string,
  change: { password?: string; roles?: string[] },
): Promise<BrokerUser> {
  return (
    await requestJson<BrokerUser>('PUT', `${base}/users/${encodeURIComponent(username)}`, { body: change })
  ).body;
}

export async function deleteUser(username: string): Promise<void> {
  await requestJson('DELETE', `${base}/users/${encodeURIComponent(username)}`);
}

export async function brokerAcl(
  signal?: AbortSignal,
): Promise<{ rules: AclRule[]; listeners: ListenerPolicy[]; editable: boolean; persistent: boolean }> {
  return (
    await requestJson<{
      rules: AclRule[];
      listeners: ListenerPolicy[];
      editable: boolean;
      persistent: boolean;
    }>('GET', `${base}/acl`, sig(signal))
  ).body;
}

export async function createAclRule(rule: NewAclRule): Promise<AclRule> {
  return (await requestJson<AclRule>('POST', `${base}/acl`, { body: rule })).body;
}

/** Changes fields of a rule; `{ position }` alone moves it among the runtime rules. */
export async function updateAclRule(id: string, change: Partial<NewAclRule>): Promise<AclRule> {
  return (await requestJson<AclRule>('PUT', `${base}/acl/${encodeURIComponent(id)}`, { body: change })).body;
}

export async function deleteAclRule(id: string): Promise<void> {
  await requestJson('DELETE', `${base}/acl/${encodeURIComponent(id)}`);
}
