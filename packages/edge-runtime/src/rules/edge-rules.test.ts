import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Sample, WriteRequest, WriteResult } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import type { TagConfig } from '../config.js';
import type { EdgeActionContext } from './edge-actions.js';
import { checkRuleIds } from './check-rules.js';
import { EdgeRules, checkRules } from './edge-rules.js';
import type { EdgeRuleConfig } from './rule-config.js';

const tags: TagConfig[] = [
  { name: 'flow', address: 'r1', dataType: 'float', scale: 0.1 },
  { name: 'level', address: 'r2', dataType: 'float' },
];
const good = (value: number, ts: number): Sample => ({ ts, value, quality: 'good' });

function harness(rules: EdgeRuleConfig[]) {
  const clock = new FakeClock(Date.UTC(2026, 10, 28, 3, 0, 0));
  const sent: { ruleId: string; topic: string; payload: unknown; ts: number }[] = [];
  const writes: WriteRequest[] = [];
  let seq = 0;
  const context: EdgeActionContext = {
    site: 'city',
    node: 'gw',
    logger: silentLogger(),
    now: () => clock.now(),
    upstream: (ruleId, topic, payload, ts) =>
      sent.push({ ruleId, topic, payload: JSON.parse(payload(seq++)), ts }),
    write: (req) => {
      writes.push(req);
      return Promise.resolve({
        v: 1,
        id: req.id,
        point: req.point,
        ok: true,
        ts: clock.now(),
        readBack: req.value,
      } satisfies WriteResult);
    },
    writeTimeoutMs: 5000,
  };
  const edge = EdgeRules.create({ rules, context, clock, logger: silentLogger() });
  return { clock, sent, writes, edge };
}

describe('EdgeRules', () => {
  it('averages a tag over 1-minute tumbling windows on the injected clock and sends it upstream', async () => {
    const { clock, sent, edge } = harness([
      {
        id: 'flow_1m',
        sql: 'SELECT avg(payload.flow) AS flow, count(*) AS n FROM "samples/inlet" GROUP BY TUMBLINGWINDOW(ss, 60)',
        actions: [{ type: 'upstream', topic: 'derived/flow_1m' }],
      },
    ]);
    // Two minutes of 1 s polls: raw 100..159 (scaled ×0.1 → 10.0..15.9), then 200..259.
    for (let minute = 0; minute < 2; minute++) {
      for (let s = 0; s < 60; s++) {
        const raw = (minute + 1) * 100 + s;
        edge.feed('inlet', clock.now(), tags, [good(raw, clock.now()), good(1, clock.now())]);
        await clock.advance(1000);
      }
    }
    await clock.advance(10);
    expect(sent).toHaveLength(2);
    expect(sent.map((m) => m.topic)).toEqual([
      'ws/v1/city/gw/derived/flow_1m',
      'ws/v1/city/gw/derived/flow_1m',
    ]);
    const rows = sent.map((m) => (m.payload as { row: { flow: number; n: number } }).row);
    expect(rows[0]?.n).toBe(60);
    expect(rows[0]?.flow).toBeCloseTo(12.95, 9);
    expect(rows[1]?.flow).toBeCloseTo(22.95, 9);
    expect(sent[0]?.payload).toMatchObject({ v: 1, node: 'gw', rule: 'flow_1m', seq: 0 });
    expect(edge.metrics()['flow_1m']).toMatchObject({ matched: 120 });
    await edge.close();
  });

  it('reads one tag on samples/{group}/{tag}; bad samples arrive as null with their quality', async () => {
    const { clock, sent, edge } = harness([
      {
        id: 'lvl',
        sql: 'SELECT payload.value AS v, payload.quality AS q FROM "samples/+/level"',
        actions: [{ type: 'upstream' }],
      },
    ]);
    edge.feed('tank', clock.now(), tags, [good(1, 0), good(4.5, 0)]);
    edge.feed('tank', clock.now(), tags, [
      good(1, 0),
      { ts: 0, value: null, quality: 'bad', reason: 'WS_ERR_X' },
    ]);
    await clock.advance(1);
    expect(sent.map((m) => m.topic)).toEqual(['ws/v1/city/gw/rules/lvl', 'ws/v1/city/gw/rules/lvl']);
    expect(sent.map((m) => (m.payload as { row: unknown }).row)).toEqual([
      { v: 4.5, q: 'good' },
      { v: null, q: 'bad' },
    ]);
    await edge.close();
  });

  it('writes a setpoint when a threshold holds, with the row value or a fixed one', async () => {
    const { clock, writes, edge } = harness([
      {
        id: 'high_level',
        sql: 'SELECT payload.level AS level, 20 AS sp FROM "samples/tank" WHERE payload.level > 4.5',
        actions: [
          { type: 'write', group: 'tank', tag: 'pump_sp', field: 'sp' },
          { type: 'write', group: 'tank', tag: 'alarm', value: true },
        ],
      },
    ]);
    edge.feed('tank', clock.now(), tags, [good(1, 0), good(4.0, 0)]);
    edge.feed('tank', clock.now(), tags, [good(1, 0), good(4.8, 0)]);
    await clock.advance(1);
    expect(writes.map((w) => [w.point, w.value])).toEqual([
      ['city.gw.tank.pump_sp', 20],
      ['city.gw.tank.alarm', true],
    ]);
    expect(writes[0]?.deadline).toBe(clock.now() - 1 + 5000);
    await edge.close();
  });

  it('refuses an upstream topic outside the node space or on a reserved level', async () => {
    const { clock, sent, edge } = harness([
      {
        id: 'bad',
        sql: 'SELECT \'mgmt/config\' AS t FROM "samples/tank"',
        actions: [{ type: 'upstream', topic: '${t}' }],
      },
    ]);
    edge.feed('tank', clock.now(), tags, [good(1, 0), good(1, 0)]);
    await clock.advance(1);
    expect(sent).toHaveLength(0);
    expect(edge.metrics()['bad']?.actions[0]).toMatchObject({ failed: 1 });
    await edge.close();
  });

  it('names a bad rule by path: SQL with its position, actions by type', () => {
    const clock = new FakeClock();
    const rules: EdgeRuleConfig[] = [
      { id: 'a', sql: 'SELEC 1 FROM "samples/x"', actions: [{ type: 'upstream' }] },
      {
        id: 'b',
        sql: 'SELECT 1 FROM "samples/x"',
        actions: [{ type: 'write', group: 'g', tag: 't', bogus: 1 } as never],
      },
      { id: 'a', sql: 'SELECT 1 FROM "samples/x"', actions: [{ type: 'upstream' }] },
    ];
    const issues = checkRules(rules, clock, silentLogger());
    expect(issues.map((i) => i.path)).toEqual(['rules.0.sql', 'rules.1.actions']);
    expect(checkRuleIds(rules).map((i) => i.path)).toEqual(['rules.2.id']);
    expect(issues[0]?.expected).toMatch(/1:1/);
  });
});
