import { describeSinkContract } from '@watershed/sink-core/testing';
import { httpSink } from './index.js';
import { TestReceiver } from './test-receiver.js';

describeSinkContract('http', async () => {
  const receiver = new TestReceiver();
  await receiver.start();
  return {
    sinkType: httpSink,
    config: { url: receiver.url, timeoutMs: 2_000 },
    peer: receiver,
    // The receiver answers 422 to a batch holding this row.
    permanentlyBadRow: { point: 'p1', seq: -1, reject: true },
    cleanup: () => receiver.stop(),
  };
});
