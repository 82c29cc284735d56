export { Cjt188Errors } from './errors.js';
export { isBcd, readBcdLE, writeBcdLE } from './codec/bcd.js';
export { BROADCAST_ADDRESS, isMeterAddress } from './codec/address.js';
export {
  CONTROL,
  encodeFrame,
  decodeFrame,
  isResponse,
  isAbnormal,
  functionOf,
  type Frame,
} from './codec/frame.js';
export { FrameSplitter } from './codec/splitter.js';
export {
  DI,
  UNIT,
  METER_TYPE_COLD_WATER,
  VALVE_OPEN,
  VALVE_CLOSE,
  encodeMeterData,
  decodeMeterData,
  encodeStatus,
  decodeStatus,
  formatMeterTime,
  toCubicMetres,
  readDataRequest,
  readAddressRequest,
  valveRequest,
  answer,
  abnormalAnswer,
  type MeterData,
  type MeterStatus,
  type MeterTime,
  type ValveState,
} from './codec/messages.js';
