import { describe, expect, it } from 'vitest';
import { formatTable, jsonLine, ratioOf, result, targetText, type BenchReport } from './report.js';

describe('result', () => {
  it('passes a throughput ratio target when ours ÷ peer reaches it', () => {
    const r = result({
      name: 'fanin-qos0',
      unit: 'msg/s',
      ours: 240_000,
      peer: { label: 'mosquitto 2.0.11', value: 200_000 },
      target: { kind: 'ratio', better: 'higher', bound: 1.2 },
    });
    expect(r).toEqual({
      name: 'fanin-qos0',
      unit: 'msg/s',
      ours: 240_000,
      peer: 'mosquitto 2.0.11',
      peerValue: 200_000,
      ratio: 1.2,
      target: 'ratio>=1.2',
      pass: true,
    });
  });

  it('reads a lower-is-better ratio the other way round', () => {
    const r = result({
      name: 'idle-conn-rss',
      unit: 'B/conn',
      ours: 3000,
      peer: { label: 'aedes 1.2.0', value: 6000 },
      target: { kind: 'ratio', better: 'lower', bound: 1 },
    });
    expect(r.ratio).toBe(0.5);
    expect(r.target).toBe('ratio<=1');
    expect(r.pass).toBe(true);
    expect(
      result({
        ...r,
        peer: { label: 'x', value: 1000 },
        target: { kind: 'ratio', better: 'lower', bound: 1 },
      }).pass,
    ).toBe(false);
  });

  it('holds absolute targets against ours and keeps the peer ratio as information', () => {
    const r = result({
      name: 'latency-qos0-p99',
      unit: 'ms',
      ours: 0.8,
      peer: { label: 'mosquitto 2.0.11', value: 0.4 },
      target: { kind: 'ours', better: 'lower', bound: 1 },
    });
    expect(r.ratio).toBe(2);
    expect(r.pass).toBe(true);
  });

  it('fails on any problem even when the figure meets the target, and says why', () => {
    const r = result({
      name: 'fanin-qos1',
      unit: 'msg/s',
      ours: 10,
      peer: { label: 'aedes 1.2.0', value: 1 },
      target: { kind: 'ratio', better: 'higher', bound: 1.2 },
      problems: ['lost 3'],
      note: 'gen 40%',
    });
    expect(r.pass).toBe(false);
    expect(r.note).toBe('lost 3; gen 40%');
  });

  it('has no ratio against a missing or zero peer figure, and then fails a ratio target', () => {
    expect(ratioOf(5, 0)).toBeUndefined();
    expect(ratioOf(5, Number.NaN)).toBeUndefined();
    const r = result({
      name: 'x',
      unit: 'msg/s',
      ours: 5,
      target: { kind: 'ratio', better: 'higher', bound: 1 },
    });
    expect(r).not.toHaveProperty('ratio');
    expect(r.pass).toBe(false);
  });

  it('marks informational lines', () => {
    expect(targetText({ kind: 'none' })).toBe('info');
    expect(result({ name: 'x', unit: 'B/conn', ours: 1, target: { kind: 'none' } }).pass).toBe(true);
  });
});

describe('formatting', () => {
  const report: BenchReport = {
    bench: 'broker',
    machine: '2 cores',
    results: [
      result({
        name: 'fanout-qos0',
        unit: 'deliveries/s',
        ours: 1_234_567.8,
        peer: { label: 'mosquitto 2.0.11', value: 600_000 },
        target: { kind: 'ratio', better: 'higher', bound: 2 },
      }),
    ],
  };

  it('prints aligned rows with thousands separators', () => {
    const lines = formatTable(report).split('\n');
    expect(lines[0]).toBe('broker — 2 cores');
    expect(lines[1]!.indexOf('ours')).toBe(lines[3]!.indexOf('1,234,568'));
    expect(lines[3]).toContain('ratio>=2');
    expect(lines[3]).toContain('yes');
  });

  it('ends with one JSON line in the report shape', () => {
    const line = jsonLine(report);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      bench: 'broker',
      machine: '2 cores',
      results: [
        {
          name: 'fanout-qos0',
          unit: 'deliveries/s',
          ours: 1_234_568,
          peer: 'mosquitto 2.0.11',
          peerValue: 600_000,
          ratio: 2.058,
          target: 'ratio>=2',
          pass: true,
        },
      ],
    });
  });
});
