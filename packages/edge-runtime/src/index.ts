export * from './config.js';
export * from './errors.js';
export { checkEdgeConfig, checkPlantConfig } from './validate.js';
export { DriverCatalog, driverIdsOf, type DriverEntry } from './driver-catalog.js';
export { TagProcessor, scale, type ProcessedValues } from './tag-processor.js';
export { GroupPoller, type GroupStats, type PollResult } from './group-poller.js';
export { LATENESS_BUCKETS_MS, LatenessHistogram, histogramPercentile } from './lateness-window.js';
export { MqttUplink, type UplinkStats } from './uplink.js';
export { Outbox, type OutboxEntry, type OutboxStats } from './outbox.js';
export { Plant, PlantBuildError, type PlantTag } from './plant.js';
export { configChecksum } from './mgmt/checksum.js';
export { ConfigStore, type AppliedConfig } from './mgmt/config-store.js';
export { ConfigApplier, type ApplyOutcome, type RunningConfig } from './mgmt/config-apply.js';
export { LogTail, type LogTailOptions } from './mgmt/log-tail.js';
export { MgmtAgent, type ControlLink, type MgmtAgentOptions } from './mgmt/agent.js';
export { StatusReporter, type ReportSources } from './mgmt/status-reporter.js';
export { WriteHandler, type WriteStats, type WriteHandlerOptions } from './write/write-handler.js';
export { toRawValue, readBackMatches } from './write/write-value.js';
export {
  startEdgeRuntime,
  stateFileOf,
  type EdgeHealth,
  type EdgeRuntime,
  type EdgeRuntimeOptions,
} from './runtime.js';
export {
  CatalogPart,
  catalogTopic,
  catalogFilter,
  catalogChecksum,
  decodeCatalogPart,
} from './catalog/catalog-part.js';
export { splitCatalog, type EncodedCatalog, type SplitOptions } from './catalog/split-catalog.js';
export { birthMessages, type BirthMessages } from './catalog/birth.js';
export {
  CatalogAssembler,
  type AssembledCatalog,
  type AssembleOutcome,
} from './catalog/catalog-assembler.js';
export {
  EdgeRuleConfig,
  EdgeActionConfig,
  UpstreamActionConfig,
  WriteActionConfig,
} from './rules/rule-config.js';
// EdgeRules itself is loaded on demand (it pulls in the rule engine); only its type is public.
export type { EdgeRules } from './rules/edge-rules.js';
export { RuleBuildError } from './rules/rule-build-error.js';
export { checkEdgeRules, checkRuleIds } from './rules/check-rules.js';
export { SampleBus, SAMPLES_ROOT } from './rules/sample-bus.js';
export type { EdgeActionContext } from './rules/edge-actions.js';
export type { PlantRules } from './plant.js';
