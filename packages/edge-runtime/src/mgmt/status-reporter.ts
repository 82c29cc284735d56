import type { Clock } from '@watershed/common';
import type { DeviceReport, EdgeReport, GroupReport } from '@watershed/model';
import type { OutboxStats } from '../outbox.js';
import type { Plant } from '../plant.js';
import type { WriteStats } from '../write/write-handler.js';

export interface ReportSources {
  node: string;
  clock: Clock;
  /** ms epoch the gateway started. */
  startedAt: number;
  running: () => { version: number; plant: Plant };
  uplink: () => { connected: boolean; published: number; acked: number; inflight: number };
  /** The outbox's stats with the oldest message's time (`Outbox.report()`). */
  buffer: () => OutboxStats;
  writes: () => WriteStats;
  /** The next seq a group's message will carry. */
  seq: (group: string) => number;
}

/**
 * Assembles the gateway's report for `mgmt/metrics`: link state per device, poll statistics
 * per group, the store-and-forward backlog, the uplink and remote-write counters.
 */
export class StatusReporter {
  readonly #src: ReportSources;

  constructor(sources: ReportSources) {
    this.#src = sources;
  }

  report(): EdgeReport {
    const src = this.#src;
    const now = src.clock.now();
    const { version, plant } = src.running();
    const devices: Record<string, DeviceReport> = {};
    for (const [name, { driver, health }] of Object.entries(plant.devices())) {
      devices[name] = {
        driver,
        state: health.state,
        since: Math.trunc(health.since),
        ...(health.lastError
          ? {
              lastError: {
                code: health.lastError.code,
                message: health.lastError.message,
                at: Math.trunc(health.lastError.at),
              },
            }
          : {}),
        requests: health.stats.requests,
        failures: health.stats.failures,
        timeouts: health.stats.timeouts,
        reconnects: health.stats.reconnects,
        ...(health.stats.lastRttMs !== undefined ? { lastRttMs: health.stats.lastRttMs } : {}),
      };
    }
    const groups: Record<string, GroupReport> = {};
    for (const [name, g] of Object.entries(plant.groups())) {
      groups[name] = {
        device: g.device,
        intervalMs: g.intervalMs,
        polls: g.polls,
        errors: g.errors,
        overruns: g.overruns,
        latenessP50Ms: g.latenessP50Ms,
        latenessP99Ms: g.latenessP99Ms,
        ...(g.lastPollMs !== undefined ? { lastDurationMs: g.lastPollMs } : {}),
        ...(g.lastPollAt !== undefined ? { lastPollAt: Math.trunc(g.lastPollAt) } : {}),
        seq: src.seq(name),
      };
    }
    const b = src.buffer();
    const u = src.uplink();
    return {
      v: 1,
      node: src.node,
      ts: Math.trunc(now),
      configVersion: version,
      uptimeS: Math.max(0, (now - src.startedAt) / 1000),
      devices,
      groups,
      buffer: {
        rows: b.backlog,
        bytes: b.backlogBytes,
        dropped: b.dropped,
        ...(b.oldestTs !== undefined ? { oldestTs: b.oldestTs } : {}),
      },
      uplink: { connected: u.connected, published: u.published, acked: u.acked, inflight: u.inflight },
      writes: { ...src.writes() },
      process: processFigures(),
    };
  }

  /** The devices' link states as one string: a change means a report is due now. */
  linkSignature(): string {
    const devices = this.#src.running().plant.devices();
    return Object.entries(devices)
      .map(([name, d]) => `${name}=${d.health.state}`)
      .join(',');
  }
}

function processFigures(): NonNullable<EdgeReport['process']> {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
  };
}
