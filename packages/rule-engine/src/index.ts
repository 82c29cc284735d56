/**
 * @watershed/rule-engine — runs rule-sql rules over a message bus (issue #4): one subscription
 * per distinct FROM filter, per-rule and per-action metrics, eKuiper windows on an injected
 * clock, and actions (republish, console, sink). It reaches the broker only through
 * {@link MessageSource}; `apps/server` adapts the broker to it.
 */
export { createRuleEngine } from './engine.js';
export type { RuleDefinition, RuleEngine, RuleEngineOptions, RuleInfo, RulePatch } from './engine.js';
export type { MessageSource, OutboundMessage, SourceEvent, SourceMessage } from './source.js';
export type { ActionMetrics, FailureInfo, RuleFailureKind, RuleMetrics } from './metrics.js';
export { RuleEngineErrors } from './errors.js';
export { ActionRegistry, builtinActionTypes } from './actions/registry.js';
export type { Action, ActionConfig, ActionDeps, ActionType, SinkRegistry } from './actions/action.js';
export { RepublishConfig, republishAction } from './actions/republish.js';
export { ConsoleConfig, consoleAction } from './actions/console.js';
export { SinkConfig, sinkAction } from './actions/sink.js';
export { compileTemplate, type Template } from './actions/template.js';
export { testRule } from './test-rule.js';
export type { TestRuleCompileError, TestRuleOptions, TestRuleResult } from './test-rule.js';
export { messageContext, eventContext } from './dispatcher.js';
export { brokerMessageSource, type BrokerLike, type BrokerLikeMessage } from './broker-source.js';
export { CHECKPOINT_VERSION, MemoryCheckpointStore, parseCheckpoint, ruleHash } from './checkpoint.js';
export type { CheckpointStore, RuleCheckpoint } from './checkpoint.js';
export { FileCheckpointStore } from './checkpoint-file.js';
export type { CheckpointProblem } from './checkpointer.js';
export type { RuleState } from './rule-runtime.js';
export type { WindowState } from './windows/index.js';
export type { EventTimeOptions } from './event-time.js';
