import { describe, expect, it } from 'vitest';
import type { Sample } from '@watershed/model';
import { SeriesBuffer } from './series-buffer.js';

const g = (ts: number, value: Sample['value']): Sample => ({ ts, value, quality: 'good' });

describe('SeriesBuffer', () => {
  it('merges history with live samples that arrived while it loaded', () => {
    const b = new SeriesBuffer(100);
    b.append(g(30, 3));
    b.append(g(40, 4));
    b.mergeHistory([g(10, 1), g(20, 2), g(30, 99)]);
    expect(b.toPlot()).toEqual([
      [10, 1],
      [20, 2],
      [30, 3],
      [40, 4],
    ]);
  });

  it('keeps time order for late samples and replaces a duplicate timestamp', () => {
    const b = new SeriesBuffer(100);
    b.append(g(10, 1));
    b.append(g(30, 3));
    b.append(g(20, 2));
    b.append(g(30, 33));
    expect(b.toPlot().map(([t]) => t)).toEqual([10, 20, 30]);
    expect(b.toPlot()[2]).toEqual([30, 33]);
  });

  it('holds at most cap samples, dropping the oldest', () => {
    const b = new SeriesBuffer(3);
    for (let t = 1; t <= 5; t++) b.append(g(t, t));
    expect(b.toPlot().map(([t]) => t)).toEqual([3, 4, 5]);
  });

  it('thins live samples to the history density but keeps quality changes', () => {
    const b = new SeriesBuffer(100);
    for (let t = 0; t <= 100; t += 10) b.append(g(t, t), 30);
    b.append({ ts: 105, value: null, quality: 'bad' }, 30);
    expect(b.toPlot().map(([t]) => t)).toEqual([0, 30, 60, 90, 105]);
  });

  it('trims to the window but keeps one sample before its edge', () => {
    const b = new SeriesBuffer(100);
    for (const t of [10, 20, 30, 40]) b.append(g(t, t));
    b.trimBefore(25);
    expect(b.toPlot().map(([t]) => t)).toEqual([20, 30, 40]);
  });

  it('plots booleans as 0/1 and bad or non-numeric samples as gaps', () => {
    const b = new SeriesBuffer(10);
    b.append(g(1, true));
    b.append(g(2, false));
    b.append({ ts: 3, value: 5, quality: 'bad' });
    b.append(g(4, 'LOCAL'));
    b.append({ ts: 5, value: 6, quality: 'uncertain' });
    expect(b.toPlot()).toEqual([
      [1, 1],
      [2, 0],
      [3, null],
      [4, null],
      [5, 6],
    ]);
  });
});
