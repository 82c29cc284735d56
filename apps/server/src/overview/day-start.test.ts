import { describe, expect, it } from 'vitest';
import { isTimeZone, startOfLocalDay } from './day-start.js';

describe('startOfLocalDay', () => {
  it('is midnight UTC in UTC', () => {
    expect(startOfLocalDay(Date.parse('2026-11-28T06:05:07.250Z'), 'UTC')).toBe(
      Date.parse('2026-11-28T00:00:00Z'),
    );
  });

  it("is the previous UTC day's 16:00 in Shanghai (UTC+8)", () => {
    expect(startOfLocalDay(Date.parse('2026-11-28T06:05:00Z'), 'Asia/Shanghai')).toBe(
      Date.parse('2026-11-27T16:00:00Z'),
    );
    // 23:30 UTC is already the next day in Shanghai.
    expect(startOfLocalDay(Date.parse('2026-11-28T23:30:00Z'), 'Asia/Shanghai')).toBe(
      Date.parse('2026-11-28T16:00:00Z'),
    );
  });

  it('finds the real midnight on a day daylight saving time starts or ends', () => {
    // Europe/Berlin: summer time starts 2026-03-29 02:00 local (midnight is still UTC+1).
    expect(startOfLocalDay(Date.parse('2026-03-29T20:00:00Z'), 'Europe/Berlin')).toBe(
      Date.parse('2026-03-28T23:00:00Z'),
    );
    // …and ends 2026-10-25 03:00 local (midnight is still UTC+2).
    expect(startOfLocalDay(Date.parse('2026-10-25T20:00:00Z'), 'Europe/Berlin')).toBe(
      Date.parse('2026-10-24T22:00:00Z'),
    );
  });

  it('knows a zone from a typo', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Shanghaj')).toBe(false);
  });
});
