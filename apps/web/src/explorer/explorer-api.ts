import type { Sample } from '@watershed/model';
import { requestJson } from '../alarms/http.js';
import type { Rollup } from '../api/series.js';
import type { SeriesResponse } from '../api/types.js';
import { mergeWidth, rebucket, rollupLimit, serverBucket, type ExplorerSeries } from './explorer-data.js';
import type { Resolution } from './explorer-state.js';

/**
 * Raw samples read per point. A poll every second fills an hour with 3 600; past this the
 * explorer says the series is cut short and suggests a coarser resolution.
 */
export const RAW_LIMIT = 20_000;

export interface SeriesRequest {
  from: number;
  to: number;
  resolution: Resolution;
  /** Minutes east of UTC of the viewer, so daily buckets start at local midnight. */
  utcOffsetMin?: number;
}

/**
 * One point's history from `GET /api/v1/points/:id/series` at an explorer resolution: raw
 * samples, or the server's 1m/1h rollups, merged here into 15-minute or daily buckets (the
 * server keeps only the 1m and 1h tiers).
 */
export async function fetchSeries(
  id: string,
  r: SeriesRequest,
  signal?: AbortSignal,
): Promise<ExplorerSeries> {
  const bucket = serverBucket(r.resolution);
  const limit = r.resolution === 'raw' ? RAW_LIMIT : rollupLimit(r.resolution, r.from, r.to);
  const q = new URLSearchParams({ from: String(r.from), to: String(r.to), bucket, limit: String(limit) });
  const { body } = await requestJson<SeriesResponse>(
    'GET',
    `/api/v1/points/${encodeURIComponent(id)}/series?${q.toString()}`,
    signal !== undefined ? { signal } : {},
  );
  if (r.resolution === 'raw') {
    const samples: Sample[] = body.samples ?? [];
    return { id, resolution: 'raw', samples, truncated: samples.length >= limit };
  }
  const rollups: Rollup[] = body.rollups ?? [];
  const width = mergeWidth(r.resolution);
  // Daily buckets follow the viewer's midnight; 15-minute ones align the same in every zone
  // that is a whole quarter hour off UTC, which is all of them in use.
  const offsetMs = r.resolution === '1d' ? (r.utcOffsetMin ?? 0) * 60_000 : 0;
  return {
    id,
    resolution: r.resolution,
    rollups: width !== undefined ? rebucket(rollups, width, offsetMs) : rollups,
    truncated: rollups.length >= limit,
  };
}

/**
 * The server's streamed CSV of one point (`GET /api/v1/points/:id/export`), for resolutions it
 * keeps as they are: raw, 1m and 1h. Undefined for the others, which the browser builds.
 */
export function serverExportUrl(
  id: string,
  r: { from: number; to: number; resolution: Resolution },
): string | undefined {
  if (r.resolution === '15m' || r.resolution === '1d') return undefined;
  const q = new URLSearchParams({
    from: String(r.from),
    to: String(r.to),
    bucket: r.resolution,
    format: 'csv',
  });
  return `/api/v1/points/${encodeURIComponent(id)}/export?${q.toString()}`;
}
