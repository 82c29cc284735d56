import type {
  DataQualityPage,
  DistrictReport,
  DistrictSummary,
  MeterHealthPage,
  MeterStatus,
  QualityReport,
} from './schemas.js';

/** The project a request may see: one project, or undefined for an installation-wide principal. */
export type ProjectScope = string | undefined;

export interface TimeRange {
  from: number;
  to: number;
}

export interface MeterHealthRequest extends TimeRange {
  status?: MeterStatus;
  offset: number;
  limit: number;
}

export interface QualityRequest extends TimeRange {
  site?: string;
}

export interface DataQualityRequest extends TimeRange {
  site: string;
  node?: string;
  group?: string;
  offset: number;
  limit: number;
}

/**
 * The water analytics the console shows (implemented in apps/server/src/analytics on the store
 * and `@watershed/water`). Every call is scoped to a project: a district or site of another
 * project is answered as unknown (`undefined`, which the routes turn into 404), never as
 * forbidden, so its existence does not leak. Calls compute from stored samples and may take a
 * second on a large district; they hold no resources between calls.
 */
export interface AnalyticsService {
  /** The project's districts, each with the balance of its local today and yesterday as of `now`. */
  districts(scope: ProjectScope, now: number): Promise<DistrictSummary[]>;
  /** Daily balance, MNF and leak flags over the local days overlapping [from, to). */
  district(id: string, range: TimeRange, scope: ProjectScope): Promise<DistrictReport | undefined>;
  /** Health of the district's meters over [from, to] (`to` is "now" for reading age). */
  meters(id: string, query: MeterHealthRequest, scope: ProjectScope): Promise<MeterHealthPage | undefined>;
  /** GB 5749-2022 compliance per quality point and parameter. */
  quality(query: QualityRequest, scope: ProjectScope): Promise<QualityReport>;
  /** Data-quality report of a site's numeric points, a page at a time. */
  dataQuality(query: DataQualityRequest, scope: ProjectScope): Promise<DataQualityPage | undefined>;
}
