import { describe, expect, it } from 'vitest';
import type { SampleRow } from '@watershed/store';
import { LiveHub } from './live-hub.js';

const rows: SampleRow[] = [{ point: 'a', ts: 1, value: 1, quality: 'good' }];

describe('LiveHub', () => {
  it('delivers batches to every subscriber until it unsubscribes', () => {
    const hub = new LiveHub();
    const seen: string[] = [];
    const offA = hub.subscribe((r) => seen.push(`a${r.length}`));
    hub.subscribe(() => {
      throw new Error('broken listener');
    });
    hub.subscribe((r) => seen.push(`c${r.length}`));
    hub.publish(rows);
    offA();
    offA();
    hub.publish(rows);
    hub.publish([]);
    expect(seen).toEqual(['a1', 'c1', 'c1']);
    expect(hub.subscribers).toBe(2);
  });

  it('lets one function subscribe twice and leave once', () => {
    const hub = new LiveHub();
    let n = 0;
    const listener = (): void => void n++;
    const off = hub.subscribe(listener);
    hub.subscribe(listener);
    off();
    hub.publish(rows);
    expect(n).toBe(1);
  });
});
