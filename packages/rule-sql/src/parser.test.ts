import { describe, expect, it } from 'vitest';
import type { BinaryExpr, CallExpr, MemberExpr } from './ast.js';
import { RuleSqlError } from './errors.js';
import { parseRule } from './parser.js';

function syntaxError(sql: string): RuleSqlError {
  try {
    parseRule(sql);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleSqlError);
    return err as RuleSqlError;
  }
  throw new Error('expected a syntax error');
}

describe('parseRule', () => {
  it('parses SELECT with aliases, sources, WHERE', () => {
    const ast = parseRule(`SELECT payload.x AS x, clientid FROM "t/#", "my/other/topic" WHERE qos >= 1`);
    expect(ast.kind).toBe('select');
    expect(ast.fields.map((f) => f.alias)).toEqual([['x'], undefined]);
    expect(ast.fields.map((f) => f.text)).toEqual(['payload.x', 'clientid']);
    expect(ast.sources.map((s) => s.topic)).toEqual(['t/#', 'my/other/topic']);
    expect((ast.where as BinaryExpr).op).toBe('>=');
  });

  it('keywords are case-insensitive and may be keys after a dot', () => {
    const ast = parseRule(`select payload.from as "x-y", payload.'a b' from 't' where payload.end = 1`);
    expect((ast.fields[0]!.expr as MemberExpr).key).toBe('from');
    expect(ast.fields[0]!.alias).toEqual(['x-y']);
    expect((ast.fields[1]!.expr as MemberExpr).key).toBe('a b');
  });

  it('names that start with a keyword stay names', () => {
    const ast = parseRule(`SELECT fromage, order_no, inx, selected FROM "t"`);
    expect(ast.fields.map((f) => f.expr)).toMatchObject([
      { kind: 'ident', name: 'fromage' },
      { kind: 'ident', name: 'order_no' },
      { kind: 'ident', name: 'inx' },
      { kind: 'ident', name: 'selected' },
    ]);
  });

  it('binds operators by precedence: OR < AND < NOT < comparison < + < * < unary', () => {
    const ast = parseRule(`SELECT 1 + 2 * -3 AS v FROM "t" WHERE a = 1 OR NOT b = 2 AND c`);
    const v = ast.fields[0]!.expr as BinaryExpr;
    expect(v.op).toBe('+');
    expect((v.right as BinaryExpr).op).toBe('*');
    expect((v.right as BinaryExpr).right).toMatchObject({ kind: 'literal', value: -3 });
    const w = ast.where as BinaryExpr;
    expect(w.op).toBe('or');
    expect((w.right as BinaryExpr).op).toBe('and');
    expect((w.right as BinaryExpr).left).toMatchObject({ kind: 'unary', op: 'not' });
  });

  it('parses div and mod as operators and as functions', () => {
    const ast = parseRule(`SELECT 7 div 2, 7 mod 2, mod(7, 2) FROM "t"`);
    expect(ast.fields.map((f) => f.expr.kind)).toEqual(['binary', 'binary', 'call']);
  });

  it('parses nested access, 1-based indexes and calls on results', () => {
    const ast = parseRule(`SELECT payload.values.flow, payload.arr[1].x, json_decode(payload).a FROM "t"`);
    expect(ast.fields[1]!.expr).toMatchObject({ kind: 'member', key: 'x', object: { kind: 'index' } });
    expect(ast.fields[2]!.expr).toMatchObject({
      kind: 'member',
      object: { kind: 'call', name: 'json_decode' },
    });
  });

  it('parses IN, NOT IN, =~, both CASE forms and literals', () => {
    const ast = parseRule(
      `SELECT CASE WHEN x > 1 THEN 'a' ELSE 'b' END, CASE qos WHEN 0 THEN 'at most once' END, true, null, 1.5e3, 0x1F
       FROM "t" WHERE topic =~ 't/+' AND clientid NOT IN ('a', 'b')`,
    );
    expect(ast.fields[0]!.expr).toMatchObject({ kind: 'case', subject: undefined });
    expect(ast.fields[1]!.expr).toMatchObject({ kind: 'case', subject: { kind: 'ident', name: 'qos' } });
    expect(ast.fields.slice(2).map((f) => (f.expr as { value: unknown }).value)).toEqual([
      true,
      null,
      1500,
      31,
    ]);
    expect((ast.where as BinaryExpr).right).toMatchObject({ kind: 'in', negated: true });
  });

  it('parses FOREACH … DO … INCASE', () => {
    const ast = parseRule(
      `FOREACH payload.sensors AS e DO e.name AS name INCASE e.idx >= 1 FROM "t/#" WHERE qos = 1`,
    );
    expect(ast.kind).toBe('foreach');
    expect(ast.foreach).toMatchObject({ alias: 'e', incase: { kind: 'binary' } });
    expect(ast.foreach!.fields).toHaveLength(1);
    expect(parseRule(`FOREACH payload.sensors FROM "t/#"`).foreach).toMatchObject({
      alias: 'item',
      fields: [],
    });
  });

  it('parses windows, GROUP BY keys, HAVING and count(*)', () => {
    const ast = parseRule(
      `SELECT count(*), avg(payload.v) FROM "t/#" GROUP BY clientid, TUMBLINGWINDOW(ss, 60) HAVING count(*) > 2`,
    );
    expect(ast.groupBy).toHaveLength(2);
    expect((ast.groupBy[1] as CallExpr).name).toBe('tumblingwindow');
    expect((ast.fields[0]!.expr as CallExpr).args[0]!.kind).toBe('star');
    expect(ast.having).toBeDefined();
  });

  it('skips comments and reports positions on later lines', () => {
    const ast = parseRule(`-- flows\nSELECT /* inline */ payload.x\nFROM "t"`);
    expect(ast.fields[0]!.pos).toEqual({ line: 2, column: 21 });
    expect(ast.sources[0]!.pos).toEqual({ line: 3, column: 6 });
  });

  it('unescapes doubled and backslashed quotes', () => {
    const ast = parseRule(`SELECT 'it''s', 'a\\'b', "say ""hi""" FROM "t"`);
    expect(ast.fields.map((f) => (f.expr as { value: unknown }).value)).toEqual(["it's", "a'b", 'say "hi"']);
  });
});

