import { describe, expect, it } from 'vitest';
import { ApduSplitter, U, decodeApdu, encodeI, encodeS, encodeU, seqDistance } from './apci.js';

const bytes = (s: string) => Uint8Array.from(s.split(/\s+/).map((x) => parseInt(x, 16)));

describe('APCI (IEC 60870-5-104 §5)', () => {
  it('encodes and decodes the six U-format functions (§5, U format; §5.2 and §5.3 for their use)', () => {
    expect(encodeU(U.STARTDT_ACT)).toEqual(bytes('68 04 07 00 00 00'));
    expect(encodeU(U.STARTDT_CON)).toEqual(bytes('68 04 0b 00 00 00'));
    expect(encodeU(U.STOPDT_ACT)).toEqual(bytes('68 04 13 00 00 00'));
    expect(encodeU(U.STOPDT_CON)).toEqual(bytes('68 04 23 00 00 00'));
    expect(encodeU(U.TESTFR_ACT)).toEqual(bytes('68 04 43 00 00 00'));
    expect(encodeU(U.TESTFR_CON)).toEqual(bytes('68 04 83 00 00 00'));
    expect(decodeApdu(bytes('68 04 43 00 00 00'))).toEqual({ format: 'U', fn: U.TESTFR_ACT });
  });

  it('puts N(R) shifted by one bit into octets 3–4 of an S-frame (§5, S format)', () => {
    expect(encodeS(2)).toEqual(bytes('68 04 01 00 04 00'));
    expect(encodeS(32767)).toEqual(bytes('68 04 01 00 fe ff'));
    expect(decodeApdu(bytes('68 04 01 00 04 01'))).toEqual({ format: 'S', nr: 130 });
  });

  it('numbers I-frames with N(S) and N(R) modulo 32768 (§5, I format; §5.1)', () => {
    const asdu = bytes('64 01 06 00 01 00 00 00 00 14');
    const f = encodeI(1, 300, asdu);
    // N(S)=1 → 02 00; N(R)=300 → 600 = 0x258 → 58 02.
    expect(f).toEqual(bytes('68 0e 02 00 58 02 64 01 06 00 01 00 00 00 00 14'));
    expect(decodeApdu(f)).toEqual({ format: 'I', ns: 1, nr: 300, asdu });
    expect(decodeApdu(encodeI(32768 + 5, 32767, asdu))).toMatchObject({ ns: 5, nr: 32767 });
    expect(seqDistance(2, 32766)).toBe(4);
  });

  it('rejects malformed control fields and lengths', () => {
    for (const bad of [
      '69 04 07 00 00 00',
      '68 05 07 00 00 00',
      '68 04 03 00 00 00',
      '68 04 05 00 00 00',
      '68 04 07 00 01 00',
      '68 04 00 00 00 00',
    ]) {
      expect(() => decodeApdu(bytes(bad)), bad).toThrow(
        expect.objectContaining({ code: 'WS_ERR_IEC104_FRAME' }),
      );
    }
    expect(() => encodeI(0, 0, new Uint8Array(250))).toThrow(/ASDU of 250/);
  });
});

describe('ApduSplitter', () => {
  it('splits coalesced frames and joins partial ones', () => {
    const frames: string[] = [];
    const s = new ApduSplitter((f) => frames.push(Buffer.from(f).toString('hex')));
    const i = encodeI(0, 0, bytes('64 01 06 00 01 00 00 00 00 14'));
    const all = new Uint8Array([...encodeU(U.STARTDT_CON), ...i, ...encodeS(1)]);
    s.push(all.subarray(0, 1));
    s.push(all.subarray(1, 9));
    expect(frames).toEqual(['68040b000000']);
    expect(s.buffered).toBe(3);
    s.push(all.subarray(9));
    expect(frames).toHaveLength(3);
    expect(frames[1]).toBe(Buffer.from(i).toString('hex'));
    expect(frames[2]).toBe('680401000200');
    expect(s.buffered).toBe(0);
  });

  it('throws on garbage where a frame must start, and on a length below 4', () => {
    const s = new ApduSplitter(() => undefined);
    expect(() => s.push(bytes('00 68 04 07 00 00 00'))).toThrow(
      expect.objectContaining({ code: 'WS_ERR_IEC104_FRAME' }),
    );
    expect(s.buffered).toBe(0);
    expect(() => s.push(bytes('68 02 07 00'))).toThrow(/out of step/);
    expect(() => s.push(bytes('68 fe'))).toThrow(/out of step/);
  });
});
