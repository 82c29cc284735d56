import { describe, expect, it } from 'vitest';
import { parseAddress, type S7Address } from './address.js';
import { planReads } from './plan.js';

const a = (text: string, type: 'uint16' | 'string' = 'uint16'): S7Address => {
  const r = parseAddress(text, type);
  if (!r.ok) throw new Error(r.message);
  return r.address;
};

describe('read planning', () => {
  it('joins tags of one area within the gap, keeps areas and DBs apart', () => {
    const plan = planReads(
      [a('DB1.DBW0'), a('DB1.DBW4'), a('DB1.DBW100'), a('DB2.DBW0'), a('MW0')].map((address, index) => ({
        index,
        address,
      })),
      { pduSize: 240, maxGap: 8, maxItems: 20 },
    );
    expect(plan.ranges.map((r) => [r.db, r.start, r.length, r.tags.map((t) => t.index)])).toEqual([
      [1, 0, 6, [0, 1]],
      [1, 100, 2, [2]],
      [2, 0, 2, [3]],
      [0, 0, 2, [4]],
    ]);
    expect(plan.jobs).toHaveLength(1);
  });

  it('never joins tags with a negative gap', () => {
    const plan = planReads(
      [a('DB1.DBW0'), a('DB1.DBW2')].map((address, index) => ({ index, address })),
      {
        pduSize: 240,
        maxGap: -1,
        maxItems: 20,
      },
    );
    expect(plan.ranges).toHaveLength(2);
  });

  it('cuts a range longer than a PDU into items and packs items so each acknowledgement fits', () => {
    const plan = planReads([{ index: 0, address: a('DB1.DBB0:STRING[254]', 'string') }], {
      pduSize: 240,
      maxGap: 0,
      maxItems: 20,
    });
    // 240 - 12 (ack header) - 2 (parameter) - 4 (item header) = 222 bytes per item.
    expect(plan.ranges[0]!.items.map((i) => [i.start, i.count])).toEqual([
      [0, 222],
      [222, 34],
    ]);
    expect(plan.jobs.map((j) => j.length)).toEqual([1, 1]);
  });

  it('starts a new job at the item limit', () => {
    const tags = Array.from({ length: 25 }, (_, k) => ({ index: k, address: a(`DB${k + 1}.DBW0`) }));
    const plan = planReads(tags, { pduSize: 960, maxGap: 0, maxItems: 20 });
    expect(plan.jobs.map((j) => j.length)).toEqual([20, 5]);
  });
});
