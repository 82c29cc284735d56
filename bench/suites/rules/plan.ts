/**
 * What the rules benchmark sends and stores, shared by its processes: uplink messages of the
 * model's format (10 values each), the rule that reshapes them and how its rows become samples.
 */
import type { SampleRow } from '@watershed/store';

export const SITE = 'bench';
export const GROUP = 'g1';
/** The 10 tags of every uplink, as a small pumping station reports them. */
export const TAGS = [
  'flow',
  'pressure',
  'level',
  'temp',
  'ph',
  'cl',
  'turb',
  'cond',
  'pump1',
  'pump2',
] as const;

/**
 * The rule under test: a WHERE on the payload and a computed field (flow in m³/h from l/s),
 * one row per message — the shape of EMQX's own rule-to-database benchmark. Every message the
 * publishers send passes the WHERE (pressure > 0), so stored = published means zero loss.
 */
export const RULE_SQL = `SELECT payload.node AS node, payload.ts AS ts, payload.values.flow * 3.6 AS flow_m3h
  FROM "ws/v1/+/+/+/data"
  WHERE payload.values.pressure > 0 AND payload.v = 1`;

/** Store sink rows → samples: point `bench.<node>.g1.flow_m3h` at the uplink's poll time. */
export function toSample(row: Record<string, unknown>): SampleRow {
  return {
    point: `${SITE}.${String(row.node)}.${GROUP}.flow_m3h`,
    ts: row.ts as number,
    value: row.flow_m3h as number,
    quality: 'good',
  };
}

/** Node names of publisher `p`, client `c`: one node per client, so (point, ts) never repeats. */
export function nodeName(publisher: number, client: number): string {
  return `p${publisher}c${client}`;
}

export function dataTopic(node: string): string {
  return `ws/v1/${SITE}/${node}/${GROUP}/data`;
}

/**
 * One uplink. `ts` advances 1 ms per message of a node, from `base`: poll times are unique per
 * node, so each message is its own (point, ts) row and the store's idempotent insert keeps all.
 */
export function uplink(node: string, seq: number, base: number): string {
  const t = seq % 1000;
  return JSON.stringify({
    v: 1,
    node,
    group: GROUP,
    ts: base + seq,
    seq,
    values: {
      flow: 40 + (t % 17) * 0.5,
      pressure: 3.1 + (t % 5) * 0.01,
      level: 2.4,
      temp: 11.5,
      ph: 7.2,
      cl: 0.42,
      turb: 0.3,
      cond: 512,
      pump1: true,
      pump2: t % 2 === 0,
    },
  });
}
