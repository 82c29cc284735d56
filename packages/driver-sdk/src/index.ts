export * from './driver.js';
export type { Connection, ConnectionEvents, Transport, LinkErrorFactory } from './transport/transport.js';
export {
  createStreamTransport,
  StreamConnection,
  type StreamTransportOptions,
} from './transport/stream-transport.js';
export { createTcpTransport, type TcpTransportOptions } from './transport/tcp-transport.js';
export {
  createSerialTransport,
  serialportFactory,
  type SerialSettings,
  type SerialPortFactory,
  type SerialTransportOptions,
} from './transport/serial-transport.js';
export {
  ReconnectingLink,
  type ReconnectingLinkOptions,
  type LinkErrors,
  type SessionControl,
  type SessionHooks,
} from './link/reconnecting-link.js';
