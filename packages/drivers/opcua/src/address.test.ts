import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';

describe('parseAddress', () => {
  it('accepts the NodeId forms of Part 6 §5.3.1.10', () => {
    expect(parseAddress('ns=2;s=Plant.P1.Flow', 'float')).toEqual({
      ok: true,
      address: { nodeId: 'ns=2;s=Plant.P1.Flow', namespace: 2, builtInType: 'Float' },
    });
    expect(parseAddress('ns=3;i=1001', 'uint32')).toMatchObject({
      ok: true,
      address: { nodeId: 'ns=3;i=1001' },
    });
    expect(parseAddress('i=2258', 'string')).toMatchObject({
      ok: true,
      address: { nodeId: 'i=2258', namespace: 0 },
    });
    expect(parseAddress('ns=0;i=2258', 'string')).toMatchObject({ ok: true, address: { nodeId: 'i=2258' } });
    expect(parseAddress('ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a', 'int32')).toMatchObject({ ok: true });
    expect(parseAddress('ns=1;b=M/RbKBsRVkePCePcx24oRA==', 'int32')).toMatchObject({ ok: true });
  });

  it('keeps a string identifier whole, separators included', () => {
    expect(parseAddress('ns=2;s=A;B=C', 'double')).toMatchObject({
      ok: true,
      address: { nodeId: 'ns=2;s=A;B=C' },
    });
  });

  it('takes the built-in type from the data type, or from a type= prefix', () => {
    expect(parseAddress('ns=2;s=X', 'int16')).toMatchObject({ address: { builtInType: 'Int16' } });
    expect(parseAddress('ns=2;s=X', 'bool')).toMatchObject({ address: { builtInType: 'Boolean' } });
    expect(parseAddress('type=Byte;ns=2;s=X', 'uint16')).toMatchObject({
      address: { nodeId: 'ns=2;s=X', builtInType: 'Byte' },
    });
  });

  it('names what is wrong', () => {
    expect(parseAddress('Plant.Flow', 'double')).toMatchObject({
      ok: false,
      message: expect.stringContaining('NodeId') as unknown,
    });
    expect(parseAddress('ns=70000;i=1', 'double')).toMatchObject({
      ok: false,
      message: expect.stringContaining('namespace') as unknown,
    });
    expect(parseAddress('ns=1;i=x', 'double')).toMatchObject({
      ok: false,
      message: expect.stringContaining('UInt32') as unknown,
    });
    expect(parseAddress('ns=1;i=4294967296', 'double')).toMatchObject({ ok: false });
    expect(parseAddress('ns=1;g=nope', 'double')).toMatchObject({
      ok: false,
      message: expect.stringContaining('GUID') as unknown,
    });
    expect(parseAddress('type=Decimal;ns=1;i=1', 'double')).toMatchObject({ ok: false });
    expect(parseAddress('type=Boolean;ns=1;i=1', 'double')).toMatchObject({ ok: false });
    expect(parseAddress('type=Int32;ns=1;i=1', 'bool')).toMatchObject({ ok: false });
  });
});
