import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.js';
import type { AclRule } from './security-api.js';
import {
  aclBody,
  aclForm,
  EMPTY_RULE,
  movePosition,
  parseRoles,
  topicProblem,
  userBody,
  userChange,
  whoText,
} from './security-logic.js';

const t = translator('en');
const rule = (id: string, source: 'file' | 'runtime', index: number): AclRule => ({
  index,
  id,
  source,
  permission: 'deny',
  action: 'all',
  topic: 't',
  who: {},
});

describe('broker security logic', () => {
  it('checks topic filters as the broker will [MQTT-4.7]', () => {
    for (const ok of ['#', 'a/+/b', 'ws/v1/+/%u/#', 'c/%c', '$SYS/#', 'a//b'])
      expect(topicProblem(ok), ok).toBeUndefined();
    expect(topicProblem('')).toBe('broker.acl.err.topicEmpty');
    expect(topicProblem('a/#/b')).toBe('broker.acl.err.hash');
    expect(topicProblem('a/b#')).toBe('broker.acl.err.hash');
    expect(topicProblem('a/b+')).toBe('broker.acl.err.plus');
    expect(topicProblem('x/%U')).toBe('broker.acl.err.placeholder');
    expect(topicProblem('x/%')).toBe('broker.acl.err.placeholder');
    expect(topicProblem('$share/g/a')).toBe('broker.acl.err.shared');
    expect(topicProblem('a\u0000b')).toBe('broker.acl.err.topicNul');
  });

  it('builds a new user: trimmed name, matching passwords, roles from a comma list', () => {
    expect(parseRoles(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(userBody({ username: ' m7 ', password: 'pw', confirm: 'pw', roles: 'meters' }, t)).toEqual({
      ok: true,
      body: { username: 'm7', password: 'pw', roles: ['meters'] },
    });
    expect(userBody({ username: 'm7', password: 'pw', confirm: 'pw', roles: '' }, t)).toEqual({
      ok: true,
      body: { username: 'm7', password: 'pw' },
    });
    expect(userBody({ username: '', password: 'pw', confirm: 'pw', roles: '' }, t)).toMatchObject({
      ok: false,
    });
    expect(userBody({ username: 'a', password: 'pw', confirm: 'px', roles: '' }, t)).toEqual({
      ok: false,
      error: 'The two passwords differ.',
    });
    // An edit without a password keeps it; with one, both fields must agree.
    expect(userChange({ password: '', confirm: '', roles: 'x' }, t)).toEqual({
      ok: true,
      body: { roles: ['x'] },
    });
    expect(userChange({ password: 'n', confirm: '', roles: '' }, t)).toMatchObject({ ok: false });
    expect(userChange({ password: 'n', confirm: 'n', roles: '' }, t)).toEqual({
      ok: true,
      body: { password: 'n', roles: [] },
    });
  });

  it('builds a rule body with only the "who" fields given, and back into a form', () => {
    const checked = aclBody({ ...EMPTY_RULE, topic: ' lab/%c/# ', role: 'lab', permission: 'allow' }, t);
    expect(checked).toEqual({
      ok: true,
      body: { permission: 'allow', action: 'all', topic: 'lab/%c/#', who: { role: 'lab' } },
    });
    expect(aclBody({ ...EMPTY_RULE, topic: 'a' }, t)).toEqual({
      ok: true,
      body: { permission: 'deny', action: 'all', topic: 'a' },
    });
    expect(aclBody({ ...EMPTY_RULE, topic: 'a/#/b' }, t)).toEqual({
      ok: false,
      error: '“#” must be the last level, on its own.',
    });
    expect(aclForm({ ...rule('r', 'runtime', 0), who: { username: 'u' } })).toMatchObject({
      username: 'u',
      role: '',
    });
  });

  it('moves runtime rules within the runtime block only', () => {
    const rules = [rule('a', 'runtime', 0), rule('b', 'runtime', 1), rule('file-0', 'file', 2)];
    expect(movePosition(rules, 'a', -1)).toBeUndefined();
    expect(movePosition(rules, 'a', 1)).toBe(1);
    expect(movePosition(rules, 'b', -1)).toBe(0);
    expect(movePosition(rules, 'b', 1)).toBeUndefined();
    expect(movePosition(rules, 'file-0', -1)).toBeUndefined();
  });

  it('names who a rule applies to', () => {
    expect(whoText({}, t)).toBe('anyone');
    expect(whoText({ username: 'u', ipCidr: '10.0.0.0/8' }, t)).toBe('username u · address 10.0.0.0/8');
  });
});
