import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { testRule } from './index.js';

const topic = 'ws/v1/s1/n1/g1/data';

describe('testRule (the console’s Run Test)', () => {
  it('returns the output rows of a stateless rule and whether FROM matched', () => {
    const r = testRule(
      `SELECT payload.values.flow AS flow, convert_flow(payload.values.flow, 'm3/h', 'L/s') AS lps
       FROM "ws/v1/+/+/+/data" WHERE payload.values.flow > 100`,
      { topic, payload: '{"values":{"flow":360}}' },
    );
    expect(r).toEqual({ ok: true, rows: [{ flow: 360, lps: 100 }], matched: true });
    expect(testRule(`SELECT 1 AS x FROM "other/#"`, { topic })).toMatchObject({ ok: true, matched: false });
  });

  it('reports a syntax error with line and column', () => {
    const r = testRule('SELECT a,\n  FROM "t/#"', { topic: 't/1' });
    expect(r.ok).toBe(false);
    if (r.ok || r.stage !== 'compile') throw new Error('expected a compile error');
    expect(r.error.code).toBe('WS_ERR_RULE_SQL_SYNTAX');
    expect(r.error.line).toBe(2);
    expect(r.error.column).toBeGreaterThan(0);
  });

  it('reports a per-message failure as an evaluate error', () => {
    const r = testRule(`SELECT payload.v * 2 AS y FROM "t/#"`, { topic: 't/1', payload: '{"v":"abc"}' });
    expect(r).toMatchObject({ ok: false, stage: 'evaluate' });
  });

  it('runs several messages through one window for a windowed rule', () => {
    const clock = new FakeClock();
    const r = testRule(
      `SELECT avg(payload.v) AS mean, count(*) AS n, window_end() AS we FROM "t/#" GROUP BY TUMBLINGWINDOW(ss, 60)`,
      [
        { topic: 't/1', payload: '{"v":1}', timestamp: 1000 },
        { topic: 't/1', payload: '{"v":3}', timestamp: 5000 },
      ],
      { clock },
    );
    expect(r).toEqual({ ok: true, rows: [{ mean: 2, n: 2, we: 5000 }], matched: true });
  });
});