describe('syntax errors', () => {
  it('names line, column and the expected token', () => {
    const err = syntaxError(`SELECT x\nFROM t`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_SYNTAX');
    expect([err.line, err.column]).toEqual([2, 6]);
    expect(err.expected).toBe('a quoted string');
    expect(err.hint).toMatch(/FROM "t\/#"/);
    expect(err.details).toMatchObject({ line: 2, column: 6 });
  });

  it('reports a missing FROM at the end of the rule', () => {
    const err = syntaxError(`SELECT x`);
    expect([err.line, err.column, err.expected]).toEqual([1, 9, 'FROM']);
  });

  it('reports an incomplete expression', () => {
    const err = syntaxError(`SELECT x FROM "t" WHERE`);
    expect(err.expected).toBe('an expression');
    expect(err.message).toMatch(/end of rule/);
  });

  it('reports trailing garbage', () => {
    const err = syntaxError(`SELECT x FROM "t" LIMIT 5`);
    expect([err.line, err.column, err.expected]).toEqual([1, 19, 'end of rule']);
  });

  it('reports an unterminated string', () => {
    const err = syntaxError(`SELECT 'abc FROM "t"`);
    expect([err.line, err.column]).toEqual([1, 8]);
    expect(err.hint).toMatch(/not closed/);
  });

  it('reports an unknown character', () => {
    const err = syntaxError(`SELECT a ; b FROM "t"`);
    expect([err.line, err.column]).toEqual([1, 10]);
  });

  it('reports a missing END in CASE and a missing ) in a call', () => {
    expect(syntaxError(`SELECT CASE WHEN a THEN 1 FROM "t"`).expected).toMatch(/END/);
    expect(syntaxError(`SELECT abs(1 FROM "t"`).expected).toMatch(/"\)"/);
  });

  it('rejects an empty rule and a rule with two statements', () => {
    expect(syntaxError('').line).toBe(1);
    expect(syntaxError(`SELECT a FROM "t" SELECT b FROM "u"`).column).toBe(19);
  });
});
