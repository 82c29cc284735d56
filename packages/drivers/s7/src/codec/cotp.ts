/**
 * The ISO 8073 class 0 transport PDUs S7 uses over RFC 1006: Connection Request (CR),
 * Connection Confirm (CC), Disconnect Request (DR) and Data (DT). The TSAPs in CR/CC name the
 * endpoints; for S7 the called TSAP carries the connection type and the CPU's rack and slot.
 */
import { S7Errors } from '../errors.js';

/** ISO 8073 §13.1 TPDU codes (high nibble of the second octet). */
export const TPDU = { CR: 0xe0, CC: 0xd0, DR: 0x80, DT: 0xf0 } as const;

/** ISO 8073 §13.3.4 parameter codes. */
const PARAM = { TPDU_SIZE: 0xc0, CALLING_TSAP: 0xc1, CALLED_TSAP: 0xc2 } as const;

/** TPDU size code 0x0a = 1024 octets (ISO 8073 §13.3.4 b); S7 PDUs fit well inside. */
const TPDU_SIZE_1024 = 0x0a;

export interface ConnectionTpdu {
  readonly kind: 'CR' | 'CC';
  readonly dstRef: number;
  readonly srcRef: number;
  readonly callingTsap?: number;
  readonly calledTsap?: number;
  readonly tpduSize?: number;
}

export type Tpdu =
  | ConnectionTpdu
  | { readonly kind: 'DR'; readonly dstRef: number; readonly srcRef: number; readonly reason: number }
  | { readonly kind: 'DT'; readonly eot: boolean; readonly payload: Uint8Array };

function connectionTpdu(code: number, t: Omit<ConnectionTpdu, 'kind'>): Uint8Array {
  const params: number[] = [PARAM.TPDU_SIZE, 1, t.tpduSize ?? TPDU_SIZE_1024];
  if (t.callingTsap !== undefined)
    params.push(PARAM.CALLING_TSAP, 2, t.callingTsap >> 8, t.callingTsap & 0xff);
  if (t.calledTsap !== undefined) params.push(PARAM.CALLED_TSAP, 2, t.calledTsap >> 8, t.calledTsap & 0xff);
  // LI counts the octets after itself; class 0 and no options (the octet after the references).
  const body = [code, t.dstRef >> 8, t.dstRef & 0xff, t.srcRef >> 8, t.srcRef & 0xff, 0x00, ...params];
  return Uint8Array.from([body.length, ...body]);
}

export function encodeCr(o: { srcRef: number; callingTsap: number; calledTsap: number }): Uint8Array {
  return connectionTpdu(TPDU.CR, { dstRef: 0, ...o });
}

export function encodeCc(o: Omit<ConnectionTpdu, 'kind'>): Uint8Array {
  return connectionTpdu(TPDU.CC, o);
}

/** A DT TPDU carrying a whole S7 PDU: LI 2, code 0xF0, EOT set with TPDU-NR 0 (ISO 8073 §13.7). */
export function encodeDt(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + payload.length);
  out.set([0x02, TPDU.DT, 0x80]);
  out.set(payload, 3);
  return out;
}

export function decodeTpdu(b: Uint8Array): Tpdu {
  const li = b[0];
  if (li === undefined || b.length < li + 1 || li < 2) throw S7Errors.FRAME.create(['COTP length indicator']);
  const code = b[1]! & 0xf0;
  if (code === TPDU.DT) return { kind: 'DT', eot: (b[2]! & 0x80) !== 0, payload: b.subarray(li + 1) };
  if (li < 6) throw S7Errors.FRAME.create([`COTP TPDU 0x${code.toString(16)} too short`]);
  const dstRef = (b[2]! << 8) | b[3]!;
  const srcRef = (b[4]! << 8) | b[5]!;
  if (code === TPDU.DR) return { kind: 'DR', dstRef, srcRef, reason: b[6]! };
  if (code !== TPDU.CR && code !== TPDU.CC) {
    throw S7Errors.FRAME.create([`unsupported COTP TPDU 0x${code.toString(16)}`]);
  }
  let callingTsap: number | undefined;
  let calledTsap: number | undefined;
  let tpduSize: number | undefined;
  for (let at = 7; at + 1 <= li;) {
    const p = b[at]!;
    const len = b[at + 1]!;
    const v = b.subarray(at + 2, at + 2 + len);
    if (v.length !== len) throw S7Errors.FRAME.create(['COTP parameter overruns the TPDU']);
    const u16 = len === 2 ? (v[0]! << 8) | v[1]! : undefined;
    if (p === PARAM.CALLING_TSAP) callingTsap = u16;
    else if (p === PARAM.CALLED_TSAP) calledTsap = u16;
    else if (p === PARAM.TPDU_SIZE) tpduSize = v[0];
    at += 2 + len;
  }
  return {
    kind: code === TPDU.CR ? 'CR' : 'CC',
    dstRef,
    srcRef,
    ...(callingTsap !== undefined ? { callingTsap } : {}),
    ...(calledTsap !== undefined ? { calledTsap } : {}),
    ...(tpduSize !== undefined ? { tpduSize } : {}),
  };
}
