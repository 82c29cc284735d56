/**
 * The wire shapes of `/api/v1/analytics` the Districts page reads (the web may not import server
 * code; these mirror packages/console-api/src/analytics/schemas.ts, which is the contract).
 */

export interface DistrictInfo {
  id: string;
  name: string;
  project: string;
  inflowPoints: string[];
  meters: number;
  properties: number;
}

export interface DmaDay {
  date: string;
  start: number;
  end: number;
  systemInputM3: number | null;
  inflowCoveragePct: number;
  meteredM3: number;
  meterCoveragePct: number;
  nrwM3: number | null;
  nrwPct: number | null;
  mnfM3h: number | null;
  mnfAt: number | null;
  allowanceM3h: number;
  leakEstimateM3h: number | null;
  baselineM3h: number | null;
  mnfRiseM3h: number | null;
  leak: boolean;
  resets: number;
  rollovers: number;
  reverse: number;
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

export type MeterStatus = 'ok' | 'warn' | 'fault';

export interface MeterReason {
  code: string;
  severity: 'warn' | 'fault';
  message: string;
  ts?: number;
}

export interface MeterHealth {
  id: string;
  point: string;
  status: MeterStatus;
  reasons: MeterReason[];
  readings: number;
  expectedReadings: number;
  completenessPct: number;
  lastReadingTs: number | null;
  lastReadingAgeMs: number | null;
  lastValueM3: number | null;
  consumptionM3: number;
}

export interface MeterHealthPage {
  district: string;
  from: number;
  to: number;
  counts: Record<MeterStatus, number>;
  total: number;
  offset: number;
  items: MeterHealth[];
}

export interface Reading {
  ts: number;
  value: number;
}

export interface Excursion {
  side: 'high' | 'low';
  start: number;
  end: number;
  durationMs: number;
  peak: Reading;
  open: boolean;
}

export type QualityParameter = 'turbidity' | 'ph' | 'chlorine';

export interface QualityCompliance {
  point: string;
  site: string;
  parameter: QualityParameter;
  role: 'plant-outlet' | 'network-end';
  unit: string;
  min: number | null;
  max: number | null;
  sources: string[];
  samples: number;
  uncertain: number;
  excluded: number;
  compliantSamples: number;
  coveredMs: number;
  compliantMs: number;
  compliancePct: number | null;
  coveragePct: number;
  worst: Reading | null;
  excursions: Excursion[];
}

export interface QualityReport {
  standard: string;
  profile: string;
  from: number;
  to: number;
  items: QualityCompliance[];
}

export interface PointDataQuality {
  point: string;
  basis: 'raw' | '1m';
  expectedIntervalMs: number;
  expected: number;
  received: number;
  completenessPct: number;
  gapCount: number;
  stuckReadings: number;
  spikeCount: number;
  outOfRangeCount: number;
  bad: number;
  uncertain: number;
  badPct: number;
  score: number;
  issues: string[];
}

export interface DataQualityPage {
  site: string;
  from: number;
  to: number;
  total: number;
  offset: number;
  items: PointDataQuality[];
}
