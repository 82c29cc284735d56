import { Errors, formatIssues, systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import type { DriverHealth, DriverModule } from '@watershed/driver-sdk';
import type { EdgeReport, EdgeStatus } from '@watershed/model';
import type { DeviceConfig, EdgeConfig } from './config.js';
import type { GroupStats } from './group-poller.js';
import { MgmtAgent } from './mgmt/agent.js';
import { ConfigApplier } from './mgmt/config-apply.js';
import { ConfigStore } from './mgmt/config-store.js';
import type { LogTail } from './mgmt/log-tail.js';
import { StatusReporter } from './mgmt/status-reporter.js';
import { Outbox } from './outbox.js';
import { DriverCatalog } from './driver-catalog.js';
import { Plant } from './plant.js';
import { checkEdgeRules } from './rules/check-rules.js';
import type { EdgeRuleConfig } from './rules/rule-config.js';
import type { ProcessedValues } from './tag-processor.js';
import { MqttUplink, type UplinkStats } from './uplink.js';
import { checkEdgeConfig } from './validate.js';
import { WriteHandler, type WriteStats } from './write/write-handler.js';

export interface EdgeHealth {
  node: string;
  /** 0 = the local file's devices; higher = the version last applied from the console. */
  configVersion: number;
  uplink: UplinkStats;
  devices: Record<string, DriverHealth>;
  groups: Record<string, GroupStats & { seq: number; device: string }>;
  writes: WriteStats;
}

export interface EdgeRuntime {
  health(): EdgeHealth;
  /** The report the management agent publishes on mgmt/metrics. */
  report(): EdgeReport;
  close(): Promise<void>;
}

export interface EdgeRuntimeOptions {
  config: EdgeConfig;
  /**
   * The drivers this gateway can use, from the one explicit list in apps/edge: modules, or a
   * DriverCatalog of loaders, of which only those a config names are loaded.
   */
  drivers: readonly DriverModule[] | DriverCatalog;
  clock?: Clock;
  logger?: Logger;
  version?: string;
  /** The ring the logger also writes to (see LogTail.tee); published on mgmt/log. */
  logTail?: LogTail;
}

/**
 * Where the config applied from the console is kept: `mgmt.stateFile`, else beside the buffer
 * file (`plant.outbox.sqlite` → `plant.outbox.applied.json`), else nowhere.
 */
export function stateFileOf(config: EdgeConfig): string | undefined {
  if (config.mgmt.stateFile !== undefined) return config.mgmt.stateFile;
  if (config.buffer.file === undefined) return undefined;
  return `${config.buffer.file.replace(/\.[^./\\]+$/, '')}.applied.json`;
}

/**
 * Starts a gateway: validates the config against the registered drivers, opens the
 * store-and-forward buffer and the uplink, starts the plant (the config last applied from the
 * console if one was saved, else the local file's devices) and the management agent.
 * Each group's poll becomes one uplink message with a per-group `seq` that continues across
 * restarts and config changes: the buffer and the seq counters live here, outside the plant a
 * config change replaces.
 */
export async function startEdgeRuntime(opts: EdgeRuntimeOptions): Promise<EdgeRuntime> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger();
  const { config } = opts;
  const drivers = opts.drivers instanceof DriverCatalog ? opts.drivers : new DriverCatalog(opts.drivers);
  checkEdgeConfig(
    config,
    await drivers.load(config.devices.map((d) => d.driver)),
    'edge config',
    drivers.ids,
  );
  const ruleIssues = await checkEdgeRules(config.rules ?? []);
  if (ruleIssues.length > 0) {
    throw Errors.CONFIG_INVALID.create(['edge config', formatIssues(ruleIssues)], { issues: ruleIssues });
  }
  // A live view: modules a pushed config loads later are in it when its plant is built.
  const modules = drivers.loaded;
  const startedAt = clock.now();

  const outbox = new Outbox({
    file: config.buffer.file ?? ':memory:',
    maxMessages: config.buffer.maxMessages,
  });
  const seqs = new Map<string, number>();
  // seq continues across restarts (kept in the buffer), so the cloud sees no false gap.
  const seqOf = (group: string): number => seqs.get(group) ?? outbox.nextSeq(group);
  let applier: ConfigApplier | undefined;
  const uplink = new MqttUplink({
    config: config.uplink,
    buffer: config.buffer,
    outbox,
    site: config.site,
    node: config.node,
    logger: logger.child({ component: 'uplink' }),
    clock,
    birth: (): EdgeStatus => ({
      v: 1,
      node: config.node,
      online: true,
      ts: clock.now(),
      ...(opts.version ? { version: opts.version } : {}),
      configVersion: String(applier?.running.version ?? 0),
      groups: applier?.running.plant.catalog() ?? [],
    }),
  });

  const onPoll = (group: string, ts: number, values: ProcessedValues): void => {
    const seq = seqOf(group);
    seqs.set(group, seq + 1);
    uplink.publish({ v: 1, node: config.node, group, ts, seq, ...values });
  };
  const writes = new WriteHandler({
    site: config.site,
    node: config.node,
    clock,
    logger: logger.child({ component: 'write' }),
    timeoutMs: config.mgmt.writeTimeoutMs,
    cacheSize: config.mgmt.writeCache,
    lookup: (group, tag) => applier?.running.plant.tag(group, tag),
  });
  const rulesLogger = logger.child({ component: 'rules' });
  const buildPlant = async (
    devices: readonly DeviceConfig[],
    rules: readonly EdgeRuleConfig[],
  ): Promise<Plant> => {
    // Loaded on first use: a gateway without rules never pays for the engine.
    const edgeRules =
      rules.length === 0
        ? undefined
        : (await import('./rules/edge-rules.js')).EdgeRules.create({
            rules,
            clock,
            logger: rulesLogger,
            context: {
              site: config.site,
              node: config.node,
              logger: rulesLogger,
              now: () => clock.now(),
              // A rule's output is a stream of its own in the buffer, seq continuing like a group's.
              upstream: (ruleId, topic, payload, ts) => {
                const stream = `rule/${ruleId}`;
                const seq = seqOf(stream);
                seqs.set(stream, seq + 1);
                uplink.publishStream(stream, seq, topic, payload(seq), ts);
              },
              write: (req) => writes.handle(req),
              writeTimeoutMs: config.mgmt.writeTimeoutMs,
            },
          });
    try {
      return await Plant.build({
        devices,
        modules,
        clock,
        logger,
        onPoll,
        ...(edgeRules ? { rules: edgeRules } : {}),
      });
    } catch (err) {
      await edgeRules?.close();
      throw err;
    }
  };

  try {
    applier = await ConfigApplier.start({
      base: config,
      modules: drivers,
      store: new ConfigStore(stateFileOf(config)),
      clock,
      logger: logger.child({ component: 'config' }),
      buildPlant,
      onApplied: () => uplink.announce(),
    });
  } catch (err) {
    await uplink.close();
    outbox.close();
    throw err;
  }
  const running = applier;
  uplink.announce(); // the catalog is known now; the connect-time birth may have had none

  const reporter = new StatusReporter({
    node: config.node,
    clock,
    startedAt,
    running: () => running.running,
    uplink: () => uplink.stats,
    buffer: () => outbox.report(),
    writes: () => writes.stats,
    seq: seqOf,
  });
  const agent = config.mgmt.enabled
    ? new MgmtAgent({
        site: config.site,
        node: config.node,
        clock,
        logger: logger.child({ component: 'mgmt' }),
        link: uplink,
        applier: running,
        writes,
        reporter,
        reportIntervalS: config.mgmt.reportIntervalS,
        ...(opts.logTail ? { logTail: opts.logTail } : {}),
      })
    : undefined;
  agent?.start();
  const plant = running.running.plant;
  logger.info(
    {
      site: config.site,
      node: config.node,
      configVersion: running.running.version,
      devices: Object.keys(plant.devices()).length,
      groups: plant.groupNames.length,
    },
    'edge started',
  );

  let closing: Promise<void> | undefined;
  return {
    health(): EdgeHealth {
      const current = running.running;
      return {
        node: config.node,
        configVersion: current.version,
        uplink: { ...uplink.stats },
        devices: Object.fromEntries(
          Object.entries(current.plant.devices()).map(([name, d]) => [name, d.health]),
        ),
        groups: Object.fromEntries(
          Object.entries(current.plant.groups()).map(([name, g]) => [name, { ...g, seq: seqOf(name) }]),
        ),
        writes: { ...writes.stats },
      };
    },
    report: () => reporter.report(),
    close(): Promise<void> {
      closing ??= (async () => {
        await agent?.close();
        await running.close();
        await uplink.close();
        outbox.close();
        logger.info('edge stopped');
      })();
      return closing;
    },
  };
}
