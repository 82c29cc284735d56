import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, FC, type Request } from './pdu.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hx = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Request/response pairs are the worked examples of MODBUS Application Protocol V1.1b3 §6.
describe('PDU codec against the spec examples', () => {
  const cases: { clause: string; req: Request; reqHex: string; resHex: string }[] = [
    {
      clause: '§6.1 read coils 20–38',
      req: { fc: FC.READ_COILS, address: 19, count: 19 },
      reqHex: '01 0013 0013',
      resHex: '01 03 cd6b05',
    },
    {
      clause: '§6.2 read discrete inputs 197–218',
      req: { fc: FC.READ_DISCRETE_INPUTS, address: 196, count: 22 },
      reqHex: '02 00c4 0016',
      resHex: '02 03 acdb35',
    },
    {
      clause: '§6.3 read holding registers 108–110',
      req: { fc: FC.READ_HOLDING_REGISTERS, address: 107, count: 3 },
      reqHex: '03 006b 0003',
      resHex: '03 06 022b 0000 0064',
    },
    {
      clause: '§6.4 read input register 9',
      req: { fc: FC.READ_INPUT_REGISTERS, address: 8, count: 1 },
      reqHex: '04 0008 0001',
      resHex: '04 02 000a',
    },
    {
      clause: '§6.5 write coil 173 ON',
      req: { fc: FC.WRITE_SINGLE_COIL, address: 172, value: true },
      reqHex: '05 00ac ff00',
      resHex: '05 00ac ff00',
    },
    {
      clause: '§6.6 write register 2 = 3',
      req: { fc: FC.WRITE_SINGLE_REGISTER, address: 1, value: 3 },
      reqHex: '06 0001 0003',
      resHex: '06 0001 0003',
    },
    {
      clause: '§6.11 write 10 coils from 20',
      req: {
        fc: FC.WRITE_MULTIPLE_COILS,
        address: 19,
        values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0].map((b) => b === 1),
      },
      reqHex: '0f 0013 000a 02 cd01',
      resHex: '0f 0013 000a',
    },
    {
      clause: '§6.12 write registers 2–3',
      req: { fc: FC.WRITE_MULTIPLE_REGISTERS, address: 1, values: Uint16Array.of(0x000a, 0x0102) },
      reqHex: '10 0001 0002 04 000a 0102',
      resHex: '10 0001 0002',
    },
  ];

  for (const c of cases) {
    it(`${c.clause}: request encodes, decodes back, and its response round-trips`, () => {
      expect(hx(encodeRequest(c.req))).toBe(hx(h(c.reqHex)));
      expect(decodeRequest(h(c.reqHex))).toEqual(c.req);
      const res = decodeResponse(h(c.resHex), c.req);
      expect(hx(encodeResponse(res))).toBe(hx(h(c.resHex)));
    });
  }

  it('§6.1: coil bits come LSB first — coil 20 is bit 0 of 0xCD', () => {
    const res = decodeResponse(h('01 03 cd6b05'), { fc: FC.READ_COILS, address: 19, count: 19 });
    expect('bits' in res && Array.from(res.bits.subarray(0, 8))).toEqual([1, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('§6.3: register values are big-endian', () => {
    const res = decodeResponse(h('03 06 022b 0000 0064'), {
      fc: FC.READ_HOLDING_REGISTERS,
      address: 107,
      count: 3,
    });
    expect('registers' in res && Array.from(res.registers)).toEqual([555, 0, 100]);
  });
});

describe('exceptions (§7)', () => {
  it('decodes 0x80|fc with its code', () => {
    expect(decodeResponse(h('81 02'), { fc: FC.READ_COILS, address: 0x04a0, count: 1 })).toEqual({
      fc: 1,
      exception: 2,
    });
    expect(hx(encodeResponse({ fc: 3, exception: 0x0b }))).toBe('830b');
  });

  it('a server refuses an unknown function with 01 and a bad quantity with 03', () => {
    expect(decodeRequest(h('2b 0e01 00'))).toEqual({ fc: 0x2b, exception: 1 });
    expect(decodeRequest(h('03 0000 007e'))).toEqual({ fc: 3, exception: 3 }); // 126 > 125 registers
    expect(decodeRequest(h('01 0000 07d1'))).toEqual({ fc: 1, exception: 3 }); // 2001 > 2000 bits
    expect(decodeRequest(h('05 0000 1234'))).toEqual({ fc: 5, exception: 3 }); // §6.5: only FF00/0000
    expect(decodeRequest(h('10 0001 0002 03 000a 01'))).toEqual({ fc: 16, exception: 3 }); // byte count ≠ 2N
  });
});

describe('response validation', () => {
  const req: Request = { fc: FC.READ_HOLDING_REGISTERS, address: 0, count: 2 };
  it('rejects a byte count that does not fit the request', () => {
    expect(() => decodeResponse(h('03 02 0001'), req)).toThrow(/byte count 2 does not fit 2 registers/);
  });
  it('rejects a response to another function', () => {
    expect(() => decodeResponse(h('04 04 0001 0002'), req)).toThrow(/does not answer/);
  });
  it('rejects a write echo for another address', () => {
    expect(() =>
      decodeResponse(h('06 0002 0003'), { fc: FC.WRITE_SINGLE_REGISTER, address: 1, value: 3 }),
    ).toThrow(/echoed address/);
  });
});
