import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { makeDataset, parsePointsCsv } from '../src/main/engine/datasets.js';
import { DatasetSchema } from '../src/shared/config.js';

const source = (seed: string) => {
  const rng = seedrandom.alea(seed);
  return () => rng();
};
const ds = (input: unknown) => makeDataset(DatasetSchema.parse(input));
const xs = (s: Float32Array) => Array.from({ length: s.length / 2 }, (_, i) => s[2 * i]!);
const ys = (s: Float32Array) => Array.from({ length: s.length / 2 }, (_, i) => s[2 * i + 1]!);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('quadratic (the tutorial)', () => {
  const N = 20_000;
  const d = ds({ kind: 'quadratic' });
  const s = d.sample(N, source('q'));

  it('draws x = 100 (U - 0.5) and y = 10 + x^2 from exactly one uniform per sample', () => {
    const u = source('q');
    for (let i = 0; i < N; i++) {
      const x = 100 * (u() - 0.5);
      expect(s[2 * i]).toBe(Math.fround(x));
      expect(s[2 * i + 1]).toBe(Math.fround(10 + x * x));
    }
  });

  it('spreads x over [-50, 50) with mean ~0', () => {
    const x = xs(s);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-50);
    expect(Math.max(...x)).toBeLessThan(50);
    // With 20 000 samples the extremes sit within ~0.005 of the ends; 0.1 fails with p ~ e^-20.
    expect(Math.min(...x)).toBeLessThan(-49.9);
    expect(Math.max(...x)).toBeGreaterThan(49.9);
    // sd of U[-50,50) is 100/sqrt(12) = 28.9, standard error 28.9/sqrt(20000) = 0.204; allow 5 SE.
    expect(Math.abs(mean(x))).toBeLessThan(5 * (100 / Math.sqrt(12) / Math.sqrt(N)));
  });

  it('reports the curve, its domain, bounds and y range 2500', () => {
    expect(d.bounds).toEqual({ xMin: -50, xMax: 50, yMin: 10, yMax: 2510 });
    expect(d.curves?.yRange).toBe(2500);
    expect(d.curves?.xMin).toBe(-50);
    expect(d.curves?.curves[0]!.f(3)).toBe(19);
    expect(d.mixture).toBeUndefined();
  });

  it('uses the scale and coefficients, and finds an interior vertex exactly', () => {
    const q = ds({ kind: 'quadratic', scale: 10, coefficients: { a: 2, b: 3, c: -1 } });
    // vertex at x = -0.75: y = -1 - 2.25 + 1.125 = -2.125; ends at x = -5 (34) and 5 (64).
    expect(q.bounds).toEqual({ xMin: -5, xMax: 5, yMin: -2.125, yMax: 64 });
    const u = source('c');
    const t = q.sample(100, source('c'));
    for (let i = 0; i < 100; i++) {
      const x = 10 * (u() - 0.5);
      expect(t[2 * i + 1]).toBe(Math.fround(-1 + 3 * x + 2 * x * x));
    }
  });

  it('is deterministic given the source', () => {
    expect(d.sample(50, source('z'))).toEqual(d.sample(50, source('z')));
    expect(d.sample(50, source('z'))).not.toEqual(d.sample(50, source('y')));
  });
});

describe('two-curves', () => {
  const d = ds({ kind: 'two-curves' });

  it('puts even samples on curve 1 and odd samples on curve 2', () => {
    const n = 1001;
    const s = d.sample(n, source('t'));
    const u = source('t');
    let first = 0;
    for (let i = 0; i < n; i++) {
      const x = 100 * (u() - 0.5);
      const y = i % 2 === 0 ? 10 + x * x : 2510 - x * x;
      expect(s[2 * i]).toBe(Math.fround(x));
      expect(s[2 * i + 1]).toBe(Math.fround(y));
      if (s[2 * i + 1] === Math.fround(10 + x * x)) first++;
    }
    expect(first).toBe(501); // ceil(1001 / 2); curve points never coincide here by chance
  });

  it('takes its bounds and y range over both curves', () => {
    expect(d.bounds).toEqual({ xMin: -50, xMax: 50, yMin: 10, yMax: 2510 });
    expect(d.curves?.yRange).toBe(2500);
    expect(d.curves?.curves).toHaveLength(2);
    const e = ds({ kind: 'two-curves', scale: 4, curve2: { a: 0, b: 100, c: 0 } });
    // curve1 10 + x^2 on [-2,2] spans [10, 14]; curve2 100x spans [-200, 200].
    expect(e.bounds).toEqual({ xMin: -2, xMax: 2, yMin: -200, yMax: 200 });
    expect(e.curves?.yRange).toBe(400);
  });
});

