import { describe, expect, it } from 'vitest';
import { compileRule, type MessageContext } from './index.js';
import { message } from './test-helpers.js';

const msg = (clientid: string, payload: object): MessageContext => ({
  ...message,
  clientid,
  payload: JSON.stringify(payload),
});
const bounds = { start: 1000, end: 61_000 };

describe('window clauses (eKuiper syntax)', () => {
  it.each([
    ['TUMBLINGWINDOW(ss, 60)', { kind: 'tumbling', unit: 'ss', sizeMs: 60_000 }],
    ['TUMBLINGWINDOW(ms, 500)', { kind: 'tumbling', unit: 'ms', sizeMs: 500 }],
    ['HOPPINGWINDOW(mi, 10, 5)', { kind: 'hopping', unit: 'mi', sizeMs: 600_000, hopMs: 300_000 }],
    ['SLIDINGWINDOW(hh, 1)', { kind: 'sliding', unit: 'hh', sizeMs: 3_600_000, delayMs: 0 }],
    ['SLIDINGWINDOW(ss, 10, 2)', { kind: 'sliding', unit: 'ss', sizeMs: 10_000, delayMs: 2000 }],
    ['SESSIONWINDOW(mi, 2, 1)', { kind: 'session', unit: 'mi', maxMs: 120_000, timeoutMs: 60_000 }],
    ['COUNTWINDOW(5)', { kind: 'count', count: 5, hop: 5 }],
    ['COUNTWINDOW(5, 1)', { kind: 'count', count: 5, hop: 1 }],
    ['tumblingwindow(DD, 1)', { kind: 'tumbling', unit: 'dd', sizeMs: 86_400_000 }],
  ])('%s', (clause, spec) => {
    expect(compileRule(`SELECT count(*) FROM "t/#" GROUP BY ${clause}`).window).toEqual(spec);
  });

  it('describes aggregates in order, with constant parameters', () => {
    const rule = compileRule(
      `SELECT avg(payload.v) AS a, percentile(payload.v, 0.9) AS p90, count(*) FROM "t/#" GROUP BY clientid, TUMBLINGWINDOW(ss, 10) HAVING max(payload.v) > 1`,
    );
    expect(rule.aggregates.map((a) => [a.index, a.name, a.params, a.text])).toEqual([
      [0, 'avg', [], 'avg(payload.v)'],
      [1, 'percentile', [0.9], 'percentile(payload.v, 0.9)'],
      [2, 'count', [], 'count(*)'],
      [3, 'max', [], 'max(payload.v)'],
    ]);
    const dup = compileRule(`SELECT count(*) AS n FROM "t/#" GROUP BY COUNTWINDOW(3) HAVING count( * ) > 1`);
    expect(dup.aggregates.map((a) => a.name)).toEqual(['count']);
    const multiline = compileRule(
      `SELECT\n  percentile(\n    payload.v,\n    0.5) AS p\nFROM "t/#" GROUP BY COUNTWINDOW(3)`,
    );
    expect(multiline.aggregates[0]!.text).toBe('percentile( payload.v, 0.5)');
  });
});

