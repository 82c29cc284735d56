import type { Point, Quality, Sample, SampleValue } from '@watershed/model';

/** A point as `GET /api/v1/points` lists it: its definition plus the last sample the server holds. */
export type PointWithLatest = Point & { latest?: Sample };

export interface PointsResponse {
  items: PointWithLatest[];
}

export interface SeriesResponse {
  point: string;
  from: number;
  to: number;
  samples: Sample[];
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
  components: Record<string, HealthComponent>;
}
