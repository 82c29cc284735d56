export { DRIVERS } from './drivers.js';
export { EDGE_ENV_PREFIX, startEdge, type EdgeOptions } from './edge.js';
export { EdgeConfig, type EdgeConfigInput, type EdgeRuntime } from '@watershed/edge-runtime';
