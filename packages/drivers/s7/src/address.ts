/**
 * S7 tag addresses in the syntax of STEP 7 / TIA Portal absolute addressing, as most gateways
 * accept them:
 *
 *   DB1.DBX0.3   DB1.DBB2   DB1.DBW2   DB1.DBD4:REAL   DB2.DBB0:STRING[20]   DB1.DBB8:LREAL
 *   M10.3  MB10  MW10  MD10   I0.1  IB0  IW2  ID4   Q0.0  QB1  QW2  QD4
 *
 * German mnemonics E (Eingang) and A (Ausgang) are accepted for I and Q. The width letter
 * (X bit, B byte, W word, D double word) gives the default S7 type; a `:TYPE` suffix names it
 * exactly, and the tag's data type picks between signed and unsigned defaults (a W read as
 * int16 is an INT, as uint16 a WORD). STRING[n] is the S7 string: max length, actual length,
 * then n characters (STEP 7 help, "Format of the STRING data type").
 */
import type { DataType } from '@watershed/model';
import { AREA } from './codec/s7comm.js';

export type S7Type =
  | 'BOOL'
  | 'BYTE'
  | 'SINT'
  | 'USINT'
  | 'CHAR'
  | 'WORD'
  | 'INT'
  | 'UINT'
  | 'DWORD'
  | 'DINT'
  | 'UDINT'
  | 'REAL'
  | 'LREAL'
  | 'STRING';

export type AreaName = 'I' | 'Q' | 'M' | 'DB';

export interface S7Address {
  readonly area: AreaName;
  readonly areaCode: number;
  /** DB number; 0 outside data blocks. */
  readonly db: number;
  readonly start: number;
  readonly bit: number;
  readonly type: S7Type;
  /** Bytes the value occupies (1 for a BOOL: the byte holding the bit). */
  readonly size: number;
  /** STRING only: the declared maximum length n of STRING[n]. */
  readonly maxLength: number;
}

export type AddressResult = { ok: true; address: S7Address } | { ok: false; message: string };

const SIZES: Record<Exclude<S7Type, 'STRING'>, number> = {
  BOOL: 1,
  BYTE: 1,
  SINT: 1,
  USINT: 1,
  CHAR: 1,
  WORD: 2,
  INT: 2,
  UINT: 2,
  DWORD: 4,
  DINT: 4,
  UDINT: 4,
  REAL: 4,
  LREAL: 8,
};
const WIDTH: Record<string, number> = { B: 1, W: 2, D: 4 };
/** S7 strings hold at most 254 characters. */
const STRING_MAX = 254;
/** Byte offsets are 16 bits wide in the 24-bit bit address of an S7ANY item (65535 * 8 + 7). */
const MAX_BYTE = 65_535;

const DB_RE = /^DB(\d{1,5})\.DB([XBWD])(\d{1,5})(?:\.(\d+))?(?::(.+))?$/;
const AREA_RE = /^([IEQAM])([XBWD]?)(\d{1,5})(?:\.(\d+))?(?::(.+))?$/;
const TYPE_RE = /^([A-Z]+)(?:\[(\d{1,3})\])?$/;

function fail(message: string): AddressResult {
  return { ok: false, message };
}

function defaultType(width: string, dataType: DataType): S7Type {
  switch (width) {
    case 'X':
      return 'BOOL';
    case 'B':
      return dataType === 'string' ? 'CHAR' : dataType === 'int16' ? 'SINT' : 'BYTE';
    case 'W':
      return dataType === 'int16' || dataType === 'int32' ? 'INT' : 'WORD';
    default:
      return dataType === 'float' || dataType === 'double'
        ? 'REAL'
        : dataType === 'int32' || dataType === 'int64'
          ? 'DINT'
          : 'DWORD';
  }
}

export function parseAddress(address: string, dataType: DataType): AddressResult {
  const text = address.trim().toUpperCase();
  let area: AreaName;
  let db = 0;
  let width: string;
  let startText: string;
  let bitText: string | undefined;
  let typeText: string | undefined;
  const dbm = DB_RE.exec(text);
  if (dbm) {
    area = 'DB';
    db = Number(dbm[1]);
    if (db < 1) return fail('DB numbers start at 1');
    [, , width = 'B', startText = '0', bitText, typeText] = dbm;
  } else {
    const m = AREA_RE.exec(text);
    if (!m) return fail('expected e.g. DB1.DBX0.3, DB1.DBW2, DB1.DBD4:REAL, MW10, I0.1 or Q0.0');
    const letter = m[1]!;
    area = letter === 'E' ? 'I' : letter === 'A' ? 'Q' : (letter as AreaName);
    // "I0.1" has no width letter: a bit when a bit number follows, else a byte.
    width = m[2] || (m[4] !== undefined ? 'X' : 'B');
    startText = m[3]!;
    bitText = m[4];
    typeText = m[5];
  }
  const start = Number(startText);
  if (start > MAX_BYTE) return fail(`byte offset ${start} is beyond ${MAX_BYTE}`);
  if (width === 'X') {
    if (bitText === undefined) return fail('a bit address needs a bit number, e.g. DBX0.3');
    if (Number(bitText) > 7) return fail(`bit ${bitText} is not 0–7`);
  } else if (bitText !== undefined) {
    return fail(`a ${width} address takes no bit number`);
  }
  const bit = bitText === undefined ? 0 : Number(bitText);

  let type: S7Type;
  let maxLength = 0;
  if (typeText === undefined) {
    type = defaultType(width, dataType);
  } else {
    const tm = TYPE_RE.exec(typeText);
    const name = tm?.[1];
    if (name === 'STRING') {
      type = 'STRING';
      maxLength = tm?.[2] === undefined ? STRING_MAX : Number(tm[2]);
      if (maxLength < 1 || maxLength > STRING_MAX) return fail(`STRING length must be 1–${STRING_MAX}`);
    } else if (name !== undefined && tm?.[2] === undefined && name in SIZES) {
      type = name as S7Type;
    } else {
      return fail(`unknown S7 type "${typeText}"`);
    }
  }
  const size = type === 'STRING' ? maxLength + 2 : SIZES[type];
  if (width === 'X' && type !== 'BOOL') return fail('a bit address (X) holds a BOOL');
  if (width !== 'X' && type === 'BOOL') return fail('a BOOL needs a bit address, e.g. DBX0.3');
  // A byte address may start a longer value (STRING, LREAL); W and D must match the type's size.
  if (width !== 'X' && width !== 'B' && WIDTH[width] !== size) {
    return fail(`${type} is ${size} bytes, the ${width} width is ${WIDTH[width]}`);
  }
  if (start + size - 1 > MAX_BYTE) return fail('the value runs past byte 65535');

  if (type === 'BOOL' && dataType !== 'bool') return fail(`a bit reads as bool, not ${dataType}`);
  if ((type === 'STRING' || type === 'CHAR') !== (dataType === 'string')) {
    return fail(`${type} does not read as ${dataType}`);
  }
  if (dataType === 'bool' && type !== 'BOOL') return fail(`${type} does not read as bool`);

  return { ok: true, address: { area, areaCode: AREA[area], db, start, bit, type, size, maxLength } };
}
