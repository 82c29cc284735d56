import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diametersInInches, parseInp } from './inp-parser.js';
import { NETWORKS_DIR } from './networks.test-support.js';

const read = (name: string) => parseInp(name, readFileSync(join(NETWORKS_DIR, `${name}.inp`), 'utf8'));

describe('parseInp on the shared models', () => {
  it('reads L-Town: 782 junctions, 2 reservoirs, a tank, its pump and PRVs, in metric units', () => {
    const net = read('L-TOWN');
    const kinds = [...net.nodes.values()].reduce<Record<string, number>>(
      (acc, n) => ({ ...acc, [n.kind]: (acc[n.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ junction: 782, reservoir: 2, tank: 1 });
    expect(net.flowUnits).toBe('CMH');
    expect(diametersInInches(net)).toBe(false);
    const pump = net.links.find((l) => l.id === 'PUMP_1');
    expect(pump).toMatchObject({ kind: 'pump', from: 'n54', to: 'T1' });
    expect(net.links.filter((l) => l.kind === 'valve').map((l) => l.id)).toEqual(['PRV-1', 'PRV-2', 'PRV-3']);
    expect(net.links.find((l) => l.id === 'p1')).toMatchObject({ from: 'n62', to: 'n61', diameter: 200 });
    expect(net.nodes.get('n1')).toEqual({ id: 'n1', kind: 'junction', x: 138.22, y: 1549.64 });
  });

  it('reads Net3 in US units, with its pumps between the sources and the network', () => {
    const net = read('Net3');
    expect(diametersInInches(net)).toBe(true);
    expect(net.nodes.get('River')?.kind).toBe('reservoir');
    expect(net.nodes.get('1')?.kind).toBe('tank');
    expect(net.links.find((l) => l.id === '335')).toMatchObject({ kind: 'pump', from: '60', to: '61' });
    expect(net.links.length).toBe(119);
  });

  it('reads the city-size Net6 whole', () => {
    const net = read('Net6');
    expect(net.nodes.size).toBeGreaterThan(3300);
    expect(net.links.length).toBeGreaterThan(3800);
  });

  it('keeps vertices of a link in order and ignores comments and unknown sections', () => {
    const net = parseInp(
      'inline',
      [
        '[JUNCTIONS]',
        ' a 10 ; comment',
        ' b 10',
        '[RESERVOIRS]',
        ' R 50',
        '[PIPES]',
        ' p1 R a 100 12 100',
        ' p2 a b 100 8 100 0 Open ;',
        '[PATTERNS]',
        ' 1 1.0 1.2',
        '[COORDINATES]',
        ' R 0 0',
        ' a 10 0',
        ' b 10 10',
        ' ghost 5 5',
        '[VERTICES]',
        ' p2 12 3',
        ' p2 12 6',
        '[OPTIONS]',
        ' units lps',
      ].join('\n'),
    );
    expect(net.flowUnits).toBe('LPS');
    expect(net.nodes.has('ghost')).toBe(false);
    expect(net.links[1]!.vertices).toEqual([
      [12, 3],
      [12, 6],
    ]);
  });

  it('names the file and line of a malformed number', () => {
    expect(() => parseInp('bad.inp', '[COORDINATES]\n a 1 x\n')).toThrow(/bad\.inp line 2: .*Y-Coord/);
    expect(() => parseInp('bad.inp', '[VERTICES]\n p9 1 2\n')).toThrow(/line 2: .*p9/);
  });
});
