import { describe, expect, it } from 'vitest';
import { crc16, encodeRtu, RtuSplitter } from './rtu.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hx = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// MODBUS over Serial Line V1.02 §2.5.1.2 / §6.2.2: CRC-16, init 0xFFFF, poly 0xA001, low byte first.
describe('RTU framing', () => {
  it('computes the CRC of well-known frames', () => {
    expect(crc16(h('01 03 0000 000a'))).toBe(0xcdc5); // sent as c5 cd
    expect(hx(encodeRtu(1, h('03 0000 000a')))).toBe('01030000000ac5cd');
    expect(hx(encodeRtu(0x11, h('03 006b 0003')))).toBe('1103006b00037687');
  });

  it('splits responses by function code and byte count, across chunks', () => {
    const frames: string[] = [];
    const s = new RtuSplitter('response', (f) => frames.push(`${f.unitId}:${hx(f.pdu)}`));
    const read = encodeRtu(1, h('03 04 0001 0002'));
    const exception = encodeRtu(1, h('83 02'));
    const write = encodeRtu(2, h('10 0001 0002'));
    const stream = new Uint8Array([...read, ...exception, ...write]);
    s.push(stream.subarray(0, 4));
    s.push(stream.subarray(4, 12));
    s.push(stream.subarray(12));
    expect(frames).toEqual(['1:030400010002', '1:8302', '2:1000010002']);
  });

  it('splits requests (server side), including FC 16 with its byte count', () => {
    const frames: string[] = [];
    const s = new RtuSplitter('request', (f) => frames.push(hx(f.pdu)));
    s.push(
      new Uint8Array([...encodeRtu(1, h('10 0001 0002 04 000a 0102')), ...encodeRtu(1, h('03 0000 0001'))]),
    );
    expect(frames).toEqual(['100001000204000a0102', '0300000001']);
  });

  it('rejects a corrupted CRC and drops the buffer', () => {
    const s = new RtuSplitter('response', () => undefined);
    const bad = encodeRtu(1, h('03 02 0001'));
    bad[bad.length - 1]! ^= 0xff;
    expect(() => s.push(bad)).toThrow(/CRC/);
    expect(s.buffered).toBe(0);
  });
});
