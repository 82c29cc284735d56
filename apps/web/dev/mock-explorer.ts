import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type MockRoutes } from './mock-http.js';
import { MOCK_POINTS, sampleAt } from './mock-plant.js';

/**
 * The history routes the Data explorer reads (console-api routes/series.ts and export.ts) with
 * explicit tiers: `bucket=raw|1m|1h` and `limit` as the server takes them, rollups computed from
 * the fake plant's signals, and the one-point CSV export. The base mock (mock-api.ts) answers
 * `/series` for the plant page's trend with `bucket=auto` only; requests with another bucket, and
 * exports, belong here (see EXPLORER_ROUTE).
 */
export const EXPLORER_ROUTE = /^\/api\/v1\/points\/([^/]+)\/(series|export)$/;

/** Raw samples in the mock are this far apart: the fake plant has no storage to read back. */
const RAW_STEP = 10_000;
const TIER = { '1m': 60_000, '1h': 3_600_000 } as const;

/** True for the requests mockExplorer answers: a series with an explicit tier, or an export. */
export function isExplorerRequest(url: URL): boolean {
  const m = EXPLORER_ROUTE.exec(url.pathname);
  if (m === null) return false;
  return m[2] === 'export' || (url.searchParams.get('bucket') ?? 'raw') !== 'auto';
}

export function mockExplorer(): MockRoutes {
  return (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = EXPLORER_ROUTE.exec(url.pathname);
    const id = decodeURIComponent(m?.[1] ?? '');
    const p = MOCK_POINTS.find((x) => x.id === id);
    if (p === undefined)
      return json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `point ${id} not found` });
    const q = url.searchParams;
    const to = Number(q.get('to') ?? Date.now());
    const from = Number(q.get('from') ?? to - 3_600_000);
    const bucket = q.get('bucket') ?? 'raw';
    if (bucket !== 'raw' && bucket !== '1m' && bucket !== '1h')
      return json(res, 400, { code: 'WS_ERR_INVALID_PARAM', message: `bucket: unknown ${bucket}` });
    const limit = Math.min(100_000, Number(q.get('limit') ?? 10_000));
    const end = Math.min(to, Date.now());

    if (m?.[2] === 'export') return exportCsv(res, p, bucket, from, end);
    if (bucket === 'raw') {
      const samples = [];
      for (let t = Math.ceil(from / RAW_STEP) * RAW_STEP; t <= end && samples.length < limit; t += RAW_STEP)
        samples.push(sampleAt(p, t));
      return json(res, 200, { point: id, from, to, bucket, samples });
    }
    const width = TIER[bucket];
    const rollups = [];
    for (let t = Math.floor(from / width) * width; t <= end && rollups.length < limit; t += width)
      rollups.push(rollupOf(p, t, width));
    return json(res, 200, { point: id, from, to, bucket, rollups });
  };
}

type MockPoint = (typeof MOCK_POINTS)[number];

/** A bucket from five samples across it: enough to look like the server's rollups. */
export function rollupOf(p: MockPoint, start: number, width: number) {
  const samples = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => sampleAt(p, start + Math.floor(width * f)));
  const nums = samples.flatMap((s) =>
    s.quality === 'bad'
      ? []
      : typeof s.value === 'number'
        ? [s.value]
        : typeof s.value === 'boolean'
          ? [+s.value]
          : [],
  );
  const last = samples[samples.length - 1] ?? sampleAt(p, start);
  return {
    ts: start,
    width,
    count: samples.length,
    bad: samples.filter((s) => s.quality === 'bad').length,
    numeric: nums.length,
    min: nums.length > 0 ? Math.min(...nums) : null,
    max: nums.length > 0 ? Math.max(...nums) : null,
    avg: nums.length > 0 ? nums.reduce((a, b) => a + b, 0) / nums.length : null,
    last: last.value,
    lastTs: last.ts,
    lastQuality: last.quality,
  };
}

function exportCsv(
  res: ServerResponse,
  p: MockPoint,
  bucket: 'raw' | '1m' | '1h',
  from: number,
  to: number,
): void {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${p.id}_${bucket}.csv"`,
    'cache-control': 'no-store',
  });
  const iso = (t: number) => new Date(t).toISOString();
  if (bucket === 'raw') {
    res.write('ts,time,value,quality,reason\r\n');
    for (let t = Math.ceil(from / RAW_STEP) * RAW_STEP; t <= to; t += RAW_STEP) {
      const s = sampleAt(p, t);
      res.write(`${t},${iso(t)},${s.value ?? ''},${s.quality},${s.reason ?? ''}\r\n`);
    }
  } else {
    res.write('ts,time,count,bad,numeric,min,max,avg,last,last_ts,last_quality\r\n');
    const width = TIER[bucket];
    for (let t = Math.floor(from / width) * width; t <= to; t += width) {
      const r = rollupOf(p, t, width);
      res.write(
        `${t},${iso(t)},${r.count},${r.bad},${r.numeric},${r.min ?? ''},${r.max ?? ''},${r.avg ?? ''},` +
          `${r.last ?? ''},${r.lastTs},${r.lastQuality}\r\n`,
      );
    }
  }
  res.end();
}
