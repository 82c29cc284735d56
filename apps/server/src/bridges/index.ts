export { BridgesConfig, IngressBridgeConfig } from './config.js';
export { checkBridgesConfig } from './check.js';
export {
  startBridges,
  type BridgeBroker,
  type BridgeHealth,
  type RunningBridges,
  type StartBridgesOptions,
} from './start-bridges.js';
