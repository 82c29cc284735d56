import type { SinkRow } from '@watershed/sink-core';
import { describeSinkContract } from '@watershed/sink-core/testing';
import { influxLineSink } from './index.js';
import { TestVictoria } from './test-victoria.js';

// Against a real VictoriaMetrics: `seq` is written as a field (metric `contract_seq`), the
// point as a tag; reading back lists each point's seq values in time order, duplicates kept.
describeSinkContract(
  'influx-line',
  async () => {
    const vm = new TestVictoria();
    await vm.start();
    const base = Date.now() - 3_600_000;
    return {
      sinkType: influxLineSink,
      config: { url: vm.url, bucket: 'b', org: 'o', measurement: 'contract', tags: ['point'] },
      row: (point: string, seq: number): SinkRow => ({ point, seq, value: seq, ts: base + seq * 10 }),
      // A tag value line protocol cannot carry: the transport refuses the batch for good.
      permanentlyBadRow: { point: 'p1\nx', seq: -1, value: 0 },
      peer: {
        start: () => vm.start(),
        stop: () => vm.stop(),
        received: async () =>
          (await vm.series('contract_seq')).flatMap((s) =>
            s.values.map((seq) => ({ point: s.labels['point'], seq })),
          ),
      },
      cleanup: () => vm.cleanup(),
    };
  },
  { timeoutMs: 40_000 },
);
