/**
 * The console API's rules contract, which this folder implements. `@watershed/console-api`'s
 * index does not export its `rules/` folder yet; until it does, this is the one file that
 * reaches into its source, so switching to the package import is a change here only.
 */
export {
  StoredRuleDefinition,
  rulesRoutes,
  type RuleActionPreview,
  type RuleActionSpec,
  type RuleMetricsSnapshot,
  type RuleProblem,
  type RuleRunState,
  type RuleRuntime,
  type RuleSpec,
  type RuleTestContext,
  type RuleTestInput,
  type RuleTestResult,
} from '../../../../packages/console-api/src/rules/index.js';
