import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Driver, DriverHealth, Readable, TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { GroupPoller, type PollResult } from './group-poller.js';

/** A scripted in-memory device: each read waits `delayMs` on the fake clock, then answers. */
class ScriptedDevice implements Driver, Readable {
  delayMs = 0;
  fail = false;
  value = 1;
  reads = 0;
  constructor(private clock: FakeClock) {}
  connect(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  health(): DriverHealth {
    return { state: 'connected', since: 0, stats: { requests: 0, failures: 0, timeouts: 0, reconnects: 0 } };
  }
  read(tags: readonly TagRef[]): Promise<Sample[]> {
    this.reads++;
    return new Promise((resolve, reject) => {
      const answer = () =>
        this.fail
          ? reject(Object.assign(new Error('boom'), { code: 'WS_ERR_TEST' }))
          : resolve(tags.map(() => ({ ts: this.clock.now(), value: this.value, quality: 'good' as const })));
      if (this.delayMs === 0) answer();
      else this.clock.setTimeout(answer, this.delayMs);
    });
  }
}

function setup(intervalMs = 1000) {
  const clock = new FakeClock(0);
  const device = new ScriptedDevice(clock);
  const polls: PollResult[] = [];
  const poller = new GroupPoller({
    group: { name: 'g', intervalMs, tags: [{ name: 't', address: '1!400001', dataType: 'uint16' }] },
    driver: device,
    clock,
    logger: silentLogger(),
    onPoll: (r) => polls.push(r),
  });
  return { clock, device, polls, poller };
}

describe('GroupPoller', () => {
  it('polls on a drift-free schedule stamped with the tick time', async () => {
    const { clock, device, polls, poller } = setup();
    device.delayMs = 30;
    poller.start();
    await clock.advance(3500);
    expect(polls.map((p) => p.ts)).toEqual([0, 1000, 2000, 3000]);
    expect(poller.stats.lastPollMs).toBe(30);
    await poller.stop();
  });

  it('skips ticks while a slow read is in flight and counts overruns', async () => {
    const { clock, device, polls, poller } = setup();
    device.delayMs = 2500;
    poller.start();
    await clock.advance(5100);
    expect(polls.map((p) => p.ts)).toEqual([0]);
    await clock.advance(500);
    expect(polls.map((p) => p.ts)).toEqual([0, 3000]);
    expect(poller.stats.overruns).toBe(4);
    await poller.stop();
  });

  it('turns a thrown read into bad samples and keeps polling', async () => {
    const { clock, device, polls, poller } = setup();
    device.fail = true;
    poller.start();
    await clock.advance(1500);
    device.fail = false;
    await clock.advance(1000);
    expect(polls.map((p) => p.samples[0]?.quality)).toEqual(['bad', 'bad', 'good']);
    expect(polls[0]?.samples[0]?.reason).toBe('WS_ERR_TEST');
    expect(poller.stats).toMatchObject({ polls: 3, errors: 2, latenessP50Ms: 0, latenessP99Ms: 0 });
    await poller.stop();
  });

  it('stops scheduling after stop()', async () => {
    const { clock, device, poller } = setup();
    poller.start();
    await clock.advance(100);
    await poller.stop();
    const reads = device.reads;
    await clock.advance(10_000);
    expect(device.reads).toBe(reads);
    expect(clock.pending).toBe(0);
  });
});