describe('formula', () => {
  it('samples x uniformly on [xMin, xMax) and y = f(x)', () => {
    const d = ds({ kind: 'formula', expression: 'sin(x) * 3', xMin: 0, xMax: 2 * Math.PI });
    const s = d.sample(500, source('f'));
    const u = source('f');
    for (let i = 0; i < 500; i++) {
      const x = 2 * Math.PI * u();
      expect(s[2 * i]).toBe(Math.fround(x));
      expect(s[2 * i + 1]).toBe(Math.fround(Math.sin(x) * 3));
    }
    expect(d.bounds.yMin).toBeCloseTo(-3, 4);
    expect(d.bounds.yMax).toBeCloseTo(3, 4);
    expect(d.curves?.yRange).toBeCloseTo(6, 4);
  });

  it('defaults to the tutorial curve', () => {
    const d = ds({ kind: 'formula' });
    expect(d.bounds).toEqual({ xMin: -50, xMax: 50, yMin: 10, yMax: 2510 });
  });

  it('rejects formulas that are not finite on the domain, and bad domains', () => {
    expect(() => ds({ kind: 'formula', expression: 'log(x)', xMin: -1, xMax: 1 })).toThrow(
      'formula: f(x) is not finite at x = -1',
    );
    expect(() => ds({ kind: 'formula', expression: '1/x', xMin: -1, xMax: 1 })).toThrow(/not finite at x = 0/);
    expect(() => ds({ kind: 'formula', expression: 'x +', xMin: -1, xMax: 1 })).toThrow(/formula: unexpected/);
    expect(() => ds({ kind: 'formula', expression: 'x', xMin: 1, xMax: 1 })).toThrow(/xMin < xMax/);
  });

  it('redraws a sample whose y is not finite between the probes', () => {
    const d = ds({ kind: 'formula', expression: '1/(x - 0.305)', xMin: 0, xMax: 1 });
    const seq = [0.305, 0.25];
    const s = d.sample(1, () => seq.shift()!);
    expect(Array.from(s)).toEqual([Math.fround(0.25), Math.fround(1 / (0.25 - 0.305))]);
    expect(() => d.sample(1, () => 0.305)).toThrow(/not finite/);
  });
});

