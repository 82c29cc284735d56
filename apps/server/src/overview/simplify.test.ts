import { describe, expect, it } from 'vitest';
import { parseInp } from './inp-parser.js';
import { douglasPeucker, simplifyPipes, sizeClass } from './simplify.js';

/**
 * R ─p1─ a ─p2─ b ─p3─ c, with d branching off b (p4) and p5 (another size) after c:
 * p1+p2 merge (a is pass-through), b branches, p3 stops at c where the size changes.
 */
const NET = parseInp(
  'inline',
  [
    '[RESERVOIRS]',
    ' R 50',
    '[JUNCTIONS]',
    ' a 0',
    ' b 0',
    ' c 0',
    ' d 0',
    ' e 0',
    '[PIPES]',
    ' p1 R a 100 300 100',
    ' p2 a b 100 300 100',
    ' p3 b c 100 300 100',
    ' p4 b d 100 300 100',
    ' p5 c e 100 80 100',
    '[COORDINATES]',
    ' R 0 0',
    ' a 10 0.001',
    ' b 20 0',
    ' c 30 0',
    ' d 20 10',
    ' e 40 0',
    '[OPTIONS]',
    ' Units CMH',
  ].join('\n'),
);

describe('simplifyPipes', () => {
  it('merges runs through unbranched junctions of one size class and drops collinear points', () => {
    const lines = simplifyPipes(NET, { tolerance: 0.01, mmPerUnit: 1 });
    const sorted = lines
      .map((l) => ({ pts: l.points, d: l.diameterMm, n: l.links }))
      .sort((x, y) => y.n - x.n);
    expect(sorted[0]).toEqual({
      pts: [
        [0, 0],
        [20, 0],
      ],
      d: 300,
      n: 2,
    });
    expect(lines).toHaveLength(4);
    expect(lines.reduce((n, l) => n + l.links, 0)).toBe(5);
  });

  it('does not merge across a node a site sits at', () => {
    const lines = simplifyPipes(NET, { tolerance: 0.01, mmPerUnit: 1, keep: new Set(['a']) });
    expect(lines).toHaveLength(5);
  });

  it('draws a closed loop with no branch as one line', () => {
    const loop = parseInp(
      'loop',
      '[JUNCTIONS]\n a\n b\n c\n[PIPES]\n p1 a b 1 100 1\n p2 b c 1 100 1\n p3 c a 1 100 1\n[COORDINATES]\n a 0 0\n b 1 0\n c 0 1\n',
    );
    const lines = simplifyPipes(loop, { tolerance: 0.01, mmPerUnit: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.links).toBe(3);
    expect(lines[0]!.points).toHaveLength(4);
  });
});

describe('douglasPeucker and sizeClass', () => {
  it('keeps the ends and the points farther than the tolerance', () => {
    const wobble: [number, number][] = [
      [0, 0],
      [1, 0.05],
      [2, 0],
      [3, -0.05],
      [4, 0],
    ];
    expect(douglasPeucker(wobble, 0.1)).toEqual([
      [0, 0],
      [4, 0],
    ]);
    const corner: [number, number][] = [
      [0, 0],
      [1, 0],
      [2, 0.01],
      [2, 1],
      [2, 2],
    ];
    expect(douglasPeucker(corner, 0.1)).toEqual([
      [0, 0],
      [2, 0.01],
      [2, 2],
    ]);
  });

  it('puts pumps, small, medium and trunk mains in their own classes', () => {
    expect([0, 80, 150, 250, 400, 900].map(sizeClass)).toEqual([-1, 0, 1, 2, 3, 4]);
  });
});
