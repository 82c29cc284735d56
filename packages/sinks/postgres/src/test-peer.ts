import pg from 'pg';
import type { SinkContractPeer } from '@watershed/sink-core/testing';
import type { SinkRow } from '@watershed/sink-core';
import type { PostgresCluster } from '@watershed/store/testing';

/** Runs statements on a connection of its own, closed at once (the server may be stopped next). */
export async function sql<R extends pg.QueryResultRow>(
  cluster: PostgresCluster,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const db = new pg.Client({ connectionString: cluster.connectionString });
  await db.connect();
  try {
    return (await db.query<R>(text, values)).rows;
  } finally {
    await db.end();
  }
}

/**
 * The contract's view of what reached PostgreSQL: sample rows of a store schema (point key
 * `c.n.g.<point>`, seq as the value, in ts order — the store's identity) or rows of a plain
 * table with a serial id (arrival order, duplicates visible).
 */
export function storePeer(cluster: PostgresCluster, schema: string): SinkContractPeer {
  return {
    received: async () =>
      (
        await sql<{ key: string; num: number }>(
          cluster,
          `SELECT p.key, s.num FROM ${schema}.samples s JOIN ${schema}.points p ON p.id = s.point_id
            ORDER BY s.point_id, s.ts`,
        )
      ).map((r): SinkRow => ({ point: r.key.split('.').at(-1), seq: r.num })),
    stop: () => cluster.stop(),
    start: () => cluster.start(),
  };
}

export function tablePeer(cluster: PostgresCluster, table: string): SinkContractPeer {
  return {
    received: () => sql<SinkRow & pg.QueryResultRow>(cluster, `SELECT point, seq FROM ${table} ORDER BY id`),
    stop: () => cluster.stop(),
    start: () => cluster.start(),
  };
}

/** The contract row as a sample of the store. */
export function sampleRow(point: string, seq: number, ts: number): SinkRow {
  return { point: `c.n.g.${point}`, ts, value: seq, quality: 'good' };
}
