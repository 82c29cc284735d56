import { describe, expect, it } from 'vitest';
import { auditExportUrl, filterQuery } from './audit-api.js';
import { actionSuggestions, entryMatches, splitResource } from './audit-logic.js';

const entry = {
  seq: 1,
  at: 0,
  actor: 'ann',
  action: 'rule.update',
  resource: 'rule:r1',
  before: { sql: 'SELECT * FROM "ws/#"' },
  after: { sql: 'SELECT value FROM "ws/#" WHERE value > 3' },
  from: '10.0.0.7',
};

describe('audit filters', () => {
  it('sends only the filters given, trimmed', () => {
    expect(filterQuery({ actor: ' ann ', action: '', from: 5 }).toString()).toBe('actor=ann&from=5');
    expect(auditExportUrl({ resource: 'user:3' }, 'csv')).toBe(
      '/api/v1/audit/export?resource=user%3A3&format=csv',
    );
  });

  it('finds text in who, what and the recorded values of loaded entries', () => {
    expect(entryMatches(entry, 'WHERE value')).toBe(true);
    expect(entryMatches(entry, '10.0.0.7')).toBe(true);
    expect(entryMatches(entry, '')).toBe(true);
    expect(entryMatches(entry, 'bob')).toBe(false);
  });

  it('suggests known actions and those seen', () => {
    const s = actionSuggestions([{ ...entry, action: 'zeta.thing' }]);
    expect(s).toContain('user.update');
    expect(s).toContain('zeta.thing');
    expect([...s].sort()).toEqual(s);
  });

  it('splits a resource into type and id', () => {
    expect(splitResource('user:3')).toEqual({ type: 'user', id: '3' });
    expect(splitResource('tag:north.plc1.g.t:x')).toEqual({ type: 'tag', id: 'north.plc1.g.t:x' });
    expect(splitResource('session')).toEqual({ type: 'session', id: '' });
  });
});
