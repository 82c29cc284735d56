import { describe, expect, it } from 'vitest';
import { csvChunks, csvFileName, ROLLUP_HEADER, SAMPLE_HEADER } from './explorer-csv.js';
import type { ExplorerSeries } from './explorer-data.js';

const text = (series: ExplorerSeries[]) => [...csvChunks(series)].join('');

describe('client-side CSV of several points', () => {
  it('writes raw samples in the server’s columns after a point column, RFC 4180 quoted', () => {
    const csv = text([
      {
        id: 'n.p.g.a',
        resolution: 'raw',
        truncated: false,
        samples: [
          { ts: 0, value: 1.5, quality: 'good' },
          { ts: 1000, value: null, quality: 'bad', reason: 'timeout, "no answer"' },
        ],
      },
      {
        id: 'n.p.g.b',
        resolution: 'raw',
        truncated: false,
        samples: [{ ts: 0, value: 'AUTO,1', quality: 'uncertain' }],
      },
    ]);
    expect(csv).toBe(
      SAMPLE_HEADER +
        'n.p.g.a,0,1970-01-01T00:00:00.000Z,1.5,good,\r\n' +
        'n.p.g.a,1000,1970-01-01T00:00:01.000Z,,bad,"timeout, ""no answer"""\r\n' +
        'n.p.g.b,0,1970-01-01T00:00:00.000Z,"AUTO,1",uncertain,\r\n',
    );
  });

  it('writes rollups with count, bad, min, max, mean and last', () => {
    const csv = text([
      {
        id: 'x',
        resolution: '15m',
        truncated: false,
        rollups: [
          {
            ts: 0,
            width: 900_000,
            count: 3,
            bad: 1,
            numeric: 2,
            min: 1,
            max: 3,
            avg: 2,
            last: true,
            lastTs: 5,
            lastQuality: 'good',
          },
        ],
      },
    ]);
    expect(csv).toBe(`${ROLLUP_HEADER}x,0,1970-01-01T00:00:00.000Z,3,1,2,1,3,2,true,5,good\r\n`);
  });

  it('comes in chunks rather than one string, and nothing for no series', () => {
    const samples = Array.from({ length: 4500 }, (_, i) => ({ ts: i, value: i, quality: 'good' as const }));
    const chunks = [...csvChunks([{ id: 'x', resolution: 'raw', truncated: false, samples }])];
    expect(chunks.length).toBe(4); // header + 2000 + 2000 + 500
    expect(chunks.join('').split('\r\n')).toHaveLength(4502);
    expect([...csvChunks([])]).toEqual([]);
  });

  it('names the file after what it holds', () => {
    expect(csvFileName(['n.p.g.a'], '1m', 0, 3_600_000)).toBe(
      'n.p.g.a_1m_1970-01-01T000000Z_1970-01-01T010000Z.csv',
    );
    expect(csvFileName(['a', 'b', 'c'], 'raw', 0, 1)).toMatch(/^3-points_raw_/);
  });
});
