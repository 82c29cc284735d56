/**
 * Frames from public references:
 *  - ISO_CR and S7_PN (PDU negotiation) as sent by snap7's client and Settimino
 *    (snap7 s7_isotcp.cpp / Settimino Settimino.cpp "ISO_CR", "S7_PN"), rack 0 slot 2, PDU 480.
 *  - The Read Var acknowledgement captured from node-snap7 1.0.9 (snap7 1.4.2) in this package's
 *    interop test set-up: items that failed are a 4-octet header with a stray length.
 */
import { describe, expect, it } from 'vitest';
import { decodeTpdu, encodeCr, encodeDt } from './cotp.js';
import {
  AREA,
  decodeDataItems,
  decodePdu,
  decodeReadRequest,
  decodeSetup,
  encodeDataItems,
  encodePdu,
  encodeReadRequest,
  encodeSetup,
  encodeWriteParam,
  ROSCTR,
} from './s7comm.js';
import { encodeTpkt, TpktSplitter } from './tpkt.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const ISO_CR = '03 00 00 16 11 e0 00 00 00 01 00 c0 01 0a c1 02 01 00 c2 02 01 02';
const S7_PN = '03 00 00 19 02 f0 80 32 01 00 00 04 00 00 08 00 00 f0 00 00 01 00 01 01 e0';
const SNAP7_READ_ACK =
  '03 00 00 2a 02 f0 80 32 03 00 00 00 05 00 02 00 15 00 00 04 04 ff 04 00 10 00 00 0a 00 00 04 05 00 00 04 ff 04 00 18 00 00 00';

describe('TPKT and COTP', () => {
  it('encodes the connection request snap7 sends for rack 0, slot 2', () => {
    expect(toHex(encodeTpkt(encodeCr({ srcRef: 1, callingTsap: 0x0100, calledTsap: 0x0102 })))).toBe(
      ISO_CR.replace(/ /g, ''),
    );
  });

  it('decodes a connection confirm and reassembles packets split across chunks', () => {
    const cc = hex('03 00 00 16 11 d0 00 01 00 01 00 c0 01 0a c1 02 01 00 c2 02 01 02');
    const s = new TpktSplitter();
    expect(s.push(cc.subarray(0, 3))).toEqual([]);
    const [tpdu] = s.push(Uint8Array.from([...cc.subarray(3), ...hex(S7_PN)]).subarray(0, cc.length - 3 + 5));
    expect(decodeTpdu(tpdu!)).toEqual({
      kind: 'CC',
      dstRef: 1,
      srcRef: 1,
      callingTsap: 0x0100,
      calledTsap: 0x0102,
      tpduSize: 0x0a,
    });
  });

  it('refuses a packet that is not TPKT version 3', () => {
    expect(() => new TpktSplitter().push(hex('04 00 00 07 02 f0 80'))).toThrow(/RFC 1006/);
  });
});

describe('S7comm', () => {
  it('encodes the PDU negotiation job of the references', () => {
    const pdu = encodePdu(
      { rosctr: ROSCTR.JOB, pduRef: 0x0400 },
      encodeSetup({ maxAmqCalling: 1, maxAmqCalled: 1, pduLength: 480 }),
    );
    expect(toHex(encodeTpkt(encodeDt(pdu)))).toBe(S7_PN.replace(/ /g, ''));
    expect(decodeSetup(decodePdu(pdu).param)).toEqual({ maxAmqCalling: 1, maxAmqCalled: 1, pduLength: 480 });
  });

  it('encodes Read Var items as S7ANY pointers with a bit address, and decodes them back', () => {
    const items = [
      { area: AREA.DB, db: 1, start: 2, bit: 0, size: 'byte' as const, count: 4 },
      { area: AREA.M, db: 0, start: 10, bit: 3, size: 'bit' as const, count: 1 },
    ];
    const param = encodeReadRequest(items);
    expect(toHex(param)).toBe('0402' + '120a10020004000184000010' + '120a100100010000830000' + '53');
    expect(decodeReadRequest(param)).toEqual(items);
    expect(encodeWriteParam(items)[0]).toBe(0x05);
  });

  it("decodes snap7's Read Var acknowledgement with failed items among good ones", () => {
    const [tpdu] = new TpktSplitter().push(hex(SNAP7_READ_ACK));
    const dt = decodeTpdu(tpdu!);
    if (dt.kind !== 'DT') throw new Error('expected DT');
    const pdu = decodePdu(dt.payload);
    expect(pdu).toMatchObject({ rosctr: ROSCTR.ACK_DATA, pduRef: 5, errorClass: 0, errorCode: 0 });
    expect(decodeDataItems(pdu.data, 4).map((r) => [r.returnCode, toHex(r.data)])).toEqual([
      [0xff, '0000'],
      [0x0a, ''],
      [0x05, ''],
      [0xff, '000000'],
    ]);
  });

  it('pads odd data items except the last, and counts BYTE lengths in bits and BIT lengths in bits', () => {
    const data = encodeDataItems([
      { returnCode: 0xff, data: Uint8Array.of(1, 2, 3) },
      { returnCode: 0xff, bit: true, data: Uint8Array.of(1) },
    ]);
    expect(toHex(data)).toBe('ff040018010203' + '00' + 'ff03000101');
    expect(decodeDataItems(data, 2).map((r) => toHex(r.data))).toEqual(['010203', '01']);
  });
});
