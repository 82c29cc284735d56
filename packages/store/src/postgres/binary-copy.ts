import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Reading bulk results as `COPY (query) TO STDOUT (FORMAT binary)` (PostgreSQL docs, COPY,
 * "Binary Format"): a row is a field count and length-prefixed fields in each type's binary
 * send format, so a client decodes int8 and float8 with two DataView reads instead of parsing
 * text, and skips the per-row RowDescription bookkeeping of the query protocol. For 86,400
 * samples of a day this is most of the read's client time.
 */

/** Column types the store reads, by their binary send formats. */
export type BinaryColumn = 'int2' | 'int4' | 'int8' | 'float8' | 'text';

/** A decoded field: numbers for the numeric types (int8 must hold a safe integer), strings for text. */
export type BinaryValue = number | string | null;

/** "PGCOPY\n\377\r\n\0", then a 32-bit flags field and a 32-bit header extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * A query's rows through `COPY (query) TO STDOUT (FORMAT binary)` on a connection of `pool`,
 * decoded with `columns`. `setting` (e.g. `SET LOCAL …`) runs first in the same transaction, so
 * the pooled session is left as it was. A connection whose COPY broke off is discarded.
 */
export async function copyOutRows(
  pool: pg.Pool,
  query: string,
  columns: readonly BinaryColumn[],
  row: (values: BinaryValue[]) => void,
  setting?: string,
): Promise<void> {
  const db = await pool.connect();
  let buf: Buffer;
  try {
    if (setting === undefined) {
      buf = await copyOut(db, `COPY (${query}) TO STDOUT (FORMAT binary)`);
    } else {
      await db.query(`BEGIN; ${setting}`);
      buf = await copyOut(db, `COPY (${query}) TO STDOUT (FORMAT binary)`);
      await db.query('COMMIT');
    }
  } catch (err) {
    db.release(err instanceof Error ? err : true);
    throw err;
  }
  db.release();
  decodeBinaryCopy(buf, columns, row);
}

/** Runs `COPY (…) TO STDOUT (FORMAT binary)` on `db` and returns the whole stream. */
export async function copyOut(db: pg.ClientBase, sql: string): Promise<Buffer> {
  const stream = db.query(copyTo(sql));
  // The server sends a CopyData message per row, and the stream passes each on as a chunk:
  // 'data' listeners collect them synchronously (an async iterator's per-chunk promise turn
  // cost more than decoding the rows).
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Decodes a binary COPY stream whose rows have `columns`, calling `row` with each row's values
 * (one array per row; the callback may keep it). Throws on a malformed stream or a field whose
 * length does not fit its type.
 */
export function decodeBinaryCopy(
  buf: Buffer,
  columns: readonly BinaryColumn[],
  row: (values: BinaryValue[]) => void,
): void {
  if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE)) {
    throw new Error('not a binary COPY stream');
  }
  let off = 11 + 4;
  off += 4 + buf.readUInt32BE(off);
  for (;;) {
    const fields = buf.readInt16BE(off);
    off += 2;
    if (fields === -1) return; // trailer
    if (fields !== columns.length)
      throw new Error(`binary COPY row of ${fields} fields, expected ${columns.length}`);
    const values = new Array<BinaryValue>(fields);
    for (let i = 0; i < fields; i++) {
      const len = buf.readInt32BE(off);
      off += 4;
      if (len === -1) {
        values[i] = null;
        continue;
      }
      values[i] = field(buf, off, len, columns[i] as BinaryColumn);
      off += len;
    }
    row(values);
  }
}

function field(buf: Buffer, off: number, len: number, type: BinaryColumn): BinaryValue {
  switch (type) {
    case 'int2':
      expectLength(len, 2, type);
      return buf.readInt16BE(off);
    case 'int4':
      expectLength(len, 4, type);
      return buf.readInt32BE(off);
    case 'int8':
      expectLength(len, 8, type);
      // Exact for every safe integer (ms epochs, counts), without a BigInt per value.
      return buf.readInt32BE(off) * 4_294_967_296 + buf.readUInt32BE(off + 4);
    case 'float8':
      expectLength(len, 8, type);
      return buf.readDoubleBE(off);
    case 'text':
      return buf.toString('utf8', off, off + len);
  }
}

function expectLength(len: number, want: number, type: BinaryColumn): void {
  if (len !== want) throw new Error(`binary COPY ${type} field of ${len} bytes`);
}

/**
 * An integer bound as a SQL literal, for COPY (which takes no parameters): `ceil` for a lower
 * bound, `floor` for an upper one, so a fractional bound selects the same integer timestamps a
 * parameter would; infinities clamp to the int8 range.
 */
export function int8Literal(v: number, round: 'ceil' | 'floor'): string {
  if (Number.isNaN(v)) throw new RangeError('bound is NaN');
  if (v === Number.POSITIVE_INFINITY || v >= 9.2e18) return '9223372036854775807';
  if (v === Number.NEGATIVE_INFINITY || v <= -9.2e18) return '-9223372036854775808';
  return String(round === 'ceil' ? Math.ceil(v) : Math.floor(v));
}