describe('window hooks', () => {
  const sql = `SELECT clientid, avg(payload.flow) AS mean, stddev(payload.flow) AS sd, count(*) AS n,
                      window_start() AS ws, window_end() AS we
               FROM "ws/v1/+/+/+/data" WHERE payload.flow >= 0
               GROUP BY clientid, TUMBLINGWINDOW(ss, 60) HAVING count(*) >= 2`;

  it('accept filters, keys and extracts aggregate arguments', () => {
    const rule = compileRule(sql);
    expect(rule.evaluate(msg('a', { flow: 1 })).ok).toBe(false);
    expect(rule.accept(msg('a', { flow: -1 }))).toEqual({ ok: true, row: undefined });
    const accepted = rule.accept(msg('a', { flow: 3 }));
    // avg, stddev and count(*) (shared by SELECT and HAVING): one value each.
    expect(accepted.ok && accepted.row).toMatchObject({
      key: '["a"]',
      keyValues: ['a'],
      values: [3, 3, true],
    });
  });

  it('groups, aggregates, applies HAVING and exposes window bounds', () => {
    const rule = compileRule(sql);
    const rows = [
      msg('a', { flow: 2 }),
      msg('b', { flow: 10 }),
      msg('a', { flow: 4 }),
      msg('a', { flow: -5 }), // filtered by WHERE
      msg('a', { flow: 4 }),
      msg('a', { flow: 5 }),
      msg('a', { flow: 5 }),
      msg('a', { flow: 7 }),
      msg('a', { flow: 9 }),
      msg('a', { flow: 4 }),
    ];
    const r = rule.evaluateWindow(rows, bounds);
    if (!r.ok) throw new Error(r.reason);
    expect(r.rows).toHaveLength(1); // b has one row: HAVING drops it
    expect(r.rows[0]).toEqual({
      clientid: 'a',
      mean: 5,
      sd: expect.closeTo(2, 12),
      n: 8,
      ws: 1000,
      we: 61_000,
    });
  });

  it('a group state can be fed incrementally by a runtime', () => {
    const rule = compileRule(
      `SELECT median(payload.v) AS m, last(payload.v) AS l FROM "t/#" GROUP BY COUNTWINDOW(3)`,
    );
    const group = rule.createGroup();
    for (const v of [3, 1, 2]) {
      const a = rule.accept(msg('a', { v }));
      if (!a.ok || !a.row) throw new Error('not accepted');
      expect(group.add(a.row)).toEqual({ ok: true });
    }
    expect(group.size).toBe(3);
    expect(group.emit({ start: 0, end: 3 })).toEqual({ ok: true, rows: [{ m: 2, l: 2 }] });
  });

  it('without aggregates every row of the window is projected (eKuiper)', () => {
    const rule = compileRule(`SELECT payload.v AS v FROM "t/#" WHERE payload.v > 20 GROUP BY COUNTWINDOW(5)`);
    const r = rule.evaluateWindow([msg('a', { v: 10 }), msg('a', { v: 25 }), msg('a', { v: 30 })], bounds);
    expect(r).toEqual({ ok: true, rows: [{ v: 25 }, { v: 30 }] });
  });

  it('a bad value fails the window with a reason, not an exception', () => {
    const rule = compileRule(`SELECT sum(payload.v) AS s FROM "t/#" GROUP BY TUMBLINGWINDOW(ss, 1)`);
    expect(rule.evaluateWindow([msg('a', { v: 1 }), msg('a', { v: 'x' })], bounds)).toEqual({
      ok: false,
      reason: 'sum expects numbers, got string "x"',
      kind: 'evaluation',
    });
  });

  it('analytic functions run per message before WHERE, and reset() forgets them', () => {
    const rule = compileRule(
      `SELECT lag(payload.v) AS prev, payload.v AS v FROM "t/#" WHERE had_changed(true, payload.v)`,
    );
    const out = [1, 1, 2, 2, 3].map((v) => rule.evaluate(msg('a', { v })));
    expect(out.map((r) => (r.ok ? r.rows : r.reason))).toEqual([
      [{ prev: null, v: 1 }],
      [],
      [{ prev: 1, v: 2 }],
      [],
      [{ prev: 2, v: 3 }],
    ]);
    rule.reset();
    expect(rule.evaluate(msg('a', { v: 3 }))).toEqual({ ok: true, rows: [{ prev: null, v: 3 }] });
  });

  it('in windowed rules first/last are aggregates; in stateless rules they are array functions', () => {
    const windowed = compileRule(`SELECT first(payload.v) AS f FROM "t/#" GROUP BY COUNTWINDOW(2)`);
    expect(windowed.aggregates.map((a) => a.name)).toEqual(['first']);
    const stateless = compileRule(`SELECT first(payload.v) AS f FROM "t/#"`);
    expect(stateless.evaluate(msg('a', { v: [7, 8] }))).toEqual({ ok: true, rows: [{ f: 7 }] });
  });
});
