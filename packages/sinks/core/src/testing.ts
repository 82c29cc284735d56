export { describeSinkContract, type SinkContractPeer, type SinkContractSubject } from './contract.js';
export { MemoryPeer } from './memory-peer.js';
