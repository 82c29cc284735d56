export * from './config.js';
export * from './errors.js';
export { checkEdgeConfig } from './validate.js';
export { TagProcessor } from './tag-processor.js';
export { GroupPoller, type GroupStats, type PollResult } from './group-poller.js';
export { MqttUplink, type UplinkStats } from './uplink.js';
export { Outbox, type OutboxEntry, type OutboxStats } from './outbox.js';
export { startEdgeRuntime, type EdgeHealth, type EdgeRuntime, type EdgeRuntimeOptions } from './runtime.js';
