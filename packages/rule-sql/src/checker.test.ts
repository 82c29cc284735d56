import { describe, expect, it } from 'vitest';
import { compileRule } from './index.js';
import { rejection } from './test-helpers.js';

/** Every rejection names its catalog code, line and column, and where possible a hint. */
describe('semantic errors', () => {
  it('unknown field: position, did-you-mean and the known fields', () => {
    const err = rejection(`SELECT clientid\nFROM "t/#" WHERE paylod.x > 1`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_UNKNOWN_FIELD');
    expect([err.line, err.column]).toEqual([2, 18]);
    expect(err.hint).toMatch(/did you mean "payload"/);
    expect(err.hint).toMatch(/known: .*clientid.*topic/);
  });

  it('EMQX: a name that is neither a field nor an alias is rejected (xyz example)', () => {
    // docs.emqx.com/en/emqx/v5.0/data-integration/rule-sql-grammar-and-examples: "will not work"
    expect(rejection(`SELECT clientid as cid FROM "#" WHERE xyz = 'abc'`).code).toBe(
      'WS_ERR_RULE_SQL_UNKNOWN_FIELD',
    );
  });

  it('event fields only exist on their events', () => {
    expect(rejection(`SELECT reason FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_UNKNOWN_FIELD');
    expect(rejection(`SELECT payload FROM "$events/client_connected"`).hint).toMatch(/known: .*connected_at/);
  });

  it('fields follow the sources: events add their own, several sources give the union', () => {
    expect(() =>
      compileRule(`SELECT reason, disconnected_at FROM "$events/client_disconnected"`),
    ).not.toThrow();
    expect(() => compileRule(`SELECT payload.x, reason FROM "$events/message_dropped"`)).not.toThrow();
    expect(() =>
      compileRule(
        `SELECT connected_at, reason FROM "$events/client_connected", "$events/client_disconnected"`,
      ),
    ).not.toThrow();
    expect(() => compileRule(`SELECT from_clientid, topic FROM "$events/message_delivered"`)).not.toThrow();
  });

  it('unknown function suggests the closest names', () => {
    const err = rejection(`SELECT roud(payload.x) FROM "t/#"`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_UNKNOWN_FUNCTION');
    expect([err.line, err.column]).toEqual([1, 8]);
    expect(err.hint).toMatch(/did you mean "round"/);
  });

  it('arity', () => {
    const err = rejection(`SELECT abs(1, 2) FROM "t/#"`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_ARITY');
    expect(err.message).toMatch(/abs at 1:8 takes 1 argument\(s\), got 2/);
    expect(rejection(`SELECT concat('a') FROM "t/#"`).message).toMatch(/at least 2/);
    expect(rejection(`SELECT substr('a') FROM "t/#"`).message).toMatch(/2 to 3/);
  });

  it('literal argument and operand types', () => {
    const err = rejection(`SELECT abs('x') FROM "t/#"`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_TYPE');
    expect([err.line, err.column]).toEqual([1, 12]);
    expect(err.expected).toBe('number');
    expect(rejection(`SELECT 'a' * 2 FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_TYPE');
    expect(rejection(`SELECT -'a' FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_TYPE');
    expect(rejection(`SELECT upper(1 + 2) FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_TYPE');
  });

  it('literal argument values: units, modes, regular expressions', () => {
    expect(rejection(`SELECT convert_flow(payload.q, 'm3/h', 'gallons') FROM "t/#"`).message).toMatch(
      /unknown unit "gallons"/,
    );
    expect(rejection(`SELECT convert_pressure(payload.p, 'kpa', 'bar') FROM "t/#"`).code).toBe(
      'WS_ERR_RULE_SQL_TYPE',
    );
    expect(rejection(`SELECT now_timestamp('hour') FROM "t/#"`).message).toMatch(/unknown time unit/);
    expect(rejection(`SELECT regex_match(topic, '(') FROM "t/#"`).message).toMatch(
      /invalid regular expression/,
    );
    expect(rejection(`SELECT pad('a', 3, 'middle') FROM "t/#"`).message).toMatch(/expected one of/);
  });

  it('aggregates need a window, and belong in SELECT or HAVING', () => {
    const err = rejection(`SELECT avg(payload.v) FROM "t/#"`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_AGGREGATE');
    expect(err.hint).toMatch(/GROUP BY TUMBLINGWINDOW/);
    expect(
      rejection(`SELECT count(*) FROM "t/#" WHERE count(*) > 1 GROUP BY TUMBLINGWINDOW(ss, 1)`).message,
    ).toMatch(/not allowed in WHERE/);
    expect(rejection(`SELECT sum(avg(payload.v)) FROM "t/#" GROUP BY TUMBLINGWINDOW(ss, 1)`).message).toMatch(
      /avg\(\) is not allowed in sum\(\) \(aggregates cannot be nested\)/,
    );
    expect(
      rejection(`SELECT percentile(payload.v, payload.p) FROM "t/#" GROUP BY COUNTWINDOW(5)`).message,
    ).toMatch(/constant/);
    expect(rejection(`SELECT percentile(payload.v, 1.5) FROM "t/#" GROUP BY COUNTWINDOW(5)`).message).toMatch(
      /\[0, 1\]/,
    );
    expect(rejection(`SELECT percentile(payload.v) FROM "t/#" GROUP BY COUNTWINDOW(5)`).message).toMatch(
      /constant fraction/,
    );
  });

  it('HAVING and GROUP BY without a window', () => {
    expect(rejection(`SELECT clientid FROM "t/#" HAVING qos > 1`).code).toBe('WS_ERR_RULE_SQL_AGGREGATE');
    const err = rejection(`SELECT clientid FROM "t/#" GROUP BY clientid`);
    expect(err.code).toBe('WS_ERR_RULE_SQL_WINDOW');
    expect(err.expected).toMatch(/TUMBLINGWINDOW/);
  });

  it('window misuse', () => {
    expect(rejection(`SELECT TUMBLINGWINDOW(ss, 1) FROM "t/#"`).message).toMatch(/belongs in GROUP BY/);
    const unit = rejection(`SELECT count(*) FROM "t/#" GROUP BY TUMBLINGWINDOW(sec, 10)`);
    expect([unit.code, unit.column, unit.expected]).toEqual([
      'WS_ERR_RULE_SQL_WINDOW',
      52,
      'one of ms, ss, mi, hh, dd',
    ]);
    expect(rejection(`SELECT count(*) FROM "t/#" GROUP BY TUMBLINGWINDOW(ss, 0)`).expected).toBe(
      'a positive integer',
    );
    expect(rejection(`SELECT count(*) FROM "t/#" GROUP BY TUMBLINGWINDOW(ss)`).message).toMatch(
      /takes 2 arguments/,
    );
    expect(rejection(`SELECT count(*) FROM "t/#" GROUP BY COUNTWINDOW(2, 5)`).message).toMatch(
      /hop 5 exceeds/,
    );
    expect(rejection(`SELECT count(*) FROM "t/#" GROUP BY SESSIONWINDOW(ss, 1, 5)`).hint).toMatch(
      /maxDuration, timeout/,
    );
    expect(
      rejection(`SELECT count(*) FROM "t/#" GROUP BY TUMBLINGWINDOW(ss, 1), COUNTWINDOW(3)`).message,
    ).toMatch(/only one window/);
    expect(rejection(`SELECT window_start() FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_WINDOW');
  });

  it('analytic functions in a windowed projection must sit inside an aggregate', () => {
    expect(rejection(`SELECT lag(payload.v) FROM "t/#" GROUP BY COUNTWINDOW(2)`).code).toBe(
      'WS_ERR_RULE_SQL_AGGREGATE',
    );
  });

  it('sources: topic filter syntax and event names', () => {
    const err = rejection(`SELECT * FROM "t/#/x"`);
    expect([err.code, err.column]).toEqual(['WS_ERR_RULE_SQL_SEMANTIC', 15]);
    expect(rejection(`SELECT * FROM "$events/client_conected"`).hint).toBe(
      'did you mean "$events/client_connected"?',
    );
  });

  it('"*" only as a field or in count(*)', () => {
    expect(rejection(`FOREACH payload.a DO * FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_SEMANTIC');
    expect(rejection(`SELECT abs(*) FROM "t/#"`).code).toBe('WS_ERR_RULE_SQL_SEMANTIC');
  });

  it('the FOREACH element is only visible in DO and INCASE', () => {
    expect(rejection(`FOREACH payload.a AS e FROM "t/#" WHERE e.x = 1`).hint).toMatch(/known:/);
  });
});
