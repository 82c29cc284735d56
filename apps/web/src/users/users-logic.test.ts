import { describe, expect, it } from 'vitest';
import { HttpError } from '../alarms/http.js';
import { tEn } from '../i18n/translate.js';
import type { ApiKeyView } from './users-api.js';
import {
  adminErrorText,
  canManageKeys,
  canManageUsers,
  grantableRoles,
  keyStatus,
  lastLoginsFrom,
  PROJECT,
  sortKeys,
  USER_NAME,
  userStatus,
} from './users-logic.js';

const refused = (status: number, code: string) =>
  new HttpError('/api/v1/users/1', status, 'refused', code, {});

describe('who may do what', () => {
  it('follows the API: admins manage users, engineers and up API keys, nobody grants above themselves', () => {
    expect(['viewer', 'operator', 'engineer', 'admin'].map(canManageUsers)).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(['viewer', 'operator', 'engineer', 'admin'].map(canManageKeys)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(grantableRoles('engineer')).toEqual(['viewer', 'operator', 'engineer']);
    expect(grantableRoles('admin')).toEqual(['viewer', 'operator', 'engineer', 'admin']);
    expect(grantableRoles('nobody')).toEqual([]);
  });
});

describe('statuses', () => {
  it('tells disabled, must-change and active users apart', () => {
    expect(userStatus({ disabled: true, mustChangePassword: true })).toBe('disabled');
    expect(userStatus({ disabled: false, mustChangePassword: true })).toBe('must-change');
    expect(userStatus({ disabled: false, mustChangePassword: false })).toBe('active');
  });

  it('tells revoked, expired and active keys apart, usable ones listed first', () => {
    const key = (name: string, createdAt: number, extra: Partial<ApiKeyView> = {}): ApiKeyView => ({
      id: name,
      prefix: name,
      name,
      role: 'viewer',
      project: 'a/b',
      createdBy: 'x',
      createdAt,
      ...extra,
    });
    const keys = [
      key('old', 1),
      key('revoked', 5, { revokedAt: 6 }),
      key('expired', 4, { expiresAt: 10 }),
      key('new', 3),
    ];
    expect(keys.map((k) => keyStatus(k, 10))).toEqual(['active', 'revoked', 'expired', 'active']);
    expect(sortKeys(keys, 10).map((k) => k.name)).toEqual(['new', 'old', 'revoked', 'expired']);
  });
});

describe('last logins from the audit log', () => {
  it('takes each actor’s newest login, and knows "never" only when it saw every login', () => {
    const entries = [
      { actor: 'ann', at: 30 },
      { actor: 'bob', at: 20 },
      { actor: 'ann', at: 10 },
    ];
    const all = lastLoginsFrom(entries, 10);
    expect([...all.at]).toEqual([
      ['ann', 30],
      ['bob', 20],
    ]);
    expect(all.complete).toBe(true);
    expect(lastLoginsFrom(entries, 3).complete).toBe(false);
  });
});

describe('form checks mirror the API’s', () => {
  it('accepts user names and projects the server accepts', () => {
    expect(USER_NAME.test('ops.lead@north')).toBe(true);
    expect(USER_NAME.test('.hidden')).toBe(false);
    expect(USER_NAME.test('has space')).toBe(false);
    expect(PROJECT.test('*')).toBe(true);
    expect(PROJECT.test('city/north')).toBe(true);
    expect(PROJECT.test('north')).toBe(false);
  });
});

describe('errors in the page’s words', () => {
  it('explains the refusals a person can act on', () => {
    expect(adminErrorText(refused(409, 'WS_ERR_USERS_LAST_ADMIN'), 'disable ann', tEn, 'ann')).toBe(
      'ann is the last enabled admin of the whole installation. Make another user an installation admin first.',
    );
    expect(adminErrorText(refused(403, 'WS_ERR_USERS_ROLE_TOO_HIGH'), 'x', tEn)).toBe(
      'You cannot give a role above your own.',
    );
    expect(adminErrorText(refused(409, 'WS_ERR_STORE_DUPLICATE'), 'x', tEn, 'bob')).toBe(
      'The name bob is already taken.',
    );
    expect(adminErrorText(refused(400, 'WS_ERR_AUTH_WEAK_PASSWORD'), 'x', tEn)).toMatch(
      /at least 10 characters/,
    );
  });

  it('falls back to the console’s general wording', () => {
    expect(adminErrorText(refused(403, 'WS_ERR_FORBIDDEN'), 'create the user', tEn)).toBe(
      'You are not allowed to create the user with your role.',
    );
    expect(
      adminErrorText(
        new HttpError('/x', undefined, 'server unreachable', undefined, undefined),
        'load the users',
        tEn,
      ),
    ).toMatch(/not reachable/);
  });
});
