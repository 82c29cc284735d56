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
export { FIELDS, parseAddress, type Field, type MeterAddress, type ParsedAddress } from './address.js';
export { Cjt188Config } from './config.js';
export { Cjt188Driver, type Cjt188Settings } from './driver.js';
export { cjt188Driver } from './module.js';
export {
  createTcpTransport,
  createStreamTransport,
  type Transport,
  type Connection,
  type ConnectionEvents,
  type TcpTransportOptions,
  type StreamTransportOptions,
} from './client/transport.js';
export {
  createSerialTransport,
  openWithSerialport,
  DEFAULT_SERIAL,
  type SerialSettings,
  type SerialPortFactory,
} from './client/serial-transport.js';
export {
  startCjt188Concentrator,
  type Cjt188Concentrator,
  type ConcentratorOptions,
  type MeterState,
} from './server/concentrator.js';
export { respondOnBus, serveBus, type BusOptions } from './server/responder.js';
