import type {
  ComplianceResult,
  DataQualityReport,
  DmaDay as WaterDmaDay,
  MeterHealth as WaterMeterHealth,
} from '@watershed/water';

/**
 * The wire shapes and service contract of `@watershed/console-api`'s analytics resource
 * (packages/console-api/src/analytics/schemas.ts and service.ts), as TypeScript types derived
 * from the analyses that compute them. console-api's index does not export that folder yet;
 * once it does (`export * from './analytics/index.js'`), these become re-exports of it. Kept
 * structurally identical: this service is passed to `analyticsRoutes` as its
 * `AnalyticsService`, and the routes' response schemas check every answer.
 */
export type ProjectScope = string | undefined;

export interface TimeRange {
  from: number;
  to: number;
}

export type MeterStatus = 'ok' | 'warn' | 'fault';

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

export type DmaDay = WaterDmaDay;

export interface DistrictInfo {
  id: string;
  name: string;
  project: string;
  inflowPoints: string[];
  meters: number;
  properties: number;
}

export interface DistrictSummary extends DistrictInfo {
  today: DmaDay | null;
  yesterday: DmaDay | null;
  leak: boolean;
}

export interface AnalysisSettings {
  tzOffsetMinutes: number;
  nightStartHour: number;
  nightEndHour: number;
  rollingMinutes: number;
  allowanceLPerPropertyH: number;
  baselineNights: number;
  leakThresholdM3h: number;
  leakThresholdPct: number;
}

export interface DistrictReport {
  district: DistrictInfo;
  from: number;
  to: number;
  settings: AnalysisSettings;
  days: DmaDay[];
}

export type MeterHealth = WaterMeterHealth & { point: string };

export interface MeterHealthPage {
  district: string;
  from: number;
  to: number;
  counts: Record<MeterStatus, number>;
  total: number;
  offset: number;
  items: MeterHealth[];
}

export type QualityCompliance = ComplianceResult & { point: string; site: string };

export interface QualityReport {
  standard: string;
  profile: string;
  resolutionMs: number;
  from: number;
  to: number;
  items: QualityCompliance[];
}

export type PointDataQuality = Omit<DataQualityReport, 'from' | 'to'> & {
  point: string;
  basis: 'raw' | '1m';
  expectedIntervalMs: number;
};

export interface DataQualityPage {
  site: string;
  from: number;
  to: number;
  total: number;
  offset: number;
  items: PointDataQuality[];
}

export interface AnalyticsService {
  districts(scope: ProjectScope, now: number): Promise<DistrictSummary[]>;
  district(id: string, range: TimeRange, scope: ProjectScope): Promise<DistrictReport | undefined>;
  meters(id: string, query: MeterHealthRequest, scope: ProjectScope): Promise<MeterHealthPage | undefined>;
  quality(query: QualityRequest, scope: ProjectScope): Promise<QualityReport>;
  dataQuality(query: DataQualityRequest, scope: ProjectScope): Promise<DataQualityPage | undefined>;
}
