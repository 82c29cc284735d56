import { describe, expect, it } from 'vitest';
import type { TagConfig } from './config.js';
import { TagProcessor } from './tag-processor.js';

const tags: TagConfig[] = [
  { name: 'flow', address: '1!300001', dataType: 'float', scale: 0.1, offset: 2 },
  { name: 'level', address: '1!300003', dataType: 'float', deadband: 0.5 },
  { name: 'run', address: '1!000001', dataType: 'bool' },
];

describe('TagProcessor', () => {
  it('scales numbers and passes other types through', () => {
    const p = new TagProcessor(tags);
    const out = p.process([
      { ts: 1, value: 100, quality: 'good' },
      { ts: 1, value: 3, quality: 'good' },
      { ts: 1, value: true, quality: 'good' },
    ]);
    expect(out).toEqual({ values: { flow: 12, level: 3, run: true } });
  });

  it('leaves out values inside the deadband and reports the first one past it', () => {
    const p = new TagProcessor(tags);
    const poll = (level: number) =>
      p.process([
        { ts: 1, value: 0, quality: 'good' },
        { ts: 1, value: level, quality: 'good' },
        { ts: 1, value: false, quality: 'good' },
      ]).values;
    expect(poll(3)).toHaveProperty('level', 3);
    expect(poll(3.4)).not.toHaveProperty('level');
    expect(poll(2.6)).not.toHaveProperty('level');
    expect(poll(3.5)).toHaveProperty('level', 3.5);
  });

  it('always reports bad samples with their error code, and re-reports after recovery', () => {
    const p = new TagProcessor(tags);
    const good = { ts: 1, value: 3, quality: 'good' as const };
    p.process([good, good, { ts: 1, value: true, quality: 'good' }]);
    const bad = { ts: 1, value: null, quality: 'bad' as const, reason: 'WS_ERR_MODBUS_TIMEOUT' };
    expect(p.process([bad, bad, bad])).toEqual({
      values: { flow: null, level: null, run: null },
      quality: { flow: 'bad', level: 'bad', run: 'bad' },
      errors: { flow: 'WS_ERR_MODBUS_TIMEOUT', level: 'WS_ERR_MODBUS_TIMEOUT', run: 'WS_ERR_MODBUS_TIMEOUT' },
    });
    // Same level as before the fault: reported again, since the cloud last saw null.
    expect(p.process([good, good, { ts: 1, value: true, quality: 'good' }]).values).toHaveProperty(
      'level',
      3,
    );
  });

  it('marks uncertain samples', () => {
    const p = new TagProcessor(tags.slice(2));
    expect(p.process([{ ts: 1, value: true, quality: 'uncertain', reason: 'stale' }])).toEqual({
      values: { run: true },
      quality: { run: 'uncertain' },
      errors: { run: 'stale' },
    });
  });
});
