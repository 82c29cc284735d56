import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';

describe('S7 addresses', () => {
  it.each([
    ['DB1.DBX0.3', 'bool', { area: 'DB', db: 1, start: 0, bit: 3, type: 'BOOL', size: 1 }],
    ['db1.dbw2', 'uint16', { area: 'DB', db: 1, start: 2, type: 'WORD', size: 2 }],
    ['DB1.DBW2', 'int16', { type: 'INT' }],
    ['DB1.DBD4:REAL', 'float', { start: 4, type: 'REAL', size: 4 }],
    ['DB1.DBD4', 'float', { type: 'REAL' }],
    ['DB1.DBD4', 'int32', { type: 'DINT' }],
    ['DB1.DBB8:LREAL', 'double', { type: 'LREAL', size: 8 }],
    ['DB2.DBB0:STRING[20]', 'string', { type: 'STRING', size: 22, maxLength: 20 }],
    ['DB2.DBB0:CHAR', 'string', { type: 'CHAR', size: 1 }],
    ['MW10', 'uint16', { area: 'M', areaCode: 0x83, db: 0, start: 10, type: 'WORD' }],
    ['M10.3', 'bool', { area: 'M', start: 10, bit: 3 }],
    ['I0.1', 'bool', { area: 'I', areaCode: 0x81, bit: 1 }],
    ['E0.1', 'bool', { area: 'I' }],
    ['Q0.0', 'bool', { area: 'Q', areaCode: 0x82 }],
    ['A1.2', 'bool', { area: 'Q', start: 1, bit: 2 }],
    ['QD4:REAL', 'float', { area: 'Q', type: 'REAL' }],
    ['IB3', 'uint16', { area: 'I', type: 'BYTE', size: 1 }],
  ] as const)('%s as %s', (text, dataType, expected) => {
    const r = parseAddress(text, dataType);
    expect(r).toMatchObject({ ok: true, address: expected });
  });

  it.each([
    ['DB0.DBW0', 'uint16', /start at 1/],
    ['DB1.DBX0', 'bool', /bit number/],
    ['DB1.DBX0.8', 'bool', /0–7/],
    ['DB1.DBW0.1', 'uint16', /no bit/],
    ['DB1.DBW0:REAL', 'float', /4 bytes/],
    ['DB1.DBX0.1', 'uint16', /bool/],
    ['DB1.DBW0', 'bool', /does not read as bool/],
    ['DB1.DBB0:STRING[300]', 'string', /1–254/],
    ['DB1.DBB0:STRING[10]', 'float', /does not read/],
    ['DB1.DBB0:FOO', 'uint16', /unknown S7 type/],
    ['X1', 'uint16', /expected/],
    ['DB1.DBB65535:LREAL', 'double', /past byte/],
  ] as const)('rejects %s as %s', (text, dataType, message) => {
    const r = parseAddress(text, dataType);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
