import { describe, expect, it } from 'vitest';
import {
  applyChange,
  canAck,
  countBySeverity,
  durationText,
  limitText,
  siteOf,
  sortAlarms,
  stateText,
  type Alarm,
} from './alarm-logic.js';

const alarm = (over: Partial<Alarm>): Alarm => ({
  id: 'a',
  project: 'p',
  point: 'north.plc1.filters.turbidity',
  name: 'Turbidity high',
  severity: 'minor',
  message: 'Turbidity high: above 1',
  active: true,
  acknowledged: false,
  changedAt: 1000,
  comments: [],
  status: 'unack-active',
  ...over,
});

describe('sortAlarms', () => {
  it('puts the most severe first, then the newest', () => {
    const sorted = sortAlarms([
      alarm({ id: 'w', severity: 'warning', raisedAt: 5000 }),
      alarm({ id: 'c-old', severity: 'critical', raisedAt: 1000 }),
      alarm({ id: 'm', severity: 'major', raisedAt: 9000 }),
      alarm({ id: 'c-new', severity: 'critical', raisedAt: 2000 }),
    ]);
    expect(sorted.map((a) => a.id)).toEqual(['c-new', 'c-old', 'm', 'w']);
  });

  it('uses the last change when an alarm has no raise time', () => {
    const sorted = sortAlarms([alarm({ id: 'x', changedAt: 1 }), alarm({ id: 'y', changedAt: 2 })]);
    expect(sorted.map((a) => a.id)).toEqual(['y', 'x']);
  });
});

describe('counts and words', () => {
  it('counts every severity, zero included', () => {
    expect(countBySeverity([alarm({ severity: 'critical' }), alarm({ severity: 'critical' })])).toEqual({
      critical: 2,
      major: 0,
      minor: 0,
      warning: 0,
    });
  });

  it('says the state in words', () => {
    expect(stateText(alarm({}))).toBe('Active, not acknowledged');
    expect(stateText(alarm({ status: 'unack-cleared', active: false }))).toBe('Cleared, not acknowledged');
    expect(stateText(alarm({ status: 'shelved', active: true }))).toBe('Shelved (active)');
    expect(stateText(alarm({ status: 'out-of-service' }))).toBe('Out of service');
  });

  it('offers acknowledge only for something unacknowledged and in service', () => {
    expect(canAck(alarm({}))).toBe(true);
    expect(canAck(alarm({ acknowledged: true, status: 'ack-active' }))).toBe(false);
    expect(canAck(alarm({ status: 'out-of-service' }))).toBe(false);
  });

  it('names the site and the limit', () => {
    expect(siteOf('north.plc1.filters.turbidity')).toBe('north');
    expect(limitText({ kind: 'high', limit: 1 })).toBe('> 1');
    expect(limitText({ kind: 'low', limit: 0.2 })).toBe('< 0.2');
    expect(limitText({ kind: 'noData', intervalMs: 10_000, intervals: 6 })).toBe('no data 1 min');
    expect(limitText(undefined)).toBe('—');
    expect(durationText(8 * 3_600_000)).toBe('8 h');
  });
});

describe('applyChange', () => {
  it('replaces the alarm, and drops it once it is back to normal', () => {
    const list = [alarm({ id: 'a' }), alarm({ id: 'b' })];
    const acked = applyChange(list, alarm({ id: 'a', acknowledged: true, status: 'ack-active' }));
    expect(acked.find((a) => a.id === 'a')?.status).toBe('ack-active');
    expect(acked).toHaveLength(2);
    expect(applyChange(list, alarm({ id: 'a', status: 'normal' })).map((a) => a.id)).toEqual(['b']);
  });
});
