import type { Clock, Logger, Registry, TimerHandle } from '@watershed/common';
import { Gauge } from '@watershed/common';
import { AlarmService, WebhookNotifier, gb5749RuleSet, type AlarmEvent } from '@watershed/alarms';
import type { Severity } from '@watershed/model';
import type { SampleRow, Store } from '@watershed/store';
import type { AlarmsConfig } from './config.js';

/** The live feed the ingest publishes every stored sample batch to (console-api's LiveHub). */
export interface SampleFeed {
  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void;
}

export interface ServerAlarmsOptions {
  store: Store;
  live: SampleFeed;
  clock: Clock;
  logger: Logger;
  config?: AlarmsConfig;
  metrics?: Registry;
}

export interface ServerAlarms {
  /** For `alarmsRoutes({ alarms: service })`: its `subscribe` is the alarm live feed the SSE route streams. */
  readonly service: AlarmService;
  readonly notifiers: readonly WebhookNotifier[];
  /** Stops evaluating, waits for the pending state writes and notifications (aborting retries). */
  close(): Promise<void>;
}

const RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };
const DAY = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * The server's alarm service: the engine evaluates every sample the ingest publishes to the
 * live feed (after the store has it, so an alarm never points at data the API cannot show),
 * its state survives restarts in the store, its changes go to the configured webhooks and,
 * through `service.subscribe`, to the console's `/alarms/live` stream. History older than the
 * retention is pruned hourly.
 */
export async function startServerAlarms(opts: ServerAlarmsOptions): Promise<ServerAlarms> {
  const { store, clock, logger } = opts;
  const service = await AlarmService.open({ repositories: store.metadata.alarms, clock, logger });
  for (const rs of opts.config?.ruleSets ?? []) {
    const seeded = await service.loadRuleSet(gb5749RuleSet(), {
      project: rs.project,
      mapping: rs.mapping,
      keepExisting: true,
      ...(rs.profile !== undefined && { profile: rs.profile }),
    });
    if (seeded.created.length > 0)
      logger.info({ set: rs.set, created: seeded.created.length }, 'alarm rule set seeded');
  }
  const unsubscribes: (() => void)[] = [];
  unsubscribes.push(opts.live.subscribe((rows) => service.ingestRows(rows)));

  const notifiers = (opts.config?.webhooks ?? []).map((w) => {
    const least = RANK[w.minSeverity ?? 'warning'];
    const n = new WebhookNotifier({
      url: w.url,
      clock,
      logger: logger.child({ webhook: w.url }),
      ...(w.headers && { headers: w.headers }),
      filter: (e: AlarmEvent) => e.announce && RANK[e.severity] <= least,
    });
    unsubscribes.push(service.subscribe(n.listener));
    return n;
  });

  if (opts.metrics) {
    const registry = opts.metrics;
    new Gauge({
      name: 'watershed_alarms_active',
      help: 'Alarms needing attention (active or unacknowledged), by severity',
      labelNames: ['severity'],
      registers: [registry],
      collect() {
        const counts: Record<string, number> = { critical: 0, major: 0, minor: 0, warning: 0 };
        for (const s of service.list()) counts[s.severity] = (counts[s.severity] ?? 0) + 1;
        for (const [severity, n] of Object.entries(counts)) this.set({ severity }, n);
      },
    });
  }

  const retentionMs = (opts.config?.historyRetentionDays ?? 365) * DAY;
  let pruning: Promise<void> = Promise.resolve();
  const prune = (): void => {
    pruning = pruning.then(async () => {
      try {
        const removed = await store.metadata.alarms.history.prune(clock.now() - retentionMs);
        if (removed > 0) logger.info({ removed }, 'alarm history pruned');
      } catch (err) {
        logger.error({ err }, 'alarm history prune failed');
      }
    });
  };
  const timer: TimerHandle = clock.setInterval(prune, PRUNE_EVERY_MS);
  timer.unref?.();
  prune();

  return {
    service,
    notifiers,
    async close() {
      clock.clearInterval(timer);
      for (const u of unsubscribes) u();
      await service.close();
      await pruning;
      await Promise.all(notifiers.map((n) => n.close()));
    },
  };
}
