export { Iec104Errors } from './errors.js';
export {
  U,
  START,
  MAX_LENGTH,
  MAX_ASDU_LENGTH,
  SEQ_MODULO,
  ApduSplitter,
  decodeApdu,
  encodeI,
  encodeS,
  encodeU,
  seqDistance,
  uName,
  type Apdu,
  type UFunction,
} from './codec/apci.js';
export { encodeAsdu, decodeAsdu, maxObjects, type Asdu, type DecodedAsdu } from './codec/asdu.js';
export { QDS, BCR, type InfoObject } from './codec/elements.js';
export { readCp56, writeCp56, type Cp56 } from './codec/cp56.js';
export { mapQuality, type MappedQuality } from './codec/quality.js';
export {
  TypeId,
  Cot,
  QOI_STATION,
  QCC_GENERAL_READ,
  TIME_TAGGED,
  baseType,
  typeName,
  typeIdOf,
  type TypeName,
  type TypeIdValue,
} from './codec/types.js';
export { parseAddress, type Iec104Address, type AddressKind, type AddressResult } from './address.js';
export { Iec104Config } from './config.js';
export { iec104Driver } from './module.js';
export { Iec104Driver } from './driver.js';
export {
  ApciSession,
  DEFAULT_TIMERS,
  type ApciRole,
  type ApciState,
  type ApciTimers,
  type ApciSessionOptions,
  type ApciStats,
} from './link/apci-session.js';
export type { Transport, Connection, ConnectionEvents } from './client/transport.js';
export { createTcpTransport, type TcpTransportOptions } from './client/tcp-transport.js';
export {
  startIec104Outstation,
  type Iec104Outstation,
  type Iec104OutstationOptions,
  type UpdateOptions,
} from './server/outstation.js';
export type {
  OutstationPoint,
  OutstationCommandDef,
  OutstationCommand,
  MonitorTypeName,
  CommandTypeName,
} from './server/points.js';
