export { analyticsRoutes, type AnalyticsRoutesOptions } from './routes.js';
export { AnalyticsApiErrors } from './errors.js';
export type {
  AnalyticsService,
  DataQualityRequest,
  MeterHealthRequest,
  ProjectScope,
  QualityRequest,
  TimeRange,
} from './service.js';
export {
  AnalysisSettings,
  DataQualityPage,
  DistrictInfo,
  DistrictList,
  DistrictReport,
  DistrictSummary,
  DmaDay,
  MeterHealth,
  MeterHealthPage,
  MeterStatus,
  PointDataQuality,
  QualityCompliance,
  QualityReport,
} from './schemas.js';
