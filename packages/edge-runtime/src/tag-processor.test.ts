import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Driver, DriverHealth, Readable, TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { GroupPoller } from './group-poller.js';
import type { TagConfig } from './config.js';
import { TagProcessor, scale } from './tag-processor.js';

const tags: TagConfig[] = [
  { name: 'flow', address: '1!300001', dataType: 'float', scale: 0.1, offset: 2 },
  { name: 'level', address: '1!300003', dataType: 'float', deadband: 0.5 },
  { name: 'run', address: '1!000001', dataType: 'bool' },
];

describe('TagProcessor', () => {
  it('scales numbers and passes other types through', () => {
    const p = new TagProcessor(tags);
    const out = p.process(
      [
        { ts: 1, value: 100, quality: 'good' },
        { ts: 1, value: 3, quality: 'good' },
        { ts: 1, value: true, quality: 'good' },
      ],
      1,
    );
    expect(out).toEqual({ values: { flow: 12, level: 3, run: true } });
  });

  it('gives decimal scales exact decimal results (register 314 at 0.1 is 31.4)', () => {
    expect(scale({ scale: 0.1 }, 314)).toBe(31.4);
    expect(scale({ scale: 0.01, offset: -5 }, 12345)).toBe(118.45);
    expect(scale({ scale: 2.5 }, 4)).toBe(10);
    expect(scale({ scale: 0.1 }, 'x')).toBe('x');
  });

  it('leaves out values inside the deadband and reports the first one past it', () => {
    const p = new TagProcessor(tags);
    const poll = (level: number) =>
      p.process(
        [
          { ts: 1, value: 0, quality: 'good' },
          { ts: 1, value: level, quality: 'good' },
          { ts: 1, value: false, quality: 'good' },
        ],
        1,
      ).values;
    expect(poll(3)).toHaveProperty('level', 3);
    expect(poll(3.4)).not.toHaveProperty('level');
    expect(poll(2.6)).not.toHaveProperty('level');
    expect(poll(3.5)).toHaveProperty('level', 3.5);
  });

  it('always reports bad samples with their error code, and re-reports after recovery', () => {
    const p = new TagProcessor(tags);
    const good = { ts: 1, value: 3, quality: 'good' as const };
    p.process([good, good, { ts: 1, value: true, quality: 'good' }], 1);
    const bad = { ts: 1, value: null, quality: 'bad' as const, reason: 'WS_ERR_MODBUS_TIMEOUT' };
    expect(p.process([bad, bad, bad], 1)).toEqual({
      values: { flow: null, level: null, run: null },
      quality: { flow: 'bad', level: 'bad', run: 'bad' },
      errors: { flow: 'WS_ERR_MODBUS_TIMEOUT', level: 'WS_ERR_MODBUS_TIMEOUT', run: 'WS_ERR_MODBUS_TIMEOUT' },
    });
    // Same level as before the fault: reported again, since the cloud last saw null.
    expect(p.process([good, good, { ts: 1, value: true, quality: 'good' }], 1).values).toHaveProperty(
      'level',
      3,
    );
  });

  it('marks uncertain samples', () => {
    const p = new TagProcessor(tags.slice(2));
    expect(p.process([{ ts: 1, value: true, quality: 'uncertain', reason: 'stale' }], 1)).toEqual({
      values: { run: true },
      quality: { run: 'uncertain' },
      errors: { run: 'stale' },
    });
  });
});

describe('maximum-silence heartbeat', () => {
  const level: TagConfig = { name: 'level', address: 'a', dataType: 'float', deadband: 0.5, maxSilenceS: 60 };
  const good = (value: number) => ({ ts: 0, value, quality: 'good' as const });

  it('reports a value held by the deadband once maxSilenceS passed since its last report', () => {
    const p = new TagProcessor([level]);
    expect(p.process([good(3)], 0).values).toEqual({ level: 3 });
    expect(p.process([good(3.1)], 30_000).values).toEqual({});
    expect(p.process([good(3.1)], 59_999).values).toEqual({});
    // 60 s after the last report: reported although inside the deadband
    expect(p.process([good(3.1)], 60_000).values).toEqual({ level: 3.1 });
    // the heartbeat is a report: silence and deadband are measured from it
    expect(p.process([good(3.5)], 70_000).values).toEqual({});
    expect(p.process([good(3.6)], 80_000).values).toEqual({ level: 3.6 });
    expect(p.process([good(3.6)], 139_999).values).toEqual({});
    expect(p.process([good(3.6)], 140_000).values).toEqual({ level: 3.6 });
  });

  it("takes the group's maxSilenceS when the tag has none, and the tag's over the group's", () => {
    const p = new TagProcessor(
      [
        { ...level, maxSilenceS: undefined },
        { ...level, name: 'own', maxSilenceS: 5 },
      ],
      {
        maxSilenceS: 10,
      },
    );
    const both = (v: number, ts: number) => p.process([good(v), good(v)], ts).values;
    expect(both(1, 0)).toEqual({ level: 1, own: 1 });
    expect(both(1, 5000)).toEqual({ own: 1 });
    expect(both(1, 10_000)).toEqual({ level: 1, own: 1 });
  });

  it('without maxSilenceS a steady value stays silent', () => {
    const p = new TagProcessor([{ ...level, maxSilenceS: undefined }]);
    p.process([good(1)], 0);
    expect(p.process([good(1)], 86_400_000).values).toEqual({});
  });
});

describe('heartbeat on the poll schedule', () => {
  it('a flat value polled every second on a fake clock is reported every maxSilenceS', async () => {
    const clock = new FakeClock(1_000_000);
    const device: Driver & Readable = {
      connect: () => Promise.resolve(),
      close: () => Promise.resolve(),
      health: (): DriverHealth => ({
        state: 'connected',
        since: 0,
        stats: { requests: 0, failures: 0, timeouts: 0, reconnects: 0 },
      }),
      read: (tags: readonly TagRef[]): Promise<Sample[]> =>
        Promise.resolve(tags.map(() => ({ ts: clock.now(), value: 7, quality: 'good' as const }))),
    };
    const group = {
      name: 'g',
      intervalMs: 1000,
      maxSilenceS: 10,
      tags: [{ name: 'level', address: 'a', dataType: 'float' as const, deadband: 1 }],
    };
    const processor = new TagProcessor(group.tags, group);
    const reportedAt: number[] = [];
    const poller = new GroupPoller({
      group,
      driver: device,
      clock,
      logger: silentLogger(),
      onPoll: (r) => {
        if ('level' in processor.process(r.samples, r.ts).values) reportedAt.push(r.ts - 1_000_000);
      },
    });
    poller.start();
    await clock.advance(35_500);
    await poller.stop();
    expect(reportedAt).toEqual([0, 10_000, 20_000, 30_000]);
  });
});
