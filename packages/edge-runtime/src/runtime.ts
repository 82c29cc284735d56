import { systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import { isReadable, type Driver, type DriverHealth, type DriverModule } from '@watershed/driver-sdk';
import type { EdgeStatus, GroupInfo } from '@watershed/model';
import type { DeviceConfig, EdgeConfig } from './config.js';
import { EdgeErrors } from './errors.js';
import { GroupPoller, type GroupStats, type PollResult } from './group-poller.js';
import { TagProcessor } from './tag-processor.js';
import { Outbox } from './outbox.js';
import { MqttUplink, type UplinkStats } from './uplink.js';
import { checkEdgeConfig } from './validate.js';

export interface EdgeHealth {
  node: string;
  uplink: UplinkStats;
  devices: Record<string, DriverHealth>;
  groups: Record<string, GroupStats & { seq: number; device: string }>;
}

export interface EdgeRuntime {
  health(): EdgeHealth;
  close(): Promise<void>;
}

export interface EdgeRuntimeOptions {
  config: EdgeConfig;
  /** The driver modules this gateway can use, from the one explicit list in apps/edge. */
  drivers: readonly DriverModule[];
  clock?: Clock;
  logger?: Logger;
  version?: string;
}

interface RunningGroup {
  device: string;
  poller: GroupPoller;
  processor: TagProcessor;
  seq: number;
}

/**
 * Starts a gateway: validates the config against the registered drivers, connects every
 * device (a device that is down does not hold up the others), opens the uplink and polls each
 * group on its own schedule, publishing one uplink message per group per poll with a per-group
 * `seq` that continues across restarts through the store-and-forward buffer.
 */
export async function startEdgeRuntime(opts: EdgeRuntimeOptions): Promise<EdgeRuntime> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger();
  const { config } = opts;
  checkEdgeConfig(config, opts.drivers);
  const modules = new Map(opts.drivers.map((m) => [m.id, m]));

  const devices = new Map<string, Driver>();
  const groups = new Map<string, RunningGroup>();
  const catalog: GroupInfo[] = config.devices.flatMap((d) => groupInfo(d));

  const outbox = new Outbox({
    file: config.buffer.file ?? ':memory:',
    maxMessages: config.buffer.maxMessages,
  });
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
      groups: catalog,
    }),
  });

  const onPoll = (r: PollResult): void => {
    const g = groups.get(r.group);
    if (!g) return;
    const processed = g.processor.process(r.samples);
    uplink.publish({ v: 1, node: config.node, group: r.group, ts: r.ts, seq: g.seq++, ...processed });
  };

  for (const device of config.devices) {
    const mod = modules.get(device.driver);
    if (!mod)
      throw EdgeErrors.UNKNOWN_DRIVER.create([device.name, device.driver, [...modules.keys()].join(', ')]);
    const driver = mod.create(device.config, { clock, logger: logger.child({ device: device.name }) });
    if (!isReadable(driver)) throw EdgeErrors.NOT_READABLE.create([device.driver, device.name]);
    devices.set(device.name, driver);
    for (const group of device.groups) {
      const poller = new GroupPoller({
        group,
        driver,
        clock,
        logger: logger.child({ device: device.name, group: group.name }),
        onPoll,
      });
      groups.set(group.name, {
        device: device.name,
        poller,
        processor: new TagProcessor(group.tags),
        // seq continues across restarts (kept in the buffer), so the cloud sees no false gap.
        seq: outbox.nextSeq(group.name),
      });
    }
  }

  await Promise.all([...devices.values()].map((d) => d.connect()));
  for (const g of groups.values()) g.poller.start();
  logger.info(
    { site: config.site, node: config.node, devices: devices.size, groups: groups.size },
    'edge started',
  );

  let closing: Promise<void> | undefined;
  return {
    health(): EdgeHealth {
      return {
        node: config.node,
        uplink: { ...uplink.stats },
        devices: Object.fromEntries([...devices].map(([name, d]) => [name, d.health()])),
        groups: Object.fromEntries(
          [...groups].map(([name, g]) => [name, { ...g.poller.stats, seq: g.seq, device: g.device }]),
        ),
      };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([...groups.values()].map((g) => g.poller.stop()));
        await uplink.close();
        await Promise.all([...devices.values()].map((d) => d.close()));
        outbox.close();
        logger.info('edge stopped');
      })();
      return closing;
    },
  };
}

function groupInfo(device: DeviceConfig): GroupInfo[] {
  return device.groups.map((g) => ({
    name: g.name,
    device: device.name,
    intervalMs: g.intervalMs,
    tags: g.tags.map((t) => ({
      name: t.name,
      dataType: t.dataType,
      ...(t.unit !== undefined ? { unit: t.unit } : {}),
      ...(t.quantity !== undefined ? { quantity: t.quantity } : {}),
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.asset !== undefined ? { asset: t.asset } : {}),
      ...(t.writable !== undefined ? { writable: t.writable } : {}),
    })),
  }));
}
