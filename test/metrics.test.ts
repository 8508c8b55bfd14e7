import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../src/main/engine/datasets.js';
import {
  computeMetrics,
  curveMetrics,
  gaussianSumScalar,
  medianPairwiseDistance,
  mixtureMetrics,
  mmd2Unbiased,
  randomDirections,
  slicedWasserstein,
  standardizer,
  wasserstein1Sorted,
} from '../src/main/engine/metrics.js';
import { SimdGaussian } from '../src/main/engine/fused/simd.js';
import { DatasetSchema } from '../src/shared/config.js';

const source = (seed: string) => {
  const rng = seedrandom.alea(seed);
  return () => rng();
};
const ds = (input: unknown) => makeDataset(DatasetSchema.parse(input));
const pts = (...p: [number, number][]) => Float32Array.from(p.flat());
const repeat = (n: number, p: [number, number]) => pts(...Array.from({ length: n }, () => p));
const directions = randomDirections(64, source('dirs'));
/** a in the coordinates the distances use: standardized by the real sample's mean and std. */
const standardized = (a: Float32Array, real: Float32Array) => {
  const t = standardizer(real);
  return Float64Array.from(a, (v, i) => (v - t.mean[i % 2]!) / t.std[i % 2]!);
};

describe('curve metrics', () => {
  const quad = ds({ kind: 'quadratic' });
  const curves = quad.curves!;

  it('an untrained generator at the vertex: on the curve, but one x bin of 20', () => {
    expect(curveMetrics(curves, repeat(512, [0, 10]))).toEqual({ onCurveFraction: 1, xCoverage: 0.05 });
  });

  it('samples along the whole curve cover every bin', () => {
    const m = curveMetrics(curves, quad.sample(512, source('c')));
    expect(m.onCurveFraction).toBe(1);
    expect(m.xCoverage).toBe(1);
  });

  it('hand-computed: threshold 0.05 R inclusive, domain ends, off-domain and NaN', () => {
    const fake = pts(
      [0, 10], // on, bin 10
      [0, 135], // r = 125 / 2500 = 0.05 exactly: on
      [0, 136], // r = 0.0504: off
      [-50, 2510], // on, bin 0
      [50, 2510], // on, x = xMax goes to the last bin, 19
      [60, 3610], // on the parabola but outside the domain: off
      [NaN, NaN], // off
      [10, 10], // r = 100 / 2500 = 0.04: on, bin 12
    );
    expect(curveMetrics(curves, fake)).toEqual({ onCurveFraction: 5 / 8, xCoverage: 4 / 20 });
  });

  it('two curves: smaller residual of the two, and balance', () => {
    const two = ds({ kind: 'two-curves' }).curves!;
    const c1: [number, number][] = [[0, 10], [10, 110], [-20, 410]];
    const c2: [number, number][] = [[0, 2510], [10, 2410], [-20, 2110]];
    expect(curveMetrics(two, pts(...c1, ...c2))).toEqual({ onCurveFraction: 1, xCoverage: 3 / 20, balance: 0 }); // bins 10, 12, 6
    expect(curveMetrics(two, pts(...c1)).balance).toBe(0.5);
    expect(curveMetrics(two, pts(...c1, c2[0]!)).balance).toBe(0.25);
    // (0, 1260) sits halfway between the curves, r = 0.5 to both: not on a curve.
    expect(curveMetrics(two, pts([0, 1260], ...c1, c2[0]!))).toEqual({ onCurveFraction: 0.8, xCoverage: 3 / 20, balance: 0.25 });
    // No on-curve sample: the worst balance, 0.5, rather than NaN.
    expect(curveMetrics(two, pts([0, 1260])).balance).toBe(0.5);
  });
});

