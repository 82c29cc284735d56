import type { SampleValue } from '@watershed/model';
import type { RollupRow, SampleRow } from '@watershed/store';

/** Encoders for exported rows: RFC 4180 CSV and JSON lines (one JSON object per line). */
export interface RowEncoder<T> {
  contentType: string;
  extension: string;
  header: string;
  line(row: T): string;
}

/** RFC 4180 §2: fields holding a comma, quote or line break are quoted, quotes doubled. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvValue(v: SampleValue): string {
  if (v === null) return '';
  return typeof v === 'string' ? csvField(v) : String(v);
}

function iso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

const CSV = 'text/csv; charset=utf-8';
const JSONL = 'application/x-ndjson; charset=utf-8';

export const sampleEncoders: Record<'csv' | 'jsonl', RowEncoder<SampleRow>> = {
  csv: {
    contentType: CSV,
    extension: 'csv',
    header: 'ts,time,value,quality,reason\r\n',
    line: (r) => `${r.ts},${iso(r.ts)},${csvValue(r.value)},${r.quality},${csvField(r.reason ?? '')}\r\n`,
  },
  jsonl: {
    contentType: JSONL,
    extension: 'jsonl',
    header: '',
    line: (r) => `${JSON.stringify(r)}\n`,
  },
};

const num = (v: number | null): string => (v === null ? '' : String(v));

export const rollupEncoders: Record<'csv' | 'jsonl', RowEncoder<RollupRow>> = {
  csv: {
    contentType: CSV,
    extension: 'csv',
    header: 'ts,time,count,bad,numeric,min,max,avg,last,last_ts,last_quality\r\n',
    line: (r) =>
      `${r.ts},${iso(r.ts)},${r.count},${r.bad},${r.numeric},${num(r.min)},${num(r.max)},${num(r.avg)},` +
      `${csvValue(r.last)},${r.lastTs},${r.lastQuality}\r\n`,
  },
  jsonl: {
    contentType: JSONL,
    extension: 'jsonl',
    header: '',
    line: (r) => `${JSON.stringify(r)}\n`,
  },
};
