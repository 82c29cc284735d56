import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { EdgeReport, LogTail as LogTailMessage } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import type { EdgeConfig } from '../config.js';
import { Plant } from '../plant.js';
import { MGMT_DEFAULTS, MemoryBank, memoryModule } from '../test-support.js';
import { WriteHandler } from '../write/write-handler.js';
import { MgmtAgent, type ControlLink } from './agent.js';
import { ConfigApplier } from './config-apply.js';
import { ConfigStore } from './config-store.js';
import { LogTail } from './log-tail.js';
import { StatusReporter } from './status-reporter.js';

/** Records what the agent publishes instead of sending it. */
class RecordingLink implements ControlLink {
  readonly sent: { topic: string; body: unknown; retain: boolean }[] = [];
  subscribe(): void {}
  publishDirect(topic: string, payload: string, opts: { retain: boolean }): Promise<void> {
    this.sent.push({ topic, body: JSON.parse(payload), retain: opts.retain });
    return Promise.resolve();
  }
  on<T>(channel: string): T[] {
    return this.sent.filter((s) => s.topic.endsWith(`/mgmt/${channel}`)).map((s) => s.body as T);
  }
}

describe('MgmtAgent schedule (fake clock)', () => {
  it('reports every period, at once when a link state changes, and the log tail only when it has news', async () => {
    const clock = new FakeClock(0);
    const bank = new MemoryBank();
    const modules = [memoryModule(new Map([['b', bank]]))];
    const base: EdgeConfig = {
      site: 's',
      node: 'n',
      uplink: { url: 'mqtt://127.0.0.1:1', keepaliveS: 30, reconnectMs: 1000, qos: 1 },
      buffer: { maxMessages: 10, replayRatePerS: 10, window: 1 },
      mgmt: MGMT_DEFAULTS,
      devices: [
        {
          name: 'plc',
          driver: 'memory',
          config: { bank: 'b' },
          groups: [{ name: 'g', intervalMs: 1000, tags: [{ name: 't', address: 'r1', dataType: 'float' }] }],
        },
      ],
    };
    const applier = await ConfigApplier.start({
      base,
      modules,
      store: new ConfigStore(undefined),
      clock,
      logger: silentLogger(),
      buildPlant: (devices) =>
        Plant.build({
          devices,
          modules: new Map(modules.map((m) => [m.id, m])),
          clock,
          logger: silentLogger(),
          onPoll: () => undefined,
        }),
    });
    const writes = new WriteHandler({
      site: 's',
      node: 'n',
      clock,
      logger: silentLogger(),
      timeoutMs: 100,
      cacheSize: 1,
      lookup: () => undefined,
    });
    const reporter = new StatusReporter({
      node: 'n',
      clock,
      startedAt: 0,
      running: () => applier.running,
      uplink: () => ({ connected: true, published: 0, acked: 0, inflight: 0 }),
      buffer: () => ({ backlog: 0, backlogBytes: 0, dropped: 0 }),
      writes: () => writes.stats,
      seq: () => 0,
    });
    const tail = new LogTail({ size: 10 });
    const link = new RecordingLink();
    const agent = new MgmtAgent({
      site: 's',
      node: 'n',
      clock,
      logger: silentLogger(),
      link,
      applier,
      writes,
      reporter,
      logTail: tail,
      reportIntervalS: 30,
    });
    agent.start();
    await clock.advance(1000);
    expect(link.on<EdgeReport>('metrics')).toHaveLength(1);
    expect(link.on('log')).toHaveLength(0); // nothing logged yet: nothing to publish

    await clock.advance(10_000);
    expect(link.on<EdgeReport>('metrics')).toHaveLength(1);
    bank.linkDown = true;
    await clock.advance(1000);
    const reports = link.on<EdgeReport>('metrics');
    expect(reports).toHaveLength(2);
    expect(reports[1]?.devices['plc']?.state).toBe('disconnected');
    expect(reports[1]?.groups['g']?.polls).toBe(12);

    tail.write(JSON.stringify({ level: 40, time: 5, msg: 'device down' }));
    await clock.advance(1000);
    const logs = link.sent.filter((s) => s.topic === 'ws/v1/s/n/mgmt/log');
    expect(logs).toHaveLength(1);
    expect(logs[0]?.retain).toBe(true);
    expect((logs[0]?.body as LogTailMessage).lines.map((l) => l.msg)).toEqual(['device down']);
    tail.write(JSON.stringify({ level: 50, time: 6, msg: 'still down' }));
    await clock.advance(1000);
    expect(link.on('log')).toHaveLength(1); // at most once per period
    await clock.advance(30_000);
    expect(link.on('log')).toHaveLength(2);
    expect(link.on<EdgeReport>('metrics').length).toBe(3);

    await agent.close();
    await applier.close();
    expect(clock.pending).toBe(0);
  });
});
