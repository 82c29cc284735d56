export { DRIVERS, driverCatalog, loadAllDrivers } from './drivers.js';
export {
  EDGE_ENV_PREFIX,
  checkGatewayConfig,
  createEdgeLogger,
  startEdge,
  type EdgeOptions,
} from './edge.js';
export {
  EdgeConfig,
  PlantConfig,
  configChecksum,
  type EdgeConfigInput,
  type EdgeRuntime,
} from '@watershed/edge-runtime';
