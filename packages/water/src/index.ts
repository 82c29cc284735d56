// Domain analytics of a water utility: GB 5749 compliance, data-quality checks, DMA balance and
// minimum-night-flow leaks, meter health. Pure functions over samples; no I/O, no clock (every
// instant is passed in).
export { WaterErrors } from './errors.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, localDate, localDayStart, localDays } from './time.js';
export {
  heldIntervals,
  measurement,
  median,
  medianSpacing,
  ordered,
  type HeldInterval,
  type Reading,
} from './series.js';
export {
  QUALITY_PARAMETERS,
  complianceBand,
  complianceLimitsFromRuleSet,
  type ComplianceBand,
  type ComplianceLimit,
  type QualityParameter,
  type RuleSetLike,
  type SamplingRole,
} from './limits.js';
export { compliance, type ComplianceOptions, type ComplianceResult, type Excursion } from './compliance.js';
export {
  registerSteps,
  volumeIn,
  type RegisterOptions,
  type RegisterStep,
  type RegisterStepKind,
} from './registers.js';
export {
  flagLeaks,
  flowProfile,
  minimumNightFlow,
  profileVolume,
  type FlowProfile,
  type FlowProfileOptions,
  type LeakRule,
  type LeakVerdict,
  type NightFlow,
} from './night-flow.js';
export {
  dmaBalance,
  type DistrictMeter,
  type DmaDay,
  type DmaInput,
  type DmaOptions,
} from './dma-balance.js';
export {
  meterHealth,
  overloadFlowM3h,
  type MeterHealth,
  type MeterHealthInput,
  type MeterHealthOptions,
  type MeterReason,
  type MeterReasonCode,
  type MeterStatus,
} from './meter-health.js';
export {
  dataQuality,
  type DataQualityOptions,
  type DataQualityReport,
  type Gap,
  type Spike,
  type StuckRun,
} from './data-quality.js';
export { modifiedZ } from './robust.js';
