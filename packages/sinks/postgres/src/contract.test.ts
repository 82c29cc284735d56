import { afterAll, beforeAll } from 'vitest';
import { describeSinkContract } from '@watershed/sink-core/testing';
import { PostgresCluster } from '@watershed/store/testing';
import { postgresSink } from './index.js';
import { sampleRow, sql, storePeer, tablePeer } from './test-peer.js';

let cluster: PostgresCluster;
let n = 0;

beforeAll(async () => {
  cluster = await PostgresCluster.create();
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
});

describeSinkContract(
  'postgres (samples into the store)',
  () => {
    const schema = `sink_store_${++n}`;
    return Promise.resolve({
      sinkType: postgresSink,
      config: { connectionString: cluster.connectionString, schema, partition: 'day' },
      peer: storePeer(cluster, schema),
      row: sampleRow,
      // A sample whose quality the store does not know: rejected, never retried.
      permanentlyBadRow: { point: 'c.n.g.p1', ts: 1, value: 1, quality: 'fine' },
      cleanup: async () => {
        await sql(cluster, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      },
    });
  },
  { timeoutMs: 30_000 },
);

describeSinkContract(
  'postgres (rows into a mapped table)',
  async () => {
    const table = `public.sink_rows_${++n}`;
    await sql(
      cluster,
      `CREATE TABLE ${table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, point text NOT NULL,
         seq integer NOT NULL, at timestamptz NOT NULL, reading double precision)`,
    );
    return {
      sinkType: postgresSink,
      config: {
        connectionString: cluster.connectionString,
        schema: `sink_unused_${n}`,
        table: { name: table, columns: { point: 'point', seq: 'seq', at: 'time', reading: 'value' } },
      },
      peer: tablePeer(cluster, table),
      row: (point: string, seq: number, ts: number) => ({
        point,
        seq,
        time: new Date(ts).toISOString(),
        value: seq / 10,
      }),
      // `seq` is an integer column: PostgreSQL refuses the text (SQLSTATE 22P02).
      permanentlyBadRow: { point: 'p1', seq: 'minus one', time: new Date(0).toISOString(), value: 0 },
      cleanup: async () => {
        await sql(cluster, `DROP TABLE IF EXISTS ${table}`);
      },
    };
  },
  { timeoutMs: 30_000 },
);
