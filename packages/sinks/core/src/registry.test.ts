import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, silentLogger, systemClock } from '@watershed/common';
import { Type, type Static } from 'typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryPeer } from './memory-peer.js';
import { SinkRegistry } from './registry.js';
import type { SinkDeps, SinkType } from './types.js';

const EchoConfig = Type.Object({
  url: Type.String({ pattern: '^https?://' }),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
});
type EchoConfig = Static<typeof EchoConfig>;

describe('SinkRegistry', () => {
  let dataDir: string;
  let deps: SinkDeps;
  let peer: MemoryPeer;
  let echo: SinkType<EchoConfig>;
  let seen: EchoConfig[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-registry-'));
    deps = { logger: silentLogger(), clock: systemClock, dataDir };
    peer = new MemoryPeer();
    seen = [];
    echo = {
      type: 'echo',
      description: 'test sink',
      configSchema: EchoConfig,
      createTransport: (config) => {
        seen.push(config);
        return peer.transport();
      },
    };
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names every bad value by its path, with the type schema and the common fields', () => {
    const reg = new SinkRegistry().register(echo);
    const issues = reg.check([
      { id: 'a', type: 'echo', url: 'http://x' },
      { id: 'b', type: 'echo', url: 'ftp://x', batch: { maxRows: 0 }, extra: 1 },
      { id: 'a', type: 'echo', url: 'http://y' },
      { id: 'c', type: 'kafka' },
      { type: 'echo', url: 'http://z' },
    ]);
    const paths = issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      'sinks.1.batch.maxRows',
      'sinks.1.extra',
      'sinks.1.url',
      'sinks.2.id',
      'sinks.3.type',
      'sinks.4.id',
    ]);
    expect(issues.find((i) => i.path === 'sinks.3.type')?.expected).toContain('echo');
  });

  it('creates sinks with defaults filled, finds them by id, and closes them', async () => {
    const metrics = createMetricsRegistry();
    const reg = new SinkRegistry({ metrics }).register(echo);
    await reg.create([{ id: 'hook', type: 'echo', url: 'http://x', batch: { maxDelayMs: 0 } }], deps);
    expect(seen[0]).toMatchObject({
      id: 'hook',
      type: 'echo',
      url: 'http://x',
      batch: { maxRows: 500, maxDelayMs: 0 },
      queue: { memoryRows: 10_000, diskMaxBytes: 256 * 1024 * 1024 },
      retry: { initialMs: 500, maxMs: 30_000 },
    });
    const sink = reg.get('hook');
    expect(reg.get('nope')).toBeUndefined();
    await sink!.write([{ point: 'p', seq: 0 }]);
    await sink!.flush();
    expect(await peer.received()).toEqual([{ point: 'p', seq: 0 }]);
    expect(reg.metrics()['hook']).toMatchObject({ matched: 1, success: 1 });
    expect(reg.health()['hook']).toMatchObject({ state: 'up' });
    const text = await metrics.metrics();
    expect(text).toContain('watershed_sink_rows_total{sink="hook",type="echo",outcome="success"} 1');
    expect(text).toContain('watershed_sink_queued_rows{sink="hook",type="echo",tier="disk"} 0');
    expect(reg.types()).toEqual([expect.objectContaining({ type: 'echo', description: 'test sink' })]);
    await reg.close();
    expect(reg.get('hook')).toBeUndefined();
    await expect(sink!.write([{ point: 'p' }])).rejects.toMatchObject({ code: 'WS_ERR_SINK_CLOSED' });
  });

  it('throws WS_ERR_CONFIG_INVALID listing every issue, creating nothing', async () => {
    const reg = new SinkRegistry().register(echo);
    await expect(reg.create([{ id: 'x', type: 'echo' }], deps)).rejects.toMatchObject({
      code: 'WS_ERR_CONFIG_INVALID',
      message: expect.stringContaining('sinks.0.url') as string,
    });
    expect(reg.list()).toEqual([]);
  });

  it('refuses a type registered twice', () => {
    const reg = new SinkRegistry().register(echo);
    expect(() => reg.register(echo)).toThrow(/registered twice/);
  });
});
