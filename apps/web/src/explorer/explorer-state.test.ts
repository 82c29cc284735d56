import { describe, expect, it } from 'vitest';
import { MAX_COMPARE, parseViewState } from '../app/view-state.js';
import {
  autoResolution,
  clearExplorerState,
  DEFAULT_STATE,
  formatExplorerState,
  fromLocalInput,
  isExplorerHash,
  parseExplorerState,
  resolveWindow,
  togglePoint,
  toLocalInput,
  type ExplorerState,
} from './explorer-state.js';

describe('explorer state in the URL fragment', () => {
  const a = 'north.plc1.pumps.p1_flow';
  const b = 'north.rtu2.network.discharge_p';

  it('round-trips points, a preset range, resolution, view and hidden series', () => {
    const s: ExplorerState = {
      points: [a, b],
      range: { kind: 'preset', key: '7d' },
      resolution: '15m',
      view: 'table',
      hidden: [b],
    };
    const hash = formatExplorerState(s, '');
    expect(hash).toBe(`#page=explorer&xp=${a},${b}&xr=7d&xres=15m&xview=table&xhide=${b}`);
    expect(isExplorerHash(hash)).toBe(true);
    expect(parseExplorerState(hash)).toEqual(s);
  });

  it('round-trips a custom range as epoch milliseconds', () => {
    const s: ExplorerState = {
      ...DEFAULT_STATE,
      points: [a],
      range: { kind: 'custom', from: 1000, to: 5000 },
    };
    const hash = formatExplorerState(s, '');
    expect(hash).toBe(`#page=explorer&xp=${a}&xfrom=1000&xto=5000`);
    expect(parseExplorerState(hash)).toEqual(s);
  });

  it('keeps the plant view’s keys, and leaves them alone when it closes', () => {
    const plant = `#site=north&points=${a}&range=6h`;
    const hash = formatExplorerState({ ...DEFAULT_STATE, points: [b] }, plant);
    expect(parseViewState(hash)).toEqual(parseViewState(plant));
    expect(parseExplorerState(hash).points).toEqual([b]);
    expect(clearExplorerState(hash)).toBe(plant);
    expect(isExplorerHash(plant)).toBe(false);
  });

  it('falls back to defaults on junk instead of failing', () => {
    const s = parseExplorerState('#xp=,,x,x&xr=9y&xres=2m&xview=pie&xfrom=10&xto=5&xhide=y,x');
    expect(s).toEqual({ ...DEFAULT_STATE, points: ['x'], hidden: ['x'] });
    expect(parseExplorerState('#xfrom=abc&xto=1e9').range).toEqual({ kind: 'preset', key: '24h' });
  });

  it('caps the selection at what one chart can compare', () => {
    const many = Array.from({ length: MAX_COMPARE + 3 }, (_, i) => `s.n.g.t${i}`);
    expect(parseExplorerState(`#xp=${many.join(',')}`).points).toHaveLength(MAX_COMPARE);
    let s = DEFAULT_STATE;
    for (const id of many) s = togglePoint(s, id);
    expect(s.points).toEqual(many.slice(-MAX_COMPARE));
  });

  it('toggling a point off also forgets that it was hidden', () => {
    const s = togglePoint({ ...DEFAULT_STATE, points: [a, b], hidden: [b] }, b);
    expect(s).toEqual({ ...DEFAULT_STATE, points: [a], hidden: [] });
  });
});

describe('windows and resolutions', () => {
  it('a preset ends now; a custom range stays where it was put', () => {
    expect(resolveWindow({ kind: 'preset', key: '24h' }, 100_000_000)).toEqual({
      from: 100_000_000 - 86_400_000,
      to: 100_000_000,
    });
    expect(resolveWindow({ kind: 'custom', from: 1, to: 2 }, 100_000_000)).toEqual({ from: 1, to: 2 });
  });

  it('picks raw for short ranges and coarser buckets as the range grows', () => {
    const h = 3_600_000;
    expect(autoResolution(h)).toBe('raw');
    expect(autoResolution(24 * h)).toBe('1m');
    expect(autoResolution(7 * 24 * h)).toBe('15m');
    expect(autoResolution(30 * 24 * h)).toBe('1h');
    expect(autoResolution(365 * 24 * h)).toBe('1d');
  });
});

describe('custom range inputs', () => {
  it('round-trips local minutes and refuses junk', () => {
    const ms = new Date(2026, 10, 27, 20, 15).getTime();
    expect(toLocalInput(ms)).toBe('2026-11-27T20:15');
    expect(fromLocalInput('2026-11-27T20:15')).toBe(ms);
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('27/11/2026')).toBeUndefined();
  });
});