describe('mixture metrics', () => {
  const ring = ds({ kind: 'ring' });
  const mix = ring.mixture!;
  const modes = mix.modes.map((m) => [m.x, m.y] as [number, number]);

  it('all samples at one mode: 1 mode captured, reverse KL = ln 8', () => {
    const m = mixtureMetrics(mix, repeat(100, modes[3]!));
    expect(m).toEqual({ highQualityFraction: 1, modesCaptured: 1, reverseKL: Math.log(8) });
  });

  it('an even spread: 8 modes, reverse KL 0', () => {
    const fake = pts(...modes, ...modes, ...modes);
    expect(mixtureMetrics(mix, fake)).toEqual({ highQualityFraction: 1, modesCaptured: 8, reverseKL: 0 });
  });

  it('hand-computed: 3 at mode 0, 1 at mode 1 (2.9 std off), 1 at 3.1 std, 1 at the origin', () => {
    const fake = pts(modes[0]!, modes[0]!, modes[0]!, [modes[1]![0] + 0.029, modes[1]![1]], [1.031, 0], [0, 0]);
    const m = mixtureMetrics(mix, fake);
    expect(m.highQualityFraction).toBe(4 / 6);
    expect(m.modesCaptured).toBe(2);
    expect(m.reverseKL).toBeCloseTo(0.75 * Math.log(8 * 0.75) + 0.25 * Math.log(8 * 0.25), 12);
  });

  it('no high-quality sample: reverse KL reports ln K (worst), never NaN', () => {
    expect(mixtureMetrics(mix, repeat(10, [0, 0]))).toEqual({ highQualityFraction: 0, modesCaptured: 0, reverseKL: Math.log(8) });
  });

  it('the real data score as expected: 2-D Gaussian mass within 3 std is 1 - exp(-4.5)', () => {
    const N = 2500;
    for (const d of [ring, ds({ kind: 'grid' })]) {
      const m = mixtureMetrics(d.mixture!, d.sample(N, source('mix')));
      const p = 1 - Math.exp(-4.5); // 0.9889
      expect(Math.abs(m.highQualityFraction! - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
      expect(m.modesCaptured).toBe(d.mixture!.modes.length);
      // Multinomial noise alone gives about (K - 1) / (2 N): 0.0014 (ring), 0.005 (grid).
      expect(m.reverseKL).toBeLessThan(0.02);
    }
  });
});

describe('Wasserstein distances', () => {
  it('1-D W1 is exact for equal and unequal sizes', () => {
    expect(wasserstein1Sorted(Float64Array.of(0, 1, 2), Float64Array.of(1, 2, 3))).toBe(1);
    expect(wasserstein1Sorted(Float64Array.of(0), Float64Array.of(0, 1))).toBe(0.5);
    expect(wasserstein1Sorted(Float64Array.of(0, 2), Float64Array.of(1))).toBe(1);
    const u = source('w');
    const a = Float64Array.from({ length: 200 }, u).sort();
    const b = Float64Array.from({ length: 200 }, () => 2 * u()).sort();
    let direct = 0;
    for (let i = 0; i < 200; i++) direct += Math.abs(a[i]! - b[i]!);
    expect(wasserstein1Sorted(a, b)).toBeCloseTo(direct / 200, 12);
  });

  it('SW of a shifted copy is the mean over directions of |d . u|', () => {
    const a = ds({ kind: 'two-gaussians' }).sample(300, source('a'));
    const d = [0.7, -1.3];
    const b = Float64Array.from(a, (v, i) => v + d[i % 2]!);
    let want = 0;
    for (let k = 0; k < 64; k++) want += Math.abs(d[0]! * directions[2 * k]! + d[1]! * directions[2 * k + 1]!);
    expect(slicedWasserstein(a, b, directions)).toBeCloseTo(want / 64, 9);
    expect(slicedWasserstein(a, a, directions)).toBe(0);
    // One direction along x: W1 of the x coordinates only.
    expect(slicedWasserstein(pts([0, 5], [2, 9]), pts([1, -3]), Float32Array.of(1, 0))).toBe(1);
  });

  it('random directions are unit vectors and deterministic', () => {
    expect(directions).toHaveLength(128);
    for (let k = 0; k < 64; k++) expect(Math.hypot(directions[2 * k]!, directions[2 * k + 1]!)).toBeCloseTo(1, 6);
    expect(randomDirections(64, source('dirs'))).toEqual(directions);
  });
});

describe('MMD^2', () => {
  it('the SIMD kernel sums agree with the float64 ones to float32 precision, for every pair set and width', () => {
    const a = ds({ kind: 'ring' }).sample(512, source('g1'));
    const b = Float32Array.from(ds({ kind: 'ring' }).sample(333, source('g2')), (v) => v * 0.7 + 0.3);
    for (const c of [0.001, 0.05, 1, 30]) {
      for (const [p, q, distinct] of [[a, a, true], [a, b, false], [b, b, true]] as const) {
        const want = gaussianSumScalar(p, q, c, distinct);
        const got = new SimdGaussian(512).sum(p, q, c, distinct);
        expect(Math.abs(got - want) / want).toBeLessThan(1e-6);
      }
    }
  });

  it('median pairwise distance', () => {
    expect(medianPairwiseDistance(pts([0, 0], [3, 0], [0, 4]))).toBe(4);
    expect(medianPairwiseDistance(pts([0, 0], [1, 0], [2, 0], [3, 0]))).toBe(1.5);
  });

  it('hand-computed on two points (bandwidth 1)', () => {
    const x = pts([0, 0], [1, 0]);
    // Identical sets: k(x0,x1) = e^-1/2; 2e^-1/2/2 twice, minus 2/4 (1 + 1 + 2e^-1/2) = e^-1/2 - 1.
    // (Kernel sums run in float32 on the SIMD kernels: 7 digits.)
    expect(mmd2Unbiased(x, x)).toBeCloseTo(Math.exp(-0.5) - 1, 7);
    // A far copy: cross terms vanish, leaving 2 e^-1/2.
    expect(mmd2Unbiased(x, pts([1000, 0], [1001, 0]))).toBeCloseTo(2 * Math.exp(-0.5), 7);
  });

  it('uses only the first 512 rows of each set', () => {
    const a = ds({ kind: 'ring' }).sample(512, source('m1'));
    const b = ds({ kind: 'ring' }).sample(512, source('m2'));
    const bLong = new Float32Array(2 * 600).fill(50);
    bLong.set(b);
    expect(mmd2Unbiased(a, bLong)).toBe(mmd2Unbiased(a, b));
  });
});

describe('computeMetrics', () => {
  it('reuses what depends on the real sample alone (fixed per run) without changing any value', () => {
    const d = ds({ kind: 'ring' });
    const real = d.sample(512, source('reuse-real'));
    for (const seed of ['f1', 'f2', 'f3']) {
      const fake = Float32Array.from(d.sample(512, source(seed)), (v) => v * 1.2);
      const reused = computeMetrics({ dataset: d, real, fake, directions });
      // A fresh copy of the real sample, so nothing is reused: the same numbers, bit for bit.
      const fresh = computeMetrics({ dataset: d, real: real.slice(), fake, directions });
      expect(reused).toEqual(fresh);
      expect(reused.slicedWasserstein).toBe(slicedWasserstein(standardized(real, real), standardized(fake, real), directions));
      expect(reused.mmd2).toBe(mmd2Unbiased(standardized(real, real), standardized(fake, real)));
    }
    // Other directions are not confused with the ones reused.
    const other = randomDirections(64, source('other-dirs'));
    const fake = d.sample(512, source('f4'));
    expect(computeMetrics({ dataset: d, real, fake, directions: other })).toEqual(computeMetrics({ dataset: d, real: real.slice(), fake, directions: other }));
  });

  it('same distribution: SW and MMD^2 near 0; a shifted one: large', () => {
    const d = ds({ kind: 'grid' });
    const real = d.sample(512, source('real'));
    const fake = d.sample(512, source('fake'));
    const same = computeMetrics({ dataset: d, real, fake, directions });
    // Two 512-samples of one law, standardized: SW is sampling noise (max 0.14 over 30 seeds on the
    // 2-D sets), MMD^2 within +-0.006; a 3-unit shift is ~1.06 real std, SW ~ 1.06 * E|cos| = 0.67.
    expect(same.slicedWasserstein).toBeLessThan(0.2);
    expect(Math.abs(same.mmd2!)).toBeLessThan(0.01);
    const shifted = Float32Array.from(fake, (v, i) => (i % 2 === 0 ? v + 3 : v));
    const far = computeMetrics({ dataset: d, real, fake: shifted, directions });
    expect(far.slicedWasserstein).toBeGreaterThan(0.5);
    expect(far.mmd2).toBeGreaterThan(0.1);
  });

  it('standardizes by the real sample: a shift of d is d / std in SW', () => {
    const d = ds({ kind: 'quadratic' });
    const real = d.sample(512, source('q'));
    const fake = Float32Array.from(real, (v, i) => v + (i % 2 === 0 ? 4 : 100));
    const { std } = standardizer(real);
    let want = 0;
    for (let k = 0; k < 64; k++) want += Math.abs((4 / std[0]) * directions[2 * k]! + (100 / std[1]) * directions[2 * k + 1]!);
    expect(computeMetrics({ dataset: d, real, fake, directions }).slicedWasserstein).toBeCloseTo(want / 64, 4);
  });

  it('reports the keys that apply to each kind of set', () => {
    const keys = (input: unknown) => {
      const d = ds(input);
      const s = d.sample(64, source('k'));
      return Object.keys(computeMetrics({ dataset: d, real: s, fake: s, directions })).sort();
    };
    expect(keys({ kind: 'quadratic' })).toEqual(['mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
    expect(keys({ kind: 'two-curves' })).toEqual(['balance', 'mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
    expect(keys({ kind: 'formula' })).toEqual(['mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
    const mixtureKeys = ['highQualityFraction', 'mmd2', 'modesCaptured', 'reverseKL', 'slicedWasserstein'];
    expect(keys({ kind: 'ring' })).toEqual(mixtureKeys);
    expect(keys({ kind: 'grid' })).toEqual(mixtureKeys);
    for (const kind of ['line', 'two-gaussians', 'disjoint']) expect(keys({ kind })).toEqual(['mmd2', 'slicedWasserstein']);
  });

  it('a constant real axis does not divide by zero; a diverged generator gives NaN distances', () => {
    const d = ds({ kind: 'line', from: [0, 1], to: [1, 1], std: 0 });
    const real = d.sample(100, source('c'));
    const ok = computeMetrics({ dataset: d, real, fake: real, directions });
    expect(ok.slicedWasserstein).toBe(0);
    expect(Number.isFinite(ok.mmd2)).toBe(true);
    const bad = Float32Array.from(real);
    bad[7] = NaN;
    const m = computeMetrics({ dataset: d, real, fake: bad, directions });
    expect(m.slicedWasserstein).toBeNaN();
    expect(m.mmd2).toBeNaN();
  });
});
