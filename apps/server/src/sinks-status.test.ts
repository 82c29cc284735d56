import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { SinkRegistry, type SinkType } from '@watershed/sink-core';
import { MemoryPeer } from '@watershed/sink-core/testing';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { sinksStatus } from './sinks-status.js';

describe('sinks status', () => {
  const dirs: string[] = [];
  const registries: SinkRegistry[] = [];

  afterEach(async () => {
    for (const r of registries.splice(0)) await r.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('shows each configured sink’s health and row metrics from sink-core, down with its last error when the peer is', async () => {
    const peers = new Map([
      ['a-hook', new MemoryPeer()],
      ['b-hist', new MemoryPeer()],
    ]);
    const memory: SinkType<{ peer: string }> = {
      type: 'memory',
      description: 'in-process peer',
      configSchema: Type.Object({ peer: Type.String() }),
      createTransport: (c) => peers.get(c.peer)!.transport(),
    };
    const registry = new SinkRegistry().register(memory);
    registries.push(registry);
    const dir = mkdtempSync(join(tmpdir(), 'ws-sinks-status-'));
    dirs.push(dir);
    await registry.create(
      [
        {
          id: 'b-hist',
          type: 'memory',
          peer: 'b-hist',
          batch: { maxRows: 1, maxDelayMs: 1 },
          retry: { initialMs: 10 },
          closeTimeoutMs: 50,
        },
        { id: 'a-hook', type: 'memory', peer: 'a-hook', batch: { maxRows: 1, maxDelayMs: 1 } },
      ],
      { clock: systemClock, logger: silentLogger(), dataDir: dir },
    );
    const status = sinksStatus(registry);

    await registry.get('a-hook')!.write([{ x: 1 }, { x: 2 }]);
    await registry.get('a-hook')!.flush();
    await peers.get('b-hist')!.stop();
    await registry.get('b-hist')!.write([{ x: 3 }]);
    const down = await waitFor(() => {
      const s = status.get('b-hist');
      return s && s.health.failures > 0 ? s : undefined;
    });

    expect(status.list().map((s) => s.id)).toEqual(['a-hook', 'b-hist']);
    expect(status.get('a-hook')).toMatchObject({
      type: 'memory',
      health: { state: 'up', alarm: false, failures: 0 },
      metrics: { matched: 2, success: 2, failed: 0, dropped: 0, queued: 0, inflight: 0 },
    });
    expect(down.health.state).not.toBe('up');
    expect(down.health.lastError).toBeTruthy();
    const m = down.metrics;
    expect(m.matched).toBe(1);
    expect(m.success + m.failed + m.dropped + m.queued + m.inflight).toBe(m.matched);
    expect(status.get('nope')).toBeUndefined();
  });
});