describe('ring (PacGAN)', () => {
  const d = ds({ kind: 'ring' });
  const N = 20_000;
  const s = d.sample(N, source('r'));
  const centres = Array.from({ length: 8 }, (_, k) => [Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]);

  it('places 8 modes on the unit circle at 2 pi k / 8, each hit about equally, with std 0.01', () => {
    const groups: number[][][] = centres.map(() => []);
    for (let i = 0; i < N; i++) {
      const p = [s[2 * i]!, s[2 * i + 1]!];
      const dist = centres.map((c) => Math.hypot(p[0]! - c[0]!, p[1]! - c[1]!));
      const k = dist.indexOf(Math.min(...dist));
      expect(dist[k]).toBeLessThan(5 * 0.01);
      groups[k]!.push(p);
    }
    for (let k = 0; k < 8; k++) {
      const g = groups[k]!;
      // Share 1/8; binomial SE sqrt(p(1-p)/N) = 0.0023; allow 5 SE.
      expect(Math.abs(g.length / N - 1 / 8)).toBeLessThan(0.012);
      // Mean per axis: SE 0.01/sqrt(2500) = 0.0002; allow 5 SE.
      expect(Math.abs(mean(g.map((p) => p[0]!)) - centres[k]![0]!)).toBeLessThan(0.001);
      expect(Math.abs(mean(g.map((p) => p[1]!)) - centres[k]![1]!)).toBeLessThan(0.001);
      const sd = Math.sqrt(mean(g.map((p) => (p[0]! - centres[k]![0]!) ** 2)));
      expect(Math.abs(sd / 0.01 - 1)).toBeLessThan(0.1); // SE of an sd estimate ~ 1/sqrt(2n) = 1.4%
    }
  });

  it('exposes the modes and std for the metrics, and bounds at centres +- 3 std', () => {
    expect(d.mixture?.std).toBe(0.01);
    expect(d.mixture?.modes).toHaveLength(8);
    d.mixture!.modes.forEach((m, k) => {
      expect(m.x).toBeCloseTo(centres[k]![0]!, 12);
      expect(m.y).toBeCloseTo(centres[k]![1]!, 12);
    });
    expect(d.bounds.xMin).toBeCloseTo(-1.03, 12);
    expect(d.bounds.yMax).toBeCloseTo(1.03, 12);
    expect(d.curves).toBeUndefined();
  });

  it('stays finite when the source returns 0 (Box–Muller log guard)', () => {
    const t = d.sample(10, () => 0);
    expect(Array.from(t).every(Number.isFinite)).toBe(true);
    expect(t[0]).toBe(1);
  });
});

describe('grid (PacGAN)', () => {
  it('places 25 modes at {-4,-2,0,2,4}^2 and hits all of them', () => {
    const d = ds({ kind: 'grid' });
    const axis = [-4, -2, 0, 2, 4];
    const expected = axis.flatMap((y) => axis.map((x) => ({ x, y })));
    expect(d.mixture?.modes).toEqual(expected);
    expect(d.mixture?.std).toBe(0.05);
    expect(d.bounds).toEqual({ xMin: -4.15, xMax: 4.15, yMin: -4.15, yMax: 4.15 });
    const s = d.sample(10_000, source('g'));
    const hit = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const mx = Math.round(s[2 * i]! / 2) * 2;
      const my = Math.round(s[2 * i + 1]! / 2) * 2;
      expect(axis).toContain(mx);
      expect(axis).toContain(my);
      expect(Math.hypot(s[2 * i]! - mx, s[2 * i + 1]! - my)).toBeLessThan(5 * 0.05);
      hit.add(`${mx},${my}`);
    }
    expect(hit.size).toBe(25);
  });

  it('centres other sides and spacings around 0', () => {
    const d = ds({ kind: 'grid', side: 2, spacing: 3 });
    expect(d.mixture?.modes).toEqual([
      { x: -1.5, y: -1.5 },
      { x: 1.5, y: -1.5 },
      { x: -1.5, y: 1.5 },
      { x: 1.5, y: 1.5 },
    ]);
  });
});

