import type { Point, Quality, Sample, SampleValue } from '@watershed/model';
import type { Rollup } from './series.js';

/** A point as `GET /api/v1/points` lists it: its definition plus the last sample the server holds. */
export type PointWithLatest = Point & { latest?: Sample };

export interface PointsResponse {
  items: PointWithLatest[];
}

/** `/series` answers with `samples` for raw data and `rollups` for the 1m/1h tiers. */
export interface SeriesResponse {
  point: string;
  from: number;
  to: number;
  bucket?: 'raw' | '1m' | '1h';
  samples?: Sample[];
  rollups?: Rollup[];
}

/** One element of the `samples` event on `GET /api/v1/live`. */
export interface LiveSample {
  point: string;
  ts: number;
  value: SampleValue;
  quality: Quality;
  reason?: string;
}

export interface HealthComponent {
  ok: boolean;
  detail?: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version?: string;
  components: Record<string, HealthComponent>;
}
