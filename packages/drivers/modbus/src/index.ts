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
export { modbusTcpDriver, modbusRtuDriver } from './modules.js';
export { ModbusClientDriver } from './driver.js';
export { ModbusTcpConfig, ModbusRtuConfig, ClientSettings } from './config.js';
export { createStreamTransport, type StreamTransportOptions } from './client/stream-transport.js';
export {
  createSerialTransport,
  openWithSerialport,
  type SerialSettings,
  type SerialPortFactory,
} from './client/serial-transport.js';
export {
  serveModbusStream,
  type StreamServerOptions,
  type ServerFraming,
  type BankLookup,
} from './server/responder.js';
