export { AlarmErrors } from './errors.js';
export {
  AlarmCondition,
  AlarmRule,
  LimitCondition,
  NoDataCondition,
  QualityCondition,
  RateCondition,
  StuckCondition,
  describeCondition,
  parseAlarmRule,
} from './rule.js';
export {
  AlarmComment,
  AlarmEvent,
  AlarmEventKind,
  AlarmState,
  IsaState,
  OutOfService,
  Shelving,
  STATE_COMMENTS,
  isaState,
} from './state.js';
export { createDetector, numeric, type Detector } from './conditions.js';
export { AlarmEngine, type AlarmEngineOptions, type AlarmFilter, type AlarmListener } from './engine.js';
export { WebhookNotifier, type NotifierStats, type WebhookNotifierOptions } from './webhook.js';
export {
  PointRole,
  RoleMapping,
  RuleSet,
  RuleSetLimit,
  RuleSetProfile,
  applyRuleSet,
  gb5749RuleSet,
  parseRuleSet,
  type ApplyRuleSetOptions,
} from './gb5749.js';
export {
  AlarmService,
  type AlarmServiceOptions,
  type PersistStats,
  type StoredAlarmRule,
} from './service.js';
