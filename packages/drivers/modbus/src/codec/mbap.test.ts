import { describe, expect, it } from 'vitest';
import { encodeMbap, MbapSplitter, type MbapFrame } from './mbap.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hx = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function collect(): { frames: { tid: number; unit: number; pdu: string }[]; splitter: MbapSplitter } {
  const frames: { tid: number; unit: number; pdu: string }[] = [];
  const splitter = new MbapSplitter((f: MbapFrame) =>
    frames.push({ tid: f.transactionId, unit: f.unitId, pdu: hx(f.pdu) }),
  );
  return { frames, splitter };
}

// Messaging on TCP/IP Implementation Guide V1.0b §3.1.3: tid, protocol 0, length = unit + PDU, unit.
describe('MBAP framing', () => {
  const frame = h('0001 0000 0006 11 03 006b 0003');

  it('encodes the header with length = PDU + 1', () => {
    expect(hx(encodeMbap(1, 0x11, h('03 006b 0003')))).toBe(hx(frame));
  });

  it('splits coalesced frames from one chunk', () => {
    const { frames, splitter } = collect();
    const two = new Uint8Array([...frame, ...encodeMbap(2, 1, h('04 0000 0001'))]);
    splitter.push(two);
    expect(frames).toEqual([
      { tid: 1, unit: 0x11, pdu: '03006b0003' },
      { tid: 2, unit: 1, pdu: '0400000001' },
    ]);
    expect(splitter.buffered).toBe(0);
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const { frames, splitter } = collect();
    for (const b of frame) splitter.push(Uint8Array.of(b));
    expect(frames).toEqual([{ tid: 1, unit: 0x11, pdu: '03006b0003' }]);
  });

  it('keeps a partial tail across chunks split mid-header and mid-PDU', () => {
    const { frames, splitter } = collect();
    const stream = new Uint8Array([...frame, ...frame, ...frame]);
    splitter.push(stream.subarray(0, 3));
    splitter.push(stream.subarray(3, 15));
    expect(frames).toHaveLength(1);
    expect(splitter.buffered).toBe(3);
    splitter.push(stream.subarray(15));
    expect(frames).toHaveLength(3);
  });

  it('rejects a non-zero protocol id and impossible lengths', () => {
    expect(() => collect().splitter.push(h('0001 0001 0006 11 03006b0003'))).toThrow(/WS_ERR|protocol 1/);
    expect(() => collect().splitter.push(h('0001 0000 00ff 11'))).toThrow(/length 255/);
    expect(() => collect().splitter.push(h('0001 0000 0001 11'))).toThrow(/length 1/);
    expect(() => collect().splitter.push(h('0001 0000 ffff 11'))).toThrow(
      expect.objectContaining({ code: 'WS_ERR_MODBUS_FRAME' }),
    );
  });
});