describe('GAN Lab simple sets', () => {
  it('line: points along the segment with small jitter', () => {
    const d = ds({ kind: 'line' });
    const s = d.sample(2000, source('l'));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 2000; i++) {
      const x = s[2 * i]!;
      const y = s[2 * i + 1]!;
      // Distance to the line y = x, and position along it, for from (-1,-1) to (1,1).
      expect(Math.abs(y - x) / Math.SQRT2).toBeLessThan(5 * 0.02 * Math.SQRT2);
      lo = Math.min(lo, (x + y) / 2);
      hi = Math.max(hi, (x + y) / 2);
    }
    expect(lo).toBeLessThan(-0.95);
    expect(hi).toBeGreaterThan(0.95);
    expect(d.bounds).toEqual({ xMin: -1.06, xMax: 1.06, yMin: -1.06, yMax: 1.06 });
    expect(d.mixture).toBeUndefined();
  });

  it('two-gaussians and disjoint: blobs at the centres, not scored as mixtures', () => {
    for (const [kind, centres, std] of [
      ['two-gaussians', [[-1, -1], [1, 1]], 0.25],
      ['disjoint', [[-1.5, -1], [0, 1.5], [1.5, -1]], 0.2],
    ] as const) {
      const d = ds({ kind });
      expect(d.mixture).toBeUndefined();
      expect(d.curves).toBeUndefined();
      const s = d.sample(6000, source(kind));
      const counts = centres.map(() => 0);
      for (let i = 0; i < 6000; i++) {
        const dist = centres.map((c) => Math.hypot(s[2 * i]! - c[0], s[2 * i + 1]! - c[1]));
        const k = dist.indexOf(Math.min(...dist));
        expect(dist[k]).toBeLessThan(6 * std);
        counts[k]!++;
      }
      for (const c of counts) expect(Math.abs(c / 6000 - 1 / centres.length)).toBeLessThan(0.04);
    }
  });

  it('points: resamples the given points uniformly, with optional jitter', () => {
    const points: [number, number][] = [[0, 0], [3, 1], [-2, 5]];
    const d = ds({ kind: 'points', points });
    expect(d.bounds).toEqual({ xMin: -2, xMax: 3, yMin: 0, yMax: 5 });
    const s = d.sample(3000, source('p'));
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const k = points.findIndex(([x, y]) => s[2 * i] === x && s[2 * i + 1] === y);
      expect(k).toBeGreaterThanOrEqual(0);
      counts[k]!++;
    }
    for (const c of counts) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.05);
    const j = ds({ kind: 'points', points, jitter: 0.1 });
    const want = { xMin: -2.3, xMax: 3.3, yMin: -0.3, yMax: 5.3 };
    for (const key of Object.keys(want) as (keyof typeof want)[]) expect(j.bounds[key]).toBeCloseTo(want[key], 12);
    const t = j.sample(100, source('p'));
    expect(Array.from(t).some((v, i) => v !== s[i])).toBe(true);
  });
});

describe('parsePointsCsv', () => {
  it('reads comma, semicolon and tab separated rows, with or without a header', () => {
    expect(parsePointsCsv('1,2\n3,4')).toEqual([[1, 2], [3, 4]]);
    expect(parsePointsCsv('x,y\r\n1.5, -2\r\n\r\n3e2,4\n')).toEqual([[1.5, -2], [300, 4]]);
    expect(parsePointsCsv('x;y\n1;2\n3;4')).toEqual([[1, 2], [3, 4]]);
    expect(parsePointsCsv('1,5;2,25\n3;4')).toEqual([[1.5, 2.25], [3, 4]]);
    expect(parsePointsCsv('\ufeffx\ty\n1\t2\n\n  \n3\t4\n')).toEqual([[1, 2], [3, 4]]);
  });

  it('names the line of a bad row', () => {
    expect(() => parsePointsCsv('x,y\n1,2\n3,abc\n5,6')).toThrow('points CSV: line 3: expected two numbers: "3,abc"');
    expect(() => parsePointsCsv('1,2\n\n3,4,5')).toThrow(/line 3: expected 2 fields/);
    expect(() => parsePointsCsv('1,2\n3')).toThrow(/line 2: expected 2 fields/);
    expect(() => parsePointsCsv('x,y\n1,2\nx,y')).toThrow(/line 3/);
    expect(() => parsePointsCsv('1,2\n0x10,2')).toThrow(/line 2: expected two numbers/); // no hex, Infinity, etc.
    expect(() => parsePointsCsv('1,2\nInfinity,2')).toThrow(/line 2/);
  });

  it('needs at least 2 points', () => {
    expect(() => parsePointsCsv('')).toThrow(/empty/);
    expect(() => parsePointsCsv('x,y\n1,2')).toThrow(/at least 2 points, found 1/);
    expect(() => parsePointsCsv('x,y\n')).toThrow(/at least 2 points, found 0/);
  });
});
