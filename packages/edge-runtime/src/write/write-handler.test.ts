import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Driver, DriverHealth, Readable, TagRef, Writable } from '@watershed/driver-sdk';
import type { Sample, SampleValue, WriteRequest } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import type { TagConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';
import type { PlantTag } from '../plant.js';
import { WriteHandler } from './write-handler.js';

/** A device whose writes complete only when the test says so (or never). */
class ManualDevice implements Driver, Readable, Writable {
  value: SampleValue = 0;
  writes = 0;
  #pending: (() => void)[] = [];
  connect = (): Promise<void> => Promise.resolve();
  close = (): Promise<void> => Promise.resolve();
  health = (): DriverHealth => ({
    state: 'connected',
    since: 0,
    stats: { requests: 0, failures: 0, timeouts: 0, reconnects: 0 },
  });
  read(tags: readonly TagRef[]): Promise<Sample[]> {
    return Promise.resolve(tags.map(() => ({ ts: 0, value: this.value, quality: 'good' as const })));
  }
  write(_tag: TagRef, value: SampleValue): Promise<void> {
    this.writes++;
    return new Promise((resolve) =>
      this.#pending.push(() => {
        this.value = value;
        resolve();
      }),
    );
  }
  finish(): void {
    for (const f of this.#pending.splice(0)) f();
  }
}

const tag: TagConfig = { name: 'sp', address: 'r1', dataType: 'float', writable: true };

function setup(cacheSize = 2) {
  const clock = new FakeClock(1000);
  const device = new ManualDevice();
  const target: PlantTag = {
    device: 'plc',
    driverId: 'manual',
    driver: device,
    group: { name: 'g', intervalMs: 1000, tags: [tag] },
    tag,
  };
  const handler = new WriteHandler({
    site: 's',
    node: 'n',
    clock,
    logger: silentLogger(),
    timeoutMs: 500,
    cacheSize,
    lookup: (g, t) => (g === 'g' && t === 'sp' ? target : undefined),
  });
  const req = (id: string, value = 1): WriteRequest => ({
    v: 1,
    id,
    point: 's.n.g.sp',
    value,
    deadline: 5000,
  });
  return { clock, device, handler, req };
}

describe('WriteHandler', () => {
  it('answers a write the device never completes with a timeout, on the injected clock', async () => {
    const { clock, handler, req } = setup();
    const result = handler.handle(req('a'));
    await clock.advance(499);
    let settled = false;
    void result.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await result).toMatchObject({ ok: false, code: EdgeErrors.WRITE_TIMEOUT.code });
    expect(handler.stats).toMatchObject({ requests: 1, failed: 1 });
  });

  it('joins a repeated id to the write in progress and writes once', async () => {
    const { device, handler, req } = setup();
    const first = handler.handle(req('a', 7));
    const second = handler.handle(req('a', 7));
    expect(second).toBe(first);
    device.finish();
    expect(await first).toMatchObject({ ok: true, readBack: 7 });
    expect(device.writes).toBe(1);
    expect(handler.stats.requests).toBe(1);
  });

  it('remembers a bounded number of ids: an evicted id is a new request', async () => {
    const { device, handler, req } = setup(2);
    for (const id of ['a', 'b', 'c']) {
      const r = handler.handle(req(id));
      device.finish();
      await r;
    }
    expect(device.writes).toBe(3);
    const again = handler.handle(req('a'));
    device.finish();
    await again;
    expect(device.writes).toBe(4); // 'a' had been evicted by 'c'
    const cached = handler.handle(req('c'));
    expect(device.writes).toBe(4);
    expect(await cached).toMatchObject({ ok: true });
  });

  it('refuses a request past its deadline by the injected clock', async () => {
    const { clock, device, handler, req } = setup();
    await clock.advance(4001);
    expect(await handler.handle(req('late'))).toMatchObject({
      ok: false,
      code: EdgeErrors.WRITE_EXPIRED.code,
    });
    expect(device.writes).toBe(0);
  });
});
