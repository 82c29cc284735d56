import { decodeUplink } from '@watershed/model';
import { testRule } from '@watershed/rule-engine';
import { describe, expect, it } from 'vitest';
import { RULE_SQL, TAGS, dataTopic, nodeName, toSample, uplink } from './plan.js';

describe('rules benchmark plan', () => {
  const node = nodeName(1, 3);
  const base = 1_700_000_000_000;

  it('sends valid uplinks of 10 values, each message its own poll time', () => {
    const a = decodeUplink(uplink(node, 0, base));
    const b = decodeUplink(uplink(node, 1, base));
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(Object.keys(a.message.values).sort()).toEqual([...TAGS].sort());
    expect(b.message.ts - a.message.ts).toBe(1);
  });

  it('the rule passes every benchmark message and yields one sample per message', () => {
    for (const seq of [0, 1, 999, 1000, 12_345]) {
      const r = testRule(RULE_SQL, { topic: dataTopic(node), payload: uplink(node, seq, base) });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.rows).toHaveLength(1);
      const s = toSample(r.rows[0]!);
      expect(s).toMatchObject({ point: `bench.${node}.g1.flow_m3h`, ts: base + seq, quality: 'good' });
      expect(typeof s.value).toBe('number');
    }
  });
});
