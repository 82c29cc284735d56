import type { Quality, SampleValue } from '@watershed/model';
import { StoreErrors } from '../errors.js';
import type { SampleRow } from '../types.js';

/**
 * How one sample lies in a row: a REAL column, a TEXT column and one small integer `q` holding
 * the quality (bits 0-1) and the value's kind (bits 2-3). Numbers and booleans use `num`,
 * strings use `txt`, null uses neither, so a typical numeric sample costs a few bytes beyond
 * its key. SQLite stores integral REALs as integers on disk, which keeps counters small.
 */
export interface EncodedSample {
  num: number | null;
  txt: string | null;
  q: number;
  reason: string | null;
}

const QUALITY_CODES: Readonly<Record<Quality, number>> = { good: 0, uncertain: 1, bad: 2 };
const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];

const KIND_NUMBER = 0;
const KIND_BOOLEAN = 1;
const KIND_STRING = 2;
const KIND_NULL = 3;

export function encodeSample(row: SampleRow): EncodedSample {
  const quality = QUALITY_CODES[row.quality];
  const reason = row.reason ?? null;
  const v = row.value;
  switch (typeof v) {
    case 'number':
      // SQLite turns NaN into NULL; the kind bits keep it a number, decoded back as NaN.
      return { num: v, txt: null, q: quality | (KIND_NUMBER << 2), reason };
    case 'boolean':
      return { num: v ? 1 : 0, txt: null, q: quality | (KIND_BOOLEAN << 2), reason };
    case 'string':
      return { num: null, txt: v, q: quality | (KIND_STRING << 2), reason };
    default:
      return { num: null, txt: null, q: quality | (KIND_NULL << 2), reason };
  }
}

/** A bound parameter of a samples row. */
export type Cell = number | string | null;

/**
 * Writes a row's six samples columns (point_id, ts, num, txt, q, reason) into `cells` at
 * `offset`, as `encodeSample` encodes them but without an object per row: the write path's
 * multi-row INSERT binds a flat array.
 */
export function encodeInto(row: SampleRow, pid: number, cells: Cell[], offset: number): void {
  const quality = QUALITY_CODES[row.quality];
  const v = row.value;
  cells[offset] = pid;
  cells[offset + 1] = row.ts;
  cells[offset + 5] = row.reason ?? null;
  switch (typeof v) {
    case 'number':
      cells[offset + 2] = v;
      cells[offset + 3] = null;
      cells[offset + 4] = quality | (KIND_NUMBER << 2);
      return;
    case 'boolean':
      cells[offset + 2] = v ? 1 : 0;
      cells[offset + 3] = null;
      cells[offset + 4] = quality | (KIND_BOOLEAN << 2);
      return;
    case 'string':
      cells[offset + 2] = null;
      cells[offset + 3] = v;
      cells[offset + 4] = quality | (KIND_STRING << 2);
      return;
    default:
      cells[offset + 2] = null;
      cells[offset + 3] = null;
      cells[offset + 4] = quality | (KIND_NULL << 2);
  }
}

export function decodeValue(num: number | null, txt: string | null, q: number): SampleValue {
  switch (q >> 2) {
    case KIND_NUMBER:
      return num ?? Number.NaN;
    case KIND_BOOLEAN:
      return num === 1;
    case KIND_STRING:
      return txt ?? '';
    default:
      return null;
  }
}

export function decodeQuality(q: number): Quality {
  return QUALITIES[q & 3] ?? 'bad';
}

/** A row as read back from a samples or latest table. */
export interface StoredSample {
  ts: number;
  num: number | null;
  txt: string | null;
  q: number;
  reason: string | null;
}

export function decodeSample(point: string, r: StoredSample): SampleRow {
  const row: SampleRow = {
    point,
    ts: r.ts,
    value: decodeValue(r.num, r.txt, r.q),
    quality: decodeQuality(r.q),
  };
  if (r.reason !== null) row.reason = r.reason;
  return row;
}

/** Throws WS_ERR_STORE_INVALID_SAMPLE naming the first problem, so no bad row reaches a batch. */
export function assertValidRow(row: SampleRow): void {
  const problem = rowProblem(row);
  if (problem !== undefined) {
    const point = typeof row?.point === 'string' ? row.point : String(row?.point);
    throw StoreErrors.INVALID_SAMPLE.create([point, problem], { point });
  }
}

function rowProblem(row: SampleRow): string | undefined {
  if (row === null || typeof row !== 'object') return 'not an object';
  if (typeof row.point !== 'string' || row.point.length === 0) return 'point must be a non-empty string';
  if (!Number.isSafeInteger(row.ts)) return `ts must be an integer ms epoch, got ${String(row.ts)}`;
  if (!(row.quality in QUALITY_CODES))
    return `quality must be good, uncertain or bad, got ${String(row.quality)}`;
  const t = typeof row.value;
  if (row.value !== null && t !== 'number' && t !== 'boolean' && t !== 'string') {
    return `value must be a number, boolean, string or null, got ${t}`;
  }
  if (row.reason !== undefined && typeof row.reason !== 'string') return 'reason must be a string';
  return undefined;
}
