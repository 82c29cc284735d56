/** The rules resource: `rulesRoutes` and the RuleRuntime contract `apps/server` implements. */
export { rulesRoutes, type RulesRoutesOptions } from './routes.js';
export type {
  RuleActionMetrics,
  RuleActionPreview,
  RuleActionSpec,
  RuleEventTimeSpec,
  RuleMetricsSnapshot,
  RuleProblem,
  RuleRunState,
  RuleRuntime,
  RuleSpec,
  RuleTestContext,
  RuleTestInput,
  RuleTestResult,
} from './runtime.js';
export { RuleApiErrors } from './errors.js';
export { StoredDefinition as StoredRuleDefinition } from './schemas.js';
export * as RuleSchemas from './schemas.js';
