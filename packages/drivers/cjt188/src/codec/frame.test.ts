/**
 * Frames checked by hand (sums written out below) against the CJ/T 188-2004 layout
 * 68 T A0..A6 C L DI0 DI1 SER data CS 16, DI high byte first in the 2004 edition and the address
 * low byte first (https://ng-gateway.com/southward/cjt188/address-di.html).
 */
import { describe, expect, it } from 'vitest';
import { BROADCAST_ADDRESS } from './address.js';
import { decodeFrame, encodeFrame, isAbnormal, isResponse, type Frame } from './frame.js';
import { FrameSplitter } from './splitter.js';
import {
  answer,
  decodeMeterData,
  encodeMeterData,
  readAddressRequest,
  readDataRequest,
  valveRequest,
  abnormalAnswer,
  encodeStatus,
  UNIT,
} from './messages.js';

const h = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (b) => parseInt(b, 16));
const ADDR = '11223344556677';

// 68+10+77+66+55+44+33+22+11+01+03+90+1F+00 = 0x307 → CS 07
const READ_901F = h('68 10 77 66 55 44 33 22 11 01 03 90 1F 00 07 16');
// 68+10+7×AA+03+03+81+0A+00 = 0x5AF → CS AF
const READ_ADDRESS_BROADCAST = h('68 10 AA AA AA AA AA AA AA 03 03 81 0A 00 AF 16');
// 68+10+(77..11 = 1DC)+04+04+A0+17+01+99 = 0x3AD → CS AD
const VALVE_CLOSE = h('68 10 77 66 55 44 33 22 11 04 04 A0 17 01 99 AD 16');
// 1234.56 m³, settlement 1200.00 m³, 2026-11-27 21:50:23, ST 04 00 (valve open, battery low).
// header 0x39A + payload 0x21C = 0x5B6 → CS B6
const ANSWER_901F = h(`68 10 77 66 55 44 33 22 11 81 16 90 1F 00
  56 34 12 00 2C  00 00 12 00 2C  23 50 21 27 11 26 20  04 00  B6 16`);

describe('frame codec', () => {
  it('encodes the 901FH read request', () => {
    expect(encodeFrame(readDataRequest(0x10, ADDR, 0))).toEqual(READ_901F);
  });

  it('prefixes FEH wake-up bytes when asked', () => {
    const bytes = encodeFrame(readDataRequest(0x10, ADDR, 0), 3);
    expect([...bytes.subarray(0, 3)]).toEqual([0xfe, 0xfe, 0xfe]);
    expect(bytes.subarray(3)).toEqual(READ_901F);
  });

  it('encodes the broadcast address read and the valve command', () => {
    expect(encodeFrame(readAddressRequest(0x10, BROADCAST_ADDRESS, 0))).toEqual(READ_ADDRESS_BROADCAST);
    expect(encodeFrame(valveRequest(0x10, ADDR, 1, false))).toEqual(VALVE_CLOSE);
  });

  it('decodes and re-encodes the 901FH answer', () => {
    const f = decodeFrame(ANSWER_901F) as Frame;
    expect(f).toMatchObject({ meterType: 0x10, address: ADDR, control: 0x81, di: 0x901f, ser: 0 });
    expect(isResponse(f)).toBe(true);
    expect(isAbnormal(f)).toBe(false);
    expect(decodeMeterData(f.payload)).toEqual({
      total: 1234.56,
      unit: UNIT.M3,
      settlementTotal: 1200,
      settlementUnit: UNIT.M3,
      time: { year: 2026, month: 11, day: 27, hour: 21, minute: 50, second: 23 },
      status: { valve: 'open', batteryLow: true, raw: 0x0004 },
    });
    const data = decodeMeterData(f.payload);
    if (typeof data === 'string') throw new Error(data);
    const again = encodeFrame(answer(readDataRequest(0x10, ADDR, 0), encodeMeterData(data)));
    expect(again).toEqual(ANSWER_901F);
  });

  it('rejects bad checksum, end byte and length', () => {
    const bad = ANSWER_901F.slice();
    bad[20] = 0x57;
    expect(decodeFrame(bad)).toMatch(/checksum/);
    const noEnd = READ_901F.slice();
    noEnd[noEnd.length - 1] = 0x17;
    expect(decodeFrame(noEnd)).toMatch(/16H/);
    expect(decodeFrame(READ_901F.subarray(0, 10))).toMatch(/short/);
  });

  it('rejects non-BCD flow and impossible dates in 901FH data', () => {
    const f = decodeFrame(ANSWER_901F) as Frame;
    const p = f.payload.slice();
    p[0] = 0x5a;
    expect(decodeMeterData(p)).toMatch(/not BCD/);
    const q = f.payload.slice();
    q[14] = 0x13; // month 13
    expect(decodeMeterData(q)).toMatch(/not a date/);
    expect(decodeMeterData(f.payload.subarray(0, 10))).toMatch(/expected 19/);
  });

  it('marks abnormal answers with D6', () => {
    const req = valveRequest(0x10, ADDR, 2, true);
    const f = decodeFrame(
      encodeFrame(abnormalAnswer(req, encodeStatus({ valve: 'abnormal', batteryLow: false }))),
    ) as Frame;
    expect(f.control).toBe(0xc4);
    expect(isAbnormal(f)).toBe(true);
  });
});

describe('FrameSplitter', () => {
  const collect = (): { frames: Frame[]; garbage: number[]; s: FrameSplitter } => {
    const frames: Frame[] = [];
    const garbage: number[] = [];
    const s = new FrameSplitter(
      (f) => frames.push(f),
      (n) => garbage.push(n),
    );
    return { frames, garbage, s };
  };

  it('skips FE preambles and garbage, and finds frames across chunk boundaries', () => {
    const { frames, garbage, s } = collect();
    const stream = new Uint8Array([0xfe, 0xfe, 0x00, 0x13, ...ANSWER_901F, 0xfe, ...READ_901F]);
    for (let i = 0; i < stream.length; i += 5) s.push(stream.subarray(i, i + 5));
    expect(frames.map((f) => f.di)).toEqual([0x901f, 0x901f]);
    expect(frames[0]?.control).toBe(0x81);
    expect(frames[1]?.control).toBe(0x01);
    expect(garbage.reduce((a, b) => a + b, 0)).toBe(2);
    expect(s.buffered).toBe(0);
  });

  it('resynchronises after a corrupted frame and a stray 68H', () => {
    const { frames, s } = collect();
    const corrupt = ANSWER_901F.slice();
    corrupt[corrupt.length - 2] = (corrupt[corrupt.length - 2] ?? 0) ^ 0xff;
    s.push(new Uint8Array([...corrupt, 0x68, 0x01, ...READ_901F]));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.control).toBe(0x01);
  });

  it('holds a partial frame until the rest arrives', () => {
    const { frames, s } = collect();
    s.push(ANSWER_901F.subarray(0, 12));
    expect(frames).toHaveLength(0);
    expect(s.buffered).toBe(12);
    s.push(ANSWER_901F.subarray(12));
    expect(frames).toHaveLength(1);
  });
});
