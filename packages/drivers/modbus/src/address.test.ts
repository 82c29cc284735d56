import { describe, expect, it } from 'vitest';
import { parseAddress, whyNotWritable } from './address.js';
import type { DataType } from '@watershed/model';

const ok = (text: string, dataType: DataType) => {
  const r = parseAddress(text, dataType);
  if (!r.ok) throw new Error(r.message);
  return r.address;
};
const why = (text: string, dataType: DataType): string => {
  const r = parseAddress(text, dataType);
  return r.ok ? 'ok' : r.message;
};

describe('Neuron-style addresses', () => {
  it('maps the four areas, 1-based in text and 0-based on the wire', () => {
    expect(ok('1!000001', 'bool')).toEqual({
      unitId: 1,
      area: 'coils',
      address: 0,
      count: 1,
      dataType: 'bool',
    });
    expect(ok('2!100010', 'bool')).toMatchObject({ unitId: 2, area: 'discreteInputs', address: 9 });
    expect(ok('1!300001', 'uint16')).toMatchObject({ area: 'inputRegisters', address: 0, count: 1 });
    expect(ok('247!465536', 'int16')).toMatchObject({
      unitId: 247,
      area: 'holdingRegisters',
      address: 65535,
    });
  });

  it('sizes values by data type and keeps the byte order', () => {
    expect(ok('1!300004#BB', 'int32')).toMatchObject({ address: 3, count: 2, order: 'BB' });
    expect(ok('1!400001', 'double')).toMatchObject({ count: 4 });
    expect(ok('1!400001#B', 'int16')).toMatchObject({ order: 'B' });
  });

  it('reads .BIT as a register bit for bool and .LEN as a string length', () => {
    expect(ok('1!400001.15', 'bool')).toMatchObject({ bit: 15, count: 1 });
    expect(ok('1!400001', 'bool')).toMatchObject({ bit: 0 });
    expect(ok('1!400010.20', 'string')).toMatchObject({
      address: 9,
      count: 10,
      string: { length: 20, mode: 'H' },
    });
    expect(ok('1!400010.5D', 'string')).toMatchObject({ count: 5, string: { length: 5, mode: 'D' } });
  });

  it('explains what is wrong', () => {
    expect(why('400001', 'int16')).toMatch(/expected SLAVE!AREA_ADDRESS/);
    expect(why('1!200001', 'int16')).toMatch(/area 2 is not/);
    expect(why('1!400000', 'int16')).toMatch(/1-based/);
    expect(why('300!400001', 'int16')).toMatch(/slave 300/);
    expect(why('1!000001', 'int16')).toMatch(/must be bool/);
    expect(why('1!400001.16', 'bool')).toMatch(/0..15/);
    expect(why('1!400001', 'string')).toMatch(/needs its length/);
    expect(why('1!400001#BB', 'int16')).toMatch(/use #L or #B/);
    expect(why('1!400001#B', 'float')).toMatch(/use #LL, #LB, #BL or #BB/);
    expect(why('1!400001#XY', 'float')).toMatch(/not one of/);
    expect(why('1!465536', 'float')).toMatch(/runs past/);
    expect(why('1!400001.300', 'string')).toMatch(/registers/);
    expect(why('1!400001.3', 'int32')).toMatch(/only to bool/);
  });

  it('knows what can be written', () => {
    expect(whyNotWritable(ok('1!300001', 'int16'))).toMatch(/read-only/);
    expect(whyNotWritable(ok('1!100001', 'bool'))).toMatch(/read-only/);
    expect(whyNotWritable(ok('1!400001.3', 'bool'))).toMatch(/atomically/);
    expect(whyNotWritable(ok('1!400001', 'float'))).toBeUndefined();
  });
});
