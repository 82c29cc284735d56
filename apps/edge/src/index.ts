export { DRIVERS } from './drivers.js';
export { startEdge, type EdgeOptions } from './edge.js';
export { EdgeConfig, type EdgeConfigInput, type EdgeRuntime } from '@watershed/edge-runtime';
