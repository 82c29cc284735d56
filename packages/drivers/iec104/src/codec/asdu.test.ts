import { describe, expect, it } from 'vitest';
import { decodeAsdu, encodeAsdu, maxObjects } from './asdu.js';
import { readCp56, writeCp56 } from './cp56.js';
import { mapQuality } from './quality.js';
import { Cot, TypeId } from './types.js';

const bytes = (s: string) =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/)
      .map((x) => parseInt(x, 16)),
  );
const hex = (b: Uint8Array) =>
  Buffer.from(b)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');

// 2026-03-14 15:09:26.535 UTC, a Saturday: ms-of-minute 26535 = 0x67a7, minute 9, hour 15,
// day 14 | dow 6 << 5 = 0xce, month 3, year 26.
const T = Date.UTC(2026, 2, 14, 15, 9, 26, 535);
const T_BYTES = 'a7 67 09 0f ce 03 1a';

describe('ASDU header (IEC 60870-5-101 §7.2.1–7.2.5, 104 §7)', () => {
  it('encodes a general interrogation command: type 100, VSQ 1, COT 6, CA 1, IOA 0, QOI 20', () => {
    const a = {
      typeId: TypeId.C_IC_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: 1,
      objects: [{ ioa: 0, value: 20 }],
    };
    expect(hex(encodeAsdu(a))).toBe('64 01 06 00 01 00 00 00 00 14');
    expect(decodeAsdu(bytes('64 01 47 00 01 00 00 00 00 14'))).toMatchObject({
      typeId: 100,
      cot: Cot.ACTIVATION_CON,
      negative: true,
      test: false,
      commonAddress: 1,
      objects: [{ ioa: 0, value: 20 }],
    });
  });

  it('reads the T bit, originator address and a 2-octet common address', () => {
    const d = decodeAsdu(bytes('0d 01 83 07 34 12 01 40 00 00 00 c0 3f 00'));
    expect(d).toMatchObject({ cot: 3, test: true, originator: 7, commonAddress: 0x1234 });
    expect(d.objects).toEqual([{ ioa: 16385, value: 1.5, quality: 0 }]);
  });

  it('decodes SQ=1 objects at consecutive IOAs (§7.2.2)', () => {
    // M_SP_NA_1, SQ=1, three objects from IOA 1000 (e8 03 00): on, off, on+IV.
    const d = decodeAsdu(bytes('01 83 14 00 01 00 e8 03 00 01 00 81'));
    expect(d.objects).toEqual([
      { ioa: 1000, value: true, quality: 0 },
      { ioa: 1001, value: false, quality: 0 },
      { ioa: 1002, value: true, quality: 0x80 },
    ]);
    expect(encodeAsdu({ ...d, sequence: true })).toEqual(bytes('01 83 14 00 01 00 e8 03 00 01 00 81'));
  });

  it('rejects a length that does not match the VSQ, and flags unknown types without failing', () => {
    expect(() => decodeAsdu(bytes('0d 02 03 00 01 00 01 40 00 00 00 c0 3f 00'))).toThrow(
      expect.objectContaining({ code: 'WS_ERR_IEC104_FRAME' }),
    );
    expect(decodeAsdu(bytes('7f 01 06 00 01 00 00 00 00 00'))).toMatchObject({
      typeId: 127,
      supported: false,
      objects: [],
    });
    expect(maxObjects(TypeId.M_ME_NC_1)).toBe(30);
    expect(maxObjects(TypeId.M_SP_NA_1, true)).toBe(127);
  });
});

