export { AnalyticsConfig, DistrictConfig, analyticsSettings } from './config.js';
export { StoreAnalyticsService, type StoreAnalyticsOptions } from './service.js';
export { isConventionalInflow, isMeterRegister, resolveDistricts, type District } from './districts.js';
export { qualityPoints, type QualityPoint } from './quality-points.js';
export { createAnalyticsService } from './create.js';
