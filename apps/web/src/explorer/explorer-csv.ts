import type { SampleValue } from '@watershed/model';
import type { ExplorerSeries } from './explorer-data.js';

/**
 * CSV of several points, built in the browser from the series already fetched (the server's
 * export route takes one point). Long format — one line per point and instant — with the
 * columns of the server's export (console-api export-format.ts) after a leading `point`, so a
 * script reads both alike. Produced in chunks by a generator: a Blob is made of the chunks
 * without ever holding the file as one string.
 */
export const SAMPLE_HEADER = 'point,ts,time,value,quality,reason\r\n';
export const ROLLUP_HEADER = 'point,ts,time,count,bad,numeric,min,max,avg,last,last_ts,last_quality\r\n';

/** Lines per yielded chunk: big enough to keep Blob parts few, small enough to stay cheap. */
const CHUNK_LINES = 2000;

/** RFC 4180 §2: fields holding a comma, quote or line break are quoted, quotes doubled. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvValue(v: SampleValue): string {
  if (v === null) return '';
  return typeof v === 'string' ? csvField(v) : String(v);
}

const num = (v: number | null): string => (v === null ? '' : String(v));

function iso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * The CSV's chunks, header first. All series share one resolution (the explorer fetches them
 * together), so they share one header; series are written one after another, each by time.
 */
export function* csvChunks(series: readonly ExplorerSeries[]): Generator<string> {
  const first = series[0];
  if (first === undefined) return;
  yield first.resolution === 'raw' ? SAMPLE_HEADER : ROLLUP_HEADER;
  let chunk = '';
  let lines = 0;
  for (const s of series) {
    const point = csvField(s.id);
    if (s.resolution === 'raw') {
      for (const r of s.samples) {
        chunk += `${point},${r.ts},${iso(r.ts)},${csvValue(r.value)},${r.quality},${csvField(r.reason ?? '')}\r\n`;
        if (++lines % CHUNK_LINES === 0) {
          yield chunk;
          chunk = '';
        }
      }
    } else {
      for (const r of s.rollups) {
        chunk +=
          `${point},${r.ts},${iso(r.ts)},${r.count},${r.bad},${r.numeric},${num(r.min)},${num(r.max)},` +
          `${num(r.avg)},${csvValue(r.last)},${r.lastTs},${r.lastQuality}\r\n`;
        if (++lines % CHUNK_LINES === 0) {
          yield chunk;
          chunk = '';
        }
      }
    }
  }
  if (chunk !== '') yield chunk;
}

/** A file name that says what is in it: the points (or their count), resolution and window. */
export function csvFileName(ids: readonly string[], resolution: string, from: number, to: number): string {
  const what = ids.length === 1 ? (ids[0] ?? 'points') : `${ids.length}-points`;
  const stamp = (ts: number) =>
    iso(ts)
      .replace(/[:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
  return `${what}_${resolution}_${stamp(from)}_${stamp(to)}.csv`.replace(/[^\w.-]/g, '_');
}
