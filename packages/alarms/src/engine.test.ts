import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import type { Sample } from '@watershed/model';
import { AlarmEngine } from './engine.js';
import type { AlarmRule } from './rule.js';
import { isaState, type AlarmEvent } from './state.js';

const P = 'north.plc1.quality.turbidity';

function rule(extra: Partial<AlarmRule> = {}): AlarmRule {
  return {
    id: 'turb-high',
    project: 'city',
    name: 'Turbidity high',
    point: P,
    severity: 'critical',
    enabled: true,
    condition: { kind: 'high', limit: 1, deadband: 0.2 },
    ...extra,
  };
}

function setup(rules: AlarmRule[] = [rule()]) {
  const clock = new FakeClock();
  const engine = new AlarmEngine({ clock });
  const events: AlarmEvent[] = [];
  engine.subscribe((e) => events.push(e));
  for (const r of rules) engine.upsertRule(r);
  const feed = (value: number | null, quality: Sample['quality'] = 'good', point = P) =>
    engine.ingest(point, { ts: clock.now(), value, quality });
  const kinds = () => events.map((e) => `${e.kind}:${e.state}`);
  return { clock, engine, events, feed, kinds };
}

describe('limits with hysteresis', () => {
  it('raises above the limit and clears only below limit − deadband', () => {
    const { engine, feed, kinds } = setup();
    feed(0.9);
    feed(1.05);
    expect(engine.get('turb-high')).toMatchObject({ active: true, acknowledged: false, value: 1.05 });
    feed(0.95); // inside the deadband: still active
    feed(0.85);
    expect(engine.get('turb-high')?.active).toBe(true);
    feed(0.79);
    expect(engine.get('turb-high')).toMatchObject({ active: false, acknowledged: false, value: 0.79 });
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('a low limit clears above limit + deadband', () => {
    const { engine, feed, kinds } = setup([
      rule({ id: 'cl-low', condition: { kind: 'low', limit: 0.3, deadband: 0.05 } }),
    ]);
    feed(0.29);
    feed(0.33);
    expect(engine.get('cl-low')?.active).toBe(true);
    feed(0.36);
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('suppresses chatter: a noisy value bouncing across the limit raises once and clears once', () => {
    const { feed, kinds } = setup();
    for (const v of [0.98, 1.02, 0.99, 1.01, 0.97, 1.03, 0.9, 1.01, 0.85]) feed(v);
    feed(0.5);
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('ignores bad-quality and non-numeric samples for a limit', () => {
    const { engine, feed, kinds } = setup();
    feed(5, 'bad');
    feed(null);
    expect(kinds()).toEqual([]);
    feed(5, 'uncertain');
    expect(engine.get('turb-high')?.active).toBe(true);
  });
});

describe('on and off delays', () => {
  it('activates only when the condition holds through the whole on-delay', async () => {
    const { clock, engine, feed, kinds } = setup([rule({ onDelayMs: 30_000, offDelayMs: 60_000 })]);
    feed(1.5);
    await clock.advance(20_000);
    feed(0.5); // dropped back before the delay ran out: no alarm
    await clock.advance(60_000);
    expect(kinds()).toEqual([]);
    feed(1.5);
    await clock.advance(29_999);
    expect(engine.get('turb-high')?.active).toBe(false);
    feed(1.6);
    await clock.advance(1);
    expect(engine.get('turb-high')).toMatchObject({ active: true, value: 1.6, raisedAt: clock.now() });
  });

  it('clears only after the off-delay, and a relapse inside it keeps the alarm active', async () => {
    const { clock, engine, feed, kinds } = setup([rule({ offDelayMs: 60_000 })]);
    feed(1.5);
    feed(0.5);
    await clock.advance(30_000);
    feed(1.2); // relapse: the pending clear is void
    await clock.advance(60_000);
    expect(engine.get('turb-high')?.active).toBe(true);
    feed(0.5);
    await clock.advance(60_000);
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('close cancels pending timers', () => {
    const { clock, engine, feed } = setup([rule({ onDelayMs: 10_000 })]);
    feed(2);
    expect(clock.pending).toBe(1);
    engine.close();
    expect(clock.pending).toBe(0);
  });
});

describe('rate of change, stuck, no data, bad quality', () => {
  it('rate of change over a window, in sample time, with its own hysteresis', async () => {
    const r = rule({ id: 'rate', condition: { kind: 'rate', change: 0.5, windowMs: 60_000, deadband: 0.1 } });
    const { clock, engine, feed, kinds } = setup([r]);
    feed(1.0);
    await clock.advance(30_000);
    feed(1.3);
    expect(engine.get('rate')?.active).toBe(false);
    await clock.advance(30_000);
    feed(1.6); // +0.6 within 60 s
    expect(engine.get('rate')?.active).toBe(true);
    await clock.advance(30_000);
    feed(1.75); // window now holds 1.3 → 1.75: 0.45 ≥ 0.4, still active
    expect(engine.get('rate')?.active).toBe(true);
    await clock.advance(30_000);
    feed(1.8); // 1.6 → 1.8
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('a falling-only rate rule ignores rises', () => {
    const { engine, feed } = setup([
      rule({ id: 'fall', condition: { kind: 'rate', change: 1, windowMs: 10_000, direction: 'fall' } }),
    ]);
    feed(1);
    feed(5);
    expect(engine.get('fall')?.active).toBe(false);
  });

  it('stuck: unchanged for N samples, cleared by the first change', () => {
    const { engine, feed, kinds } = setup([
      rule({ id: 'stuck', condition: { kind: 'stuck', samples: 4, tolerance: 0.001 } }),
    ]);
    for (const v of [2, 2, 2.0005]) feed(v);
    expect(engine.get('stuck')?.active).toBe(false);
    feed(2);
    expect(engine.get('stuck')?.active).toBe(true);
    feed(2.1);
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('stuck: unchanged for a duration', async () => {
    const { clock, engine, feed } = setup([
      rule({ id: 'stuck', condition: { kind: 'stuck', durationMs: 600_000 } }),
    ]);
    feed(3);
    await clock.advance(599_999);
    feed(3);
    expect(engine.get('stuck')?.active).toBe(false);
    await clock.advance(1);
    feed(3);
    expect(engine.get('stuck')?.active).toBe(true);
  });

  it('no data for N intervals raises on the clock and the next sample clears', async () => {
    const { clock, engine, feed, kinds } = setup([
      rule({ id: 'silent', condition: { kind: 'noData', intervalMs: 10_000, intervals: 3 } }),
    ]);
    await clock.advance(20_000);
    feed(1); // re-arms the watchdog
    await clock.advance(29_999);
    expect(engine.get('silent')?.active).toBe(false);
    await clock.advance(1);
    expect(engine.get('silent')).toMatchObject({ active: true, value: null });
    feed(1, 'bad'); // any sample is data
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared']);
  });

  it('bad quality raises and good quality clears; uncertain only when asked', () => {
    const { engine, feed } = setup([
      rule({ id: 'bad', condition: { kind: 'badQuality' } }),
      rule({ id: 'unc', condition: { kind: 'badQuality', includeUncertain: true } }),
    ]);
    feed(1, 'uncertain');
    expect([engine.get('bad')?.active, engine.get('unc')?.active]).toEqual([false, true]);
    feed(null, 'bad');
    expect(engine.get('bad')?.active).toBe(true);
    feed(1);
    expect([engine.get('bad')?.active, engine.get('unc')?.active]).toEqual([false, false]);
  });
});

describe('ISA-18.2 states: acknowledgement, shelving, out of service', () => {
  it('ack before clear: ack-active, then normal when it clears', () => {
    const { engine, feed, kinds } = setup();
    feed(2);
    expect(engine.ack('turb-high', 'olga', 'flushing filter 3')).toMatchObject({
      acknowledged: true,
      acknowledgedBy: 'olga',
      comments: [{ by: 'olga', text: 'flushing filter 3' }],
    });
    feed(0.5);
    expect(kinds()).toEqual(['raised:unack-active', 'acknowledged:ack-active', 'cleared:normal']);
    expect(engine.list()).toEqual([]);
    expect(engine.list({ includeNormal: true })).toHaveLength(1);
    expect(() => engine.ack('turb-high', 'olga')).toThrow(
      expect.objectContaining({ code: 'WS_ERR_ALARM_NOTHING_TO_ACK' }),
    );
  });

  it('ack after clear: the cleared alarm waits for the operator, then is normal', () => {
    const { engine, feed, kinds } = setup();
    feed(2);
    feed(0.5);
    expect(engine.list().map((s) => isaState(s))).toEqual(['unack-cleared']);
    engine.ack('turb-high', 'olga');
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared', 'acknowledged:normal']);
  });

  it('a relapse of a cleared unacknowledged alarm raises again; an acknowledged active one needs a new ack after relapse', () => {
    const { engine, feed, kinds } = setup();
    feed(2);
    feed(0.5);
    feed(2);
    expect(kinds()).toEqual(['raised:unack-active', 'cleared:unack-cleared', 'raised:unack-active']);
    expect(() => engine.ack('nope', 'x')).toThrow(expect.objectContaining({ code: 'WS_ERR_ALARM_UNKNOWN' }));
  });

  it('shelving suppresses announcements and expires by itself on the clock', async () => {
    const { clock, engine, feed, events } = setup();
    const until = clock.now() + 3_600_000;
    engine.shelve('turb-high', 'olga', until, 'analyser being calibrated');
    feed(2);
    expect(events.at(-1)).toMatchObject({ kind: 'raised', state: 'shelved', announce: false });
    expect(engine.list({ state: 'shelved' })).toHaveLength(1);
    await clock.advance(3_600_000);
    expect(events.at(-1)).toMatchObject({
      kind: 'unshelved',
      by: 'system:shelve-expired',
      state: 'unack-active',
      announce: true,
    });
    expect(engine.get('turb-high')?.shelved).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('refuses a shelving without a future expiry within the limit, and unshelving what is not shelved', () => {
    const { clock, engine } = setup();
    const err = { code: 'WS_ERR_ALARM_SHELVE_EXPIRY' };
    expect(() => engine.shelve('turb-high', 'o', clock.now(), 'x')).toThrow(expect.objectContaining(err));
    expect(() => engine.shelve('turb-high', 'o', clock.now() + 25 * 3_600_000)).toThrow(
      expect.objectContaining(err),
    );
    expect(() => engine.unshelve('turb-high', 'o')).toThrow(
      expect.objectContaining({ code: 'WS_ERR_ALARM_NOT_SHELVED' }),
    );
    engine.shelve('turb-high', 'o', clock.now() + 1000);
    expect(engine.unshelve('turb-high', 'o').shelved).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('out of service: cleared, not evaluated, and evaluated afresh when back', () => {
    const { engine, feed, kinds } = setup();
    feed(2);
    engine.setOutOfService('turb-high', 'eng', true, 'analyser replaced');
    feed(3);
    expect(engine.get('turb-high')).toMatchObject({ active: false, outOfService: { by: 'eng' } });
    engine.setOutOfService('turb-high', 'eng', false);
    feed(3);
    expect(kinds()).toEqual([
      'raised:unack-active',
      'removed-from-service:out-of-service',
      'returned-to-service:normal',
      'raised:unack-active',
    ]);
  });

  it('comments are kept on the state and reported', () => {
    const { engine, events } = setup();
    engine.comment('turb-high', 'olga', 'sampling by hand');
    expect(engine.get('turb-high')?.comments).toEqual([
      expect.objectContaining({ text: 'sampling by hand' }),
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'commented', announce: false });
  });

  it('restores states after a restart: still active and latched inside the deadband, shelving still timed', async () => {
    const first = setup();
    first.feed(2);
    first.engine.shelve('turb-high', 'olga', first.clock.now() + 60_000);
    const saved = first.engine.list({ includeNormal: true });
    first.engine.close();

    const clock = first.clock;
    const engine = new AlarmEngine({ clock, states: saved });
    const events: AlarmEvent[] = [];
    engine.subscribe((e) => events.push(e));
    engine.upsertRule(rule());
    expect(engine.get('turb-high')).toMatchObject({
      active: true,
      acknowledged: false,
      shelved: { by: 'olga' },
    });
    engine.ingest(P, { ts: clock.now(), value: 0.9, quality: 'good' }); // within deadband: stays active
    expect(engine.get('turb-high')?.active).toBe(true);
    await clock.advance(60_000);
    expect(events.map((e) => e.kind)).toEqual(['unshelved']);
    engine.close();
  });

  it('removing or disabling a rule removes its alarm; a listener that throws does not stop the others', () => {
    const { engine, feed, events } = setup();
    engine.subscribe(() => {
      throw new Error('boom');
    });
    feed(2);
    engine.upsertRule(rule({ enabled: false }));
    expect(engine.get('turb-high')).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['raised', 'deleted']);
    expect(() => engine.upsertRule({ ...rule(), condition: { kind: 'stuck' } })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_ALARM_RULE_INVALID' }),
    );
  });

  it('lists by severity, site and point, most severe first', () => {
    const { engine, feed } = setup([
      rule(),
      rule({
        id: 'ph',
        point: 'north.plc1.quality.ph',
        severity: 'major',
        condition: { kind: 'high', limit: 8.5 },
      }),
      rule({ id: 'south', point: 'south.plc1.quality.turbidity', severity: 'minor' }),
    ]);
    feed(2);
    feed(9, 'good', 'north.plc1.quality.ph');
    feed(2, 'good', 'south.plc1.quality.turbidity');
    expect(engine.list().map((s) => s.id)).toEqual(['turb-high', 'ph', 'south']);
    expect(engine.list({ site: 'north' }).map((s) => s.id)).toEqual(['turb-high', 'ph']);
    expect(engine.list({ severity: 'major' }).map((s) => s.id)).toEqual(['ph']);
    expect(engine.list({ point: 'south.plc1.quality.turbidity', project: 'city' }).map((s) => s.id)).toEqual([
      'south',
    ]);
    expect(engine.list({ project: 'other' })).toEqual([]);
  });
});
