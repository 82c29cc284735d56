import { describe, expect, it } from 'vitest';
import { diffValues, flatten, timeOf } from './audit-diff.js';

describe('before → after diff', () => {
  it('lists only what changed, field by field', () => {
    const before = { id: '3', name: 'ann', role: 'viewer', disabled: false, updatedAt: 1 };
    const after = { id: '3', name: 'ann', role: 'engineer', disabled: true, updatedAt: 2 };
    expect(diffValues(before, after)).toEqual([
      { path: 'role', kind: 'changed', before: 'viewer', after: 'engineer' },
      { path: 'disabled', kind: 'changed', before: 'false', after: 'true' },
      { path: 'updatedAt', kind: 'changed', before: '1', after: '2' },
    ]);
  });

  it('shows a create as added fields and a delete as removed ones', () => {
    expect(diffValues(undefined, { name: 'key1', role: 'viewer' })).toEqual([
      { path: 'name', kind: 'added', after: 'key1' },
      { path: 'role', kind: 'added', after: 'viewer' },
    ]);
    expect(diffValues({ sql: 'SELECT 1' }, undefined)).toEqual([
      { path: 'sql', kind: 'removed', before: 'SELECT 1' },
    ]);
  });

  it('walks nested objects and arrays by path', () => {
    const before = { limits: { max: 1, min: 0 }, actions: [{ type: 'republish' }] };
    const after = {
      limits: { max: 2, min: 0 },
      actions: [{ type: 'republish' }, { type: 'webhook' }],
      tags: {},
    };
    expect(diffValues(before, after)).toEqual([
      { path: 'limits.max', kind: 'changed', before: '1', after: '2' },
      { path: 'actions[1].type', kind: 'added', after: 'webhook' },
      { path: 'tags', kind: 'added', after: '{}' },
    ]);
  });

  it('compares values that are not objects as a whole, and keeps very deep nesting as JSON', () => {
    expect(diffValues('a', 'b')).toEqual([{ path: '', kind: 'changed', before: 'a', after: 'b' }]);
    expect([...flatten({ a: { b: { c: { d: { e: 1 } } } } }).keys()]).toEqual(['a.b.c.d']);
    expect(diffValues({ x: null }, { x: null })).toEqual([]);
  });
});

describe('time fields', () => {
  it('are recognised by name and value so they can be shown as dates', () => {
    expect(timeOf('updatedAt', '1795848095441')).toBe(1795848095441);
    expect(timeOf('limits.ts', '1795848095441')).toBe(1795848095441);
    expect(timeOf('role', '1795848095441')).toBeUndefined();
    expect(timeOf('expiresAt', '12')).toBeUndefined();
    expect(timeOf('expiresAt', undefined)).toBeUndefined();
  });
});
