export { DRIVERS } from './drivers.js';
export { EDGE_ENV_PREFIX, createEdgeLogger, startEdge, type EdgeOptions } from './edge.js';
export {
  EdgeConfig,
  PlantConfig,
  configChecksum,
  type EdgeConfigInput,
  type EdgeRuntime,
} from '@watershed/edge-runtime';
