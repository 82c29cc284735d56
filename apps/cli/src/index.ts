export { startPlatform, type Platform, type PlatformOptions } from './platform.js';
export {
  edgeConfigForPlant,
  edgeConfigForConcentrator,
  concentratorNode,
  plcDriver,
  type GatewayOptions,
  type DriverSettings,
} from './plant-gateway.js';
export { SCENARIO_NAMES, type ScenarioName } from './scenario-names.js';
