export { S7Errors } from './errors.js';
export { s7Driver } from './module.js';
export { S7Driver } from './driver.js';
export { S7Config, tsaps } from './config.js';
export { parseAddress, type S7Address, type S7Type, type AreaName, type AddressResult } from './address.js';
export { decodeValue, encodeValue } from './values.js';
export {
  planReads,
  maxItemBytes,
  type PlanOptions,
  type PlannedTag,
  type ReadRange,
  type ReadPlan,
} from './plan.js';
export { encodeTpkt, TpktSplitter } from './codec/tpkt.js';
export { encodeCr, encodeCc, encodeDt, decodeTpdu, type Tpdu, type ConnectionTpdu } from './codec/cotp.js';
export {
  AREA,
  ROSCTR,
  FUNCTION,
  RETURN_OK,
  returnCodeName,
  encodePdu,
  decodePdu,
  encodeSetup,
  decodeSetup,
  encodeReadRequest,
  decodeReadRequest,
  encodeWriteParam,
  decodeWriteParam,
  encodeDataItems,
  decodeDataItems,
  decodeWriteAck,
  type S7Pdu,
  type VarSpec,
  type ReadResult,
} from './codec/s7comm.js';
export { createMemory, readItem, writeItem, type S7Memory } from './server/memory.js';
export {
  startS7Server,
  type S7ServerOptions,
  type S7TcpServer,
  type WriteEvent,
} from './server/tcp-server.js';