describe('information elements (101 §7.2.6)', () => {
  const roundTrip = (typeId: number, objectHex: string, expected: object) => {
    const frame = bytes(`${typeId.toString(16).padStart(2, '0')} 01 03 00 01 00 ${objectHex}`);
    const d = decodeAsdu(frame);
    expect(d.objects[0]).toEqual(expected);
    expect(hex(encodeAsdu(d))).toBe(hex(frame));
  };

  it('M_DP_NA_1: DPI in bits 1–2 with quality bits (§7.2.6.2)', () => {
    roundTrip(TypeId.M_DP_NA_1, '02 00 00 42', { ioa: 2, value: 2, quality: 0x40 });
  });

  it('M_ME_NA_1: normalised value is int16 / 2^15 (§7.2.6.6)', () => {
    roundTrip(TypeId.M_ME_NA_1, '01 00 00 00 40 00', { ioa: 1, value: 0.5, quality: 0 });
    roundTrip(TypeId.M_ME_NA_1, '01 00 00 00 80 01', { ioa: 1, value: -1, quality: 0x01 });
  });

  it('M_ME_NB_1: scaled value is a signed int16 (§7.2.6.7)', () => {
    roundTrip(TypeId.M_ME_NB_1, '05 00 00 18 fc 10', { ioa: 5, value: -1000, quality: 0x10 });
  });

  it('M_IT_NA_1: BCR counter with sequence number and CY/CA/IV (§7.2.6.9)', () => {
    roundTrip(TypeId.M_IT_NA_1, '0a 00 00 40 e2 01 00 23', {
      ioa: 10,
      value: 123456,
      sequence: 3,
      quality: 0x20,
    });
  });

  it('time-tagged variants carry CP56Time2a after the elements (§7.2.6.18)', () => {
    roundTrip(TypeId.M_SP_TB_1, `01 01 00 01 ${T_BYTES}`, {
      ioa: 257,
      value: true,
      quality: 0,
      time: T,
      timeInvalid: false,
    });
    roundTrip(TypeId.M_DP_TB_1, `01 01 00 01 ${T_BYTES}`, {
      ioa: 257,
      value: 1,
      quality: 0,
      time: T,
      timeInvalid: false,
    });
    roundTrip(TypeId.M_ME_TD_1, `01 01 00 00 c0 00 ${T_BYTES}`, {
      ioa: 257,
      value: -0.5,
      quality: 0,
      time: T,
      timeInvalid: false,
    });
    roundTrip(TypeId.M_ME_TE_1, `01 01 00 e8 03 00 ${T_BYTES}`, {
      ioa: 257,
      value: 1000,
      quality: 0,
      time: T,
      timeInvalid: false,
    });
    roundTrip(TypeId.M_ME_TF_1, `01 40 00 00 00 c0 3f 80 ${T_BYTES}`, {
      ioa: 16385,
      value: 1.5,
      quality: 0x80,
      time: T,
      timeInvalid: false,
    });
    roundTrip(TypeId.M_IT_TB_1, `01 01 00 ff ff ff ff 80 ${T_BYTES}`, {
      ioa: 257,
      value: -1,
      sequence: 0,
      quality: 0x80,
      time: T,
      timeInvalid: false,
    });
  });

  it('commands: SCO, DCO and set-points with the S/E bit (§7.2.6.15, .16, .39)', () => {
    roundTrip(TypeId.C_SC_NA_1, '01 60 00 81', { ioa: 24577, value: true, qualifier: 0, select: true });
    roundTrip(TypeId.C_DC_NA_1, '01 60 00 06', { ioa: 24577, value: 2, qualifier: 1, select: false });
    roundTrip(TypeId.C_SE_NC_1, '01 62 00 00 00 48 42 80', {
      ioa: 25089,
      value: 50,
      qualifier: 0,
      select: true,
    });
    roundTrip(TypeId.C_SE_NB_1, '01 62 00 64 00 00', { ioa: 25089, value: 100, qualifier: 0, select: false });
    roundTrip(TypeId.C_SE_NA_1, '01 62 00 00 20 00', {
      ioa: 25089,
      value: 0.25,
      qualifier: 0,
      select: false,
    });
  });

  it('C_CI_NA_1 carries QCC and C_CS_NA_1 a CP56Time2a (§7.2.6.23, §7.3.4.4)', () => {
    roundTrip(TypeId.C_CI_NA_1, '00 00 00 05', { ioa: 0, value: 5 });
    roundTrip(TypeId.C_CS_NA_1, `00 00 00 ${T_BYTES}`, { ioa: 0, value: 0, time: T, timeInvalid: false });
  });
});

describe('CP56Time2a', () => {
  it('round-trips an instant and reads the IV and SU bits', () => {
    const b = new Uint8Array(7);
    writeCp56(b, 0, T, true);
    expect(hex(b)).toBe('a7 67 89 0f ce 03 1a');
    expect(readCp56(b, 0)).toEqual({ ms: T, invalid: true, summer: false });
    b[3] = 0x8f;
    expect(readCp56(b, 0)?.summer).toBe(true);
  });

  it('refuses out-of-range fields instead of inventing a date', () => {
    expect(readCp56(bytes('60 ea 00 00 01 01 00'), 0)).toBeUndefined();
    expect(readCp56(bytes('00 00 00 00 01 0d 00'), 0)).toBeUndefined();
  });
});

describe('quality mapping', () => {
  it('IV is bad; NT, SB, BL and OV are uncertain, named in the reason', () => {
    expect(mapQuality(TypeId.M_ME_NC_1, 0)).toEqual({ quality: 'good' });
    expect(mapQuality(TypeId.M_ME_NC_1, 0x81)).toEqual({ quality: 'bad', reason: 'IEC104_IV,OV' });
    expect(mapQuality(TypeId.M_SP_TB_1, 0x60)).toEqual({ quality: 'uncertain', reason: 'IEC104_NT,SB' });
    expect(mapQuality(TypeId.M_ME_TF_1, 0x10)).toEqual({ quality: 'uncertain', reason: 'IEC104_BL' });
    expect(mapQuality(TypeId.M_IT_TB_1, 0x60)).toEqual({ quality: 'uncertain', reason: 'IEC104_CA,CY' });
  });
});
