import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { FleetLiveState } from './live-state.js';
import { checkWrite, findTag, tagsOfConfig } from './tag-limits.js';
import { Waiters } from './waiters.js';

const msg = (o: object) => Buffer.from(JSON.stringify(o));
const birth = { v: 1, node: 'gw1', online: true, ts: 1000, configVersion: '3', groups: [] };

describe('FleetLiveState', () => {
  it('goes online with a birth, offline with the will, and stale when silent', () => {
    const s = new FleetLiveState();
    s.observe('ws/v1/p/gw1/mgmt/status', msg(birth), 1000);
    expect(s.status('p', 'gw1', 2000, 5000)).toMatchObject({ online: true, stale: false, configVersion: 3 });
    expect(s.status('p', 'gw1', 7000, 5000).stale).toBe(true);
    s.observe('ws/v1/p/gw1/g/data', Buffer.from('{}'), 6500);
    expect(s.status('p', 'gw1', 7000, 5000)).toMatchObject({ stale: false, lastSeen: 6500 });
    s.observe('ws/v1/p/gw1/mgmt/status', msg({ v: 1, node: 'gw1', online: false, ts: 8000 }), 8000);
    expect(s.status('p', 'gw1', 8000, 5000)).toMatchObject({ online: false, stale: false });
    expect(s.status('p', 'unknown', 8000, 5000)).toEqual({ online: false, stale: false });
  });

  it('ignores payloads that name another node than their topic, or break their schema', () => {
    const s = new FleetLiveState();
    s.observe('ws/v1/p/gw1/mgmt/status', msg({ ...birth, node: 'gw2' }), 1000);
    s.observe('ws/v1/p/gw1/mgmt/ack', msg({ v: 1, node: 'gw1', version: 'x' }), 1000);
    s.observe('ws/v1/p/gw1/mgmt/log', Buffer.from('not json'), 1000);
    expect(s.invalid).toBe(3);
    expect(s.status('p', 'gw1', 1000, 5000).online).toBe(false);
    const ack = { v: 1, node: 'gw1', ts: 1, version: 4, result: 'applied', running: 4 };
    expect(s.observe('ws/v1/p/gw1/mgmt/ack', msg(ack), 1000)).toMatchObject({ kind: 'ack', node: 'gw1' });
    expect(s.status('p', 'gw1', 1000, 5000).configVersion).toBe(4);
  });
});

describe('Waiters', () => {
  it('hands the answer to every waiter, or undefined at the deadline', async () => {
    const clock = new FakeClock(0);
    const w = new Waiters<string>(clock);
    const a = w.wait('k', 100);
    const b = w.wait('k', 100);
    const late = w.wait('other', 100);
    expect(w.settle('k', 'yes')).toBe(true);
    expect(await Promise.all([a, b])).toEqual(['yes', 'yes']);
    await clock.advance(100);
    expect(await late).toBeUndefined();
    expect(w.settle('other', 'too late')).toBe(false);
  });
});

describe('write checks', () => {
  const tags = tagsOfConfig({
    devices: [
      {
        groups: [
          { name: 'a', tags: [{ name: 'sp', dataType: 'float', writable: true, min: 0, max: 10 }] },
          { name: 'b', tags: [{ name: 'sp', dataType: 'bool', writable: true }, { name: 'x' }] },
        ],
      },
    ],
  });

  it('finds group.tag, refuses an ambiguous bare name, and checks type and limits', () => {
    expect(tags.map((t) => `${t.group}.${t.name}`)).toEqual(['a.sp', 'b.sp']); // 'x' has no type
    expect(() => findTag(tags, 'sp', 'gw1')).toThrow(/several groups/);
    const a = findTag(tags, 'a.sp', 'gw1');
    expect(() => checkWrite(a, 10)).not.toThrow();
    expect(() => checkWrite(a, 10.01)).toThrow(/outside the limits/);
    expect(() => checkWrite(a, Number.NaN)).toThrow(/takes a float/);
    expect(() => checkWrite(findTag(tags, 'b.sp', 'gw1'), 1)).toThrow(/takes a bool/);
  });
});
