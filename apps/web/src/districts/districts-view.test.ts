import { describe, expect, it } from 'vitest';
import { formatDistrictsView, parseDistrictsView } from './districts-view.js';

describe('districts view in the URL', () => {
  it('round-trips a view and keeps the keys of other pages', () => {
    const hash = formatDistrictsView({ district: 'north', tab: 'meters', days: 7 }, '#site=plant1');
    expect(hash).toBe('#site=plant1&dd=north&dtab=meters&ddays=7');
    expect(parseDistrictsView(hash)).toEqual({ district: 'north', tab: 'meters', days: 7 });
  });

  it('falls back to defaults on missing or broken keys, and leaves defaults out of the link', () => {
    expect(parseDistrictsView('#dtab=nope&ddays=12')).toEqual({
      district: undefined,
      tab: 'balance',
      days: 30,
    });
    expect(formatDistrictsView({ district: undefined, tab: 'balance', days: 30 }, '#dd=x')).toBe('');
  });
});
