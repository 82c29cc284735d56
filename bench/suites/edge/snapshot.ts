import type { EdgeHealth } from '@watershed/edge-runtime';

/** What the gateway process reports once a second: its runtime's own counters, summed up. */
export interface GatewaySnapshot {
  /** ms since the gateway started. */
  uptimeMs: number;
  connected: boolean;
  /** Messages appended to the buffer, acknowledged by the broker, waiting in the buffer. */
  published: number;
  acked: number;
  backlog: number;
  dropped: number;
  groups: number;
  polls: number;
  overruns: number;
  /** Polls with at least one bad sample. */
  pollErrors: number;
  /** Per-group lateness percentiles (runtime's last-256-polls window), combined over groups. */
  latenessP50MedianMs: number;
  latenessP99MaxMs: number;
  latenessP99MedianMs: number;
  /**
   * Every poll's lateness since start, summed over groups, per LATENESS_BUCKETS_MS bucket:
   * the difference of two snapshots is the measured window's exact distribution.
   */
  latenessBuckets: number[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Combines the groups' stats. The runtime keeps lateness per group (GroupStats, a window of the
 * last 256 polls); the suite reports the worst group's p99, an upper bound of the p99 over all
 * polls, and the median group's p99 beside it.
 */
export function snapshotOf(health: EdgeHealth, uptimeMs: number): GatewaySnapshot {
  const groups = Object.values(health.groups);
  return {
    uptimeMs,
    connected: health.uplink.connected,
    published: health.uplink.published,
    acked: health.uplink.acked,
    backlog: health.uplink.backlog,
    dropped: health.uplink.dropped,
    groups: groups.length,
    polls: groups.reduce((s, g) => s + g.polls, 0),
    overruns: groups.reduce((s, g) => s + g.overruns, 0),
    pollErrors: groups.reduce((s, g) => s + g.errors, 0),
    latenessP50MedianMs: median(groups.map((g) => g.latenessP50Ms)),
    latenessP99MaxMs: Math.max(0, ...groups.map((g) => g.latenessP99Ms)),
    latenessP99MedianMs: median(groups.map((g) => g.latenessP99Ms)),
    latenessBuckets: groups.reduce<number[]>(
      (sum, g) => g.latenessBuckets.map((n, i) => n + (sum[i] ?? 0)),
      [],
    ),
  };
}
