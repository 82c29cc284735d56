import { describe, expect, it } from 'vitest';
import type { DataType } from '@watershed/model';
import { parseAddress, type ModbusAddress } from './address.js';
import { planReads } from './plan.js';

const A = (text: string, dataType: DataType = 'uint16'): ModbusAddress => {
  const r = parseAddress(text, dataType);
  if (!r.ok) throw new Error(r.message);
  return r.address;
};
const spans = (blocks: ReturnType<typeof planReads>) =>
  blocks.map((b) => `${b.unitId}/${b.area}/${b.address}+${b.count}`);

describe('read coalescing', () => {
  it('merges contiguous and overlapping tags of one unit and area, whatever the input order', () => {
    const tags = [
      A('1!400003', 'float'),
      A('1!400001'),
      A('1!400002'),
      A('1!400003.4', 'bool'),
      A('1!400005'),
    ];
    const blocks = planReads(tags);
    expect(spans(blocks)).toEqual(['1/holdingRegisters/0+5']);
    expect([...blocks[0]!.members].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps units and areas apart', () => {
    const blocks = planReads([
      A('1!400001'),
      A('2!400002'),
      A('1!300002'),
      A('1!000001', 'bool'),
      A('1!000002', 'bool'),
    ]);
    expect(spans(blocks).sort()).toEqual([
      '1/coils/0+2',
      '1/holdingRegisters/0+1',
      '1/inputRegisters/1+1',
      '2/holdingRegisters/1+1',
    ]);
  });

  it('bridges holes up to maxGap only', () => {
    const tags = [A('1!400001'), A('1!400005'), A('1!400020')];
    expect(spans(planReads(tags))).toEqual([
      '1/holdingRegisters/0+1',
      '1/holdingRegisters/4+1',
      '1/holdingRegisters/19+1',
    ]);
    expect(spans(planReads(tags, { maxGap: 3 }))).toEqual([
      '1/holdingRegisters/0+5',
      '1/holdingRegisters/19+1',
    ]);
  });

  it('splits at 125 registers / 2000 bits or a configured maximum, never cutting a tag', () => {
    const regs = Array.from({ length: 130 }, (_, i) => A(`1!4${String(i + 1).padStart(5, '0')}`));
    expect(spans(planReads(regs))).toEqual(['1/holdingRegisters/0+125', '1/holdingRegisters/125+5']);
    const floats = Array.from({ length: 10 }, (_, i) =>
      A(`1!4${String(2 * i + 1).padStart(5, '0')}`, 'float'),
    );
    expect(spans(planReads(floats, { maxRegisters: 5 }))).toEqual([
      '1/holdingRegisters/0+4',
      '1/holdingRegisters/4+4',
      '1/holdingRegisters/8+4',
      '1/holdingRegisters/12+4',
      '1/holdingRegisters/16+4',
    ]);
    const bits = Array.from({ length: 2001 }, (_, i) => A(`1!0${String(i + 1).padStart(5, '0')}`, 'bool'));
    expect(spans(planReads(bits))).toEqual(['1/coils/0+2000', '1/coils/2000+1']);
  });

  it('serves duplicate tags from one block', () => {
    const blocks = planReads([A('1!400001'), A('1!400001')]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.members).toHaveLength(2);
  });
});
