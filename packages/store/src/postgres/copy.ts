import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * COPY … FROM STDIN in the text format (PostgreSQL docs, COPY, "Text Format"): one line per row,
 * columns separated by tabs, `\N` for NULL, and backslash, newline, carriage return and tab
 * escaped inside values. Lines are joined into large chunks so a batch streams in a few writes.
 */
export async function copyRows(
  db: pg.ClientBase,
  sql: string,
  lines: Iterable<string>,
  chunkBytes = 256 * 1024,
): Promise<void> {
  const stream = db.query(copyFrom(sql));
  await pipeline(Readable.from(chunks(lines, chunkBytes)), stream);
}

function* chunks(lines: Iterable<string>, size: number): Generator<string> {
  let buf = '';
  for (const line of lines) {
    buf += line;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

/** A text value as a COPY text field. */
export function copyText(v: string | null): string {
  if (v === null) return '\\N';
  // Fast path: most tag strings need no escaping.
  return /[\\\n\r\t]/.test(v) ? v.replace(/[\\\n\r\t]/g, escapeChar) : v;
}

/** A float8 as a COPY field; String() is the shortest text that round-trips, NaN and ±Infinity included. */
export function copyNumber(v: number | null): string {
  return v === null ? '\\N' : String(v);
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return '\\t';
  }
}
