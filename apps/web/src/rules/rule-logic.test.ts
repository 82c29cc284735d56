import { describe, expect, it } from 'vitest';
import {
  caretOf,
  draftOf,
  fieldOf,
  ifMatch,
  lineColumn,
  parseActions,
  parseJsonText,
  problemsByField,
  problemText,
  rateText,
} from './rule-logic.js';

describe('JSON typed by the user', () => {
  it('finds the line and column of a mistake', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    const r = parseJsonText('[\n  { "type": "sink", }\n]', 'actions');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.path).toBe('actions');
      expect(r.problem.line).toBe(2);
      expect(r.problem.column).toBeGreaterThan(1);
    }
  });

  it('accepts an action array and refuses anything else', () => {
    expect(parseActions('')).toEqual({ ok: true, value: [] });
    expect(parseActions('[{"type":"sink","sink":"store"}]')).toEqual({
      ok: true,
      value: [{ type: 'sink', sink: 'store' }],
    });
    expect(parseActions('{"type":"sink"}')).toMatchObject({ ok: false, problem: { path: 'actions' } });
    expect(parseActions('[{"type":"sink"},{"topic":"x"}]')).toMatchObject({
      ok: false,
      problem: { path: 'actions.1' },
    });
  });
});

describe('server problems', () => {
  const sql = {
    code: 'WS_ERR_RULE_SQL',
    message: 'unexpected token',
    path: 'sql',
    line: 2,
    column: 6,
    expected: 'FROM',
  };
  const action = { code: 'WS_ERR_RULE_ACTION_CONFIG', message: 'topic is required', path: 'actions.0' };

  it('go under the field they are about', () => {
    expect(fieldOf(sql)).toBe('sql');
    expect(fieldOf({ code: 'X', message: 'm', line: 1, column: 1 })).toBe('sql');
    expect(fieldOf(action)).toBe('actions');
    expect(fieldOf({ code: 'X', message: 'm', path: 'name' })).toBe('name');
    expect(fieldOf({ code: 'X', message: 'm' })).toBe('other');
    const by = problemsByField([sql, action]);
    expect(by.sql).toEqual([sql]);
    expect(by.actions).toEqual([action]);
  });

  it('read with their position', () => {
    expect(problemText(sql)).toBe('line 2, column 6: unexpected token (expected FROM)');
    expect(problemText(action)).toBe('action 1: topic is required');
    expect(caretOf('SELECT *\nFORM "t"', sql)).toEqual({ source: 'FORM "t"', caret: '     ^' });
    expect(caretOf('one line', sql)).toBeUndefined();
  });
});

describe('small formats', () => {
  it('rates, revisions, drafts', () => {
    expect(rateText(0)).toBe('0/s');
    expect(rateText(0.05)).toBe('3/min');
    expect(rateText(12.345)).toBe('12.3/s');
    expect(ifMatch(3)).toBe('"3"');
    expect(draftOf(undefined).actionsJson).toBe('[]');
  });
});
