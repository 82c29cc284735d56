import { describeSinkContract } from './contract.js';
import { MemoryPeer } from './memory-peer.js';

// The suite itself, run against the in-process peer: what every sink package runs against its
// real peer.
describeSinkContract('memory', () => {
  const peer = new MemoryPeer();
  return Promise.resolve({
    peer,
    transport: () => peer.transport(),
    permanentlyBadRow: { point: 'p1', seq: -1, reject: true },
  });
});
