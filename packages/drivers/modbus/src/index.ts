export { ModbusErrors } from './errors.js';
export {
  FC,
  EXCEPTION,
  LIMITS,
  encodeRequest,
  decodeRequest,
  encodeResponse,
  decodeResponse,
  isException,
  exceptionName,
  type Request,
  type Response,
  type ExceptionResponse,
} from './codec/pdu.js';
export { encodeMbap, MbapSplitter, type MbapFrame } from './codec/mbap.js';
export { crc16, encodeRtu, RtuSplitter, type RtuFrame } from './codec/rtu.js';
export {
  encodeValue,
  decodeNumber,
  decodeString,
  checkValue,
  type ByteOrder,
  type StringMode,
} from './codec/values.js';
export { parseAddress, type ModbusAddress, type Area } from './address.js';
export { planReads, type PlanOptions, type ReadBlock } from './plan.js';
export type { Transport, Connection, ConnectionEvents } from './client/transport.js';
export { createTcpTransport, type TcpTransportOptions } from './client/tcp-transport.js';
export { modbusTcpDriver, ModbusTcpConfig, ModbusClientDriver, type ModbusClientSettings } from './driver.js';
export {
  createRegisterBank,
  writeRegisters,
  DEFAULT_BANK_SIZE,
  type RegisterBank,
  type BankSize,
} from './server/bank.js';
export { serveRequest, type WriteEvent } from './server/handler.js';
export {
  startModbusTcpServer,
  type ModbusTcpServer,
  type ModbusTcpServerOptions,
} from './server/tcp-server.js';
