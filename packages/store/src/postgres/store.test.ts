import { afterAll, beforeAll } from 'vitest';
import { describeStoreContract } from '../testing.js';
import { createPostgresStore } from './store.js';
import { PostgresCluster } from './testing/cluster.js';
import pg from 'pg';

let cluster: PostgresCluster;
let n = 0;

beforeAll(async () => {
  cluster = await PostgresCluster.create();
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
});

describeStoreContract('PostgreSQL', () => {
  // One schema per test: isolation without a cluster or database per test.
  const schema = `contract_${++n}`;
  return Promise.resolve({
    open: () =>
      createPostgresStore({
        connectionString: cluster.connectionString,
        schema,
        partition: 'day',
        flushIntervalMs: 5,
      }),
    cleanup: async () => {
      const db = new pg.Client({ connectionString: cluster.connectionString });
      await db.connect();
      try {
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.end();
      }
    },
  });
});
