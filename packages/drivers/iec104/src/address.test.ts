import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';
import { iec104Driver } from './module.js';

describe('IEC 104 addresses', () => {
  it('parses monitor and command addresses', () => {
    expect(parseAddress('M_ME_NC_1:16385', 'float')).toEqual({
      ok: true,
      address: { kind: 'monitor', typeId: 13, ioa: 16385, sbo: false },
    });
    // A time-tagged type names the same value as its untagged base type.
    expect(parseAddress('M_ME_TF_1:16385', 'float')).toMatchObject({ address: { typeId: 13 } });
    expect(parseAddress('C_SC_NA_1:24577:sbo', 'bool')).toEqual({
      ok: true,
      address: { kind: 'command', typeId: 45, ioa: 24577, sbo: true },
    });
    expect(parseAddress('M_DP_NA_1:7', 'uint16')).toMatchObject({ ok: true });
    expect(parseAddress('M_IT_NA_1:16777215', 'uint32')).toMatchObject({ ok: true });
  });

  it('names what is wrong', () => {
    const bad = (a: string, t: Parameters<typeof parseAddress>[1] = 'float') => {
      const r = parseAddress(a, t);
      return r.ok ? 'ok' : r.message;
    };
    expect(bad('M_XX_NA_1:1')).toMatch(/unknown type/);
    expect(bad('C_IC_NA_1:0')).toMatch(/neither/);
    expect(bad('M_ME_NC_1')).toMatch(/decimal number/);
    expect(bad('M_ME_NC_1:16777216')).toMatch(/decimal number/);
    expect(bad('M_ME_NC_1:0x10')).toMatch(/decimal number/);
    expect(bad('M_ME_NC_1:1:sbo')).toMatch(/only commands/);
    expect(bad('C_SC_NA_1:1:fast', 'bool')).toMatch(/unknown option "fast"/);
    expect(bad('M_SP_NA_1:1', 'float')).toMatch(/bool/);
    expect(bad('M_ME_NC_1:1', 'bool')).toMatch(/numbers/);
    expect(bad('M_ME_NC_1:1', 'string')).toMatch(/strings/);
    expect(iec104Driver.checkAddress('C_SE_NC_1:25089', 'float')).toEqual({ ok: true });
  });

  it('refuses t2 ≥ t1 when a driver is created', () => {
    expect(() => iec104Driver.create({ host: 'h', t1Ms: 1000, t2Ms: 1000 }, undefined as never)).toThrow(
      expect.objectContaining({ code: 'WS_ERR_CONFIG_INVALID' }),
    );
  });
});
