import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { ModbusErrors } from '../errors.js';
import { UnitGuard } from './unit-guard.js';

const timeout = () => ModbusErrors.TIMEOUT.create([1, 100]);
const exception = (code: number) =>
  ModbusErrors.EXCEPTION.create([1, '03', code, 'x'], { exceptionCode: code });
const policy = { retries: 0, failThreshold: 2, suspendMinMs: 1000, suspendMaxMs: 3000 };

describe('unit guard', () => {
  it('counts only "unit not answering" failures towards suspension', async () => {
    const clock = new FakeClock();
    const g = new UnitGuard(policy, clock);
    for (const err of [exception(2), exception(2), ModbusErrors.DISCONNECTED.create(['x', 'y'])]) {
      await expect(g.run(1, () => Promise.reject(err), true)).rejects.toBe(err);
    }
    expect(g.suspended(1)).toBe(false);
    await expect(g.run(1, () => Promise.reject(exception(0x0b)), true)).rejects.toThrow();
    await expect(g.run(1, () => Promise.reject(timeout()), true)).rejects.toThrow();
    expect(g.suspended(1)).toBe(true);
    expect(g.suspended(2)).toBe(false);
    await expect(g.run(1, () => Promise.resolve(1), true)).rejects.toMatchObject({
      code: 'WS_ERR_MODBUS_UNIT_SUSPENDED',
    });
  });

  it('doubles the suspension up to the cap and forgets after a success', async () => {
    const clock = new FakeClock();
    const g = new UnitGuard(policy, clock);
    const fail = () => g.run(1, () => Promise.reject(timeout()), false).catch(() => undefined);
    await fail();
    await fail();
    const periods: number[] = [];
    for (let i = 0; i < 3; i++) {
      let waited = 0;
      while (g.suspended(1)) {
        await clock.advance(100);
        waited += 100;
      }
      periods.push(waited);
      await fail();
    }
    expect(periods).toEqual([1000, 2000, 3000]);
    while (g.suspended(1)) await clock.advance(100);
    await expect(g.run(1, () => Promise.resolve('ok'), false)).resolves.toBe('ok');
    await fail();
    expect(g.suspended(1)).toBe(false);
  });

  it('retries timeouts only when asked (reads), not exceptions', async () => {
    const g = new UnitGuard({ ...policy, retries: 2 }, new FakeClock());
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(timeout()) : Promise.resolve('ok'));
    await expect(g.run(1, flaky, true)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(g.run(2, flaky, false)).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_TIMEOUT' });
    expect(calls).toBe(1);
    calls = 0;
    await expect(g.run(3, () => (calls++, Promise.reject(exception(2))), true)).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
