export { opcuaDriver } from './module.js';
export { OpcuaClientDriver } from './driver.js';
export { OpcuaErrors } from './errors.js';
export {
  OpcuaConfig,
  SecurityMode,
  SecurityPolicy,
  UserAuth,
  resolveConfig,
  type ResolvedOpcuaConfig,
} from './config.js';
export {
  parseAddress,
  OpcuaAddressSchema,
  BUILT_IN_TYPES,
  BUILT_IN_FOR,
  type BuiltInType,
  type OpcuaAddress,
} from './address.js';
export { qualityOf } from './codec/status.js';
export type { SubscribeOptions } from './subscribe.js';
export type { EndpointSummary } from './session/endpoints.js';
