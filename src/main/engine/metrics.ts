/**
 * The 2-D quality metrics of docs/spec-notes.md ("Quality metrics"), in plain TypeScript so they are
 * deterministic and identical on every backend. Arithmetic is in doubles; inputs are [n,2]
 * row-major Float32Arrays. Sample sizes are the caller's choice (spec-notes: 512 for curve sets and the
 * distances, 2500 for the mixture sets); only MMD^2 caps its input (see there).
 *
 * A diverged generator (NaN or infinite coordinates) is not hidden: such samples are never on a
 * curve or high quality, and slicedWasserstein / mmd2 come out NaN.
 */
import type { Dataset, Mode } from './datasets.js';
import { fastExp } from './fused/math.js';
import { SimdGaussian, simdAvailable } from './fused/simd.js';

export interface MetricInputs {
  dataset: Dataset;
  /** [n,2] */
  real: Float32Array;
  /** [n,2] */
  fake: Float32Array;
  /** [64,2] unit vectors, fixed per run. */
  directions: Float32Array;
}

type Points = Float32Array | Float64Array;

/** Residual threshold of the on-curve test, as a share of the curve set's y range. */
const ON_CURVE = 0.05;
const X_BINS = 20;
/** High quality = within this many std of the nearest mode centre. */
const HIGH_QUALITY_STDS = 3;
/** MMD^2 is quadratic in the sample size; the first this-many rows of each set are used. */
const MMD_MAX_POINTS = 512;

function rows(a: Points, what: string): number {
  if (a.length % 2 !== 0) throw new Error(`metrics: ${what} must be [n,2], got length ${a.length}`);
  return a.length / 2;
}

export function curveMetrics(curves: NonNullable<Dataset['curves']>, fake: Points): Record<string, number> {
  const n = rows(fake, 'fake');
  const { xMin, xMax, yRange } = curves;
  const fs = curves.curves.map((c) => c.f);
  // A flat curve has yRange 0; treat its range as 1 rather than divide by zero.
  const R = yRange > 0 && Number.isFinite(yRange) ? yRange : 1;
  const bins = new Uint8Array(X_BINS);
  let onCurve = 0;
  let nearestFirst = 0;
  for (let i = 0; i < n; i++) {
    const x = fake[2 * i]!;
    const y = fake[2 * i + 1]!;
    if (!(x >= xMin && x <= xMax)) continue; // also rejects NaN
    let best = Infinity;
    let bestIndex = -1;
    for (let k = 0; k < fs.length; k++) {
      const r = Math.abs(y - fs[k]!(x)) / R;
      // Strict < keeps a tie (where the curves cross) with the lower-numbered curve.
      if (r < best) {
        best = r;
        bestIndex = k;
      }
    }
    if (!(best <= ON_CURVE)) continue;
    onCurve++;
    if (bestIndex === 0) nearestFirst++;
    bins[Math.min(X_BINS - 1, Math.floor(((x - xMin) / (xMax - xMin)) * X_BINS))] = 1;
  }
  const out: Record<string, number> = {
    onCurveFraction: n > 0 ? onCurve / n : 0,
    xCoverage: bins.reduce((s, b) => s + b, 0) / X_BINS,
  };
  // With no on-curve sample there is no split to measure; 0.5 is the worst value, the honest one.
  if (fs.length === 2) out.balance = onCurve > 0 ? Math.abs(nearestFirst / onCurve - 0.5) : 0.5;
  return out;
}

export function mixtureMetrics(mixture: { modes: Mode[]; std: number }, fake: Points): Record<string, number> {
  const n = rows(fake, 'fake');
  const { modes, std } = mixture;
  const K = modes.length;
  const limit2 = (HIGH_QUALITY_STDS * std) ** 2;
  const counts = new Float64Array(K);
  let hq = 0;
  for (let i = 0; i < n; i++) {
    const x = fake[2 * i]!;
    const y = fake[2 * i + 1]!;
    let best = Infinity;
    let bestK = -1;
    for (let k = 0; k < K; k++) {
      const m = modes[k]!;
      const d2 = (x - m.x) ** 2 + (y - m.y) ** 2;
      if (d2 < best) {
        best = d2;
        bestK = k;
      }
    }
    if (best <= limit2) {
      hq++;
      counts[bestK]!++;
    }
  }
  let captured = 0;
  let reverseKL = 0;
  for (let k = 0; k < K; k++) {
    if (counts[k]! === 0) continue;
    captured++;
    const p = counts[k]! / hq;
    reverseKL += p * Math.log(K * p);
  }
  return {
    highQualityFraction: n > 0 ? hq / n : 0,
    modesCaptured: captured,
    // No high-quality sample: report ln K, the value of total collapse onto one mode (the worst),
    // rather than 0, which would read as a perfect spread.
    reverseKL: hq > 0 ? reverseKL : Math.log(K),
  };
}

/** Per-axis mean and std of a [n,2] set (population std; a zero or non-finite std becomes 1). */
export function standardizer(real: Points): { mean: [number, number]; std: [number, number] } {
  const n = rows(real, 'real');
  const mean: [number, number] = [0, 0];
  const std: [number, number] = [1, 1];
  for (let axis = 0; axis < 2; axis++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += real[2 * i + axis]!;
    const m = n > 0 ? s / n : 0;
    let v = 0;
    for (let i = 0; i < n; i++) v += (real[2 * i + axis]! - m) ** 2;
    const sd = n > 0 ? Math.sqrt(v / n) : 0;
    mean[axis] = m;
    std[axis] = sd > 0 && Number.isFinite(sd) ? sd : 1;
  }
  return { mean, std };
}

function standardize(a: Points, t: { mean: [number, number]; std: [number, number] }): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i += 2) {
    out[i] = (a[i]! - t.mean[0]) / t.std[0];
    out[i + 1] = (a[i + 1]! - t.mean[1]) / t.std[1];
  }
  return out;
}

/**
 * Exact 1-D Wasserstein-1 between two empirical distributions, as the integral of |F_a - F_b|.
 * For equal sizes this equals mean |sorted a - sorted b|; unlike that formula it also handles
 * unequal sizes, so neither set has to be subsampled. Inputs must be sorted ascending.
 */
export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(a[0]!, b[0]!);
  let total = 0;
  while (i < na || j < nb) {
    const takeA = j >= nb || (i < na && a[i]! <= b[j]!);
    const next = takeA ? a[i]! : b[j]!;
    total += Math.abs(i / na - j / nb) * (next - prev);
    prev = next;
    if (takeA) i++;
    else j++;
  }
  return total;
}

/** Each direction's projections of a [n,2] set, sorted ascending. */
function sortedProjections(a: Points, directions: Points): Float64Array[] {
  const n = rows(a, 'points');
  const nd = rows(directions, 'directions');
  const out: Float64Array[] = [];
  for (let d = 0; d < nd; d++) {
    const ux = directions[2 * d]!;
    const uy = directions[2 * d + 1]!;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = a[2 * i]! * ux + a[2 * i + 1]! * uy;
    out.push(p.sort());
  }
  return out;
}

/** Mean over the directions of the 1-D W1 between the projections; in the coordinates given. */
export function slicedWasserstein(a: Points, b: Points, directions: Points, sortedA?: Float64Array[]): number {
  rows(a, 'a');
  rows(b, 'b');
  const nd = rows(directions, 'directions');
  if (nd === 0) throw new Error('metrics: no directions');
  if (!a.every(Number.isFinite) || !b.every(Number.isFinite)) return NaN;
  const pa = sortedA ?? sortedProjections(a, directions);
  const pb = sortedProjections(b, directions);
  let sum = 0;
  for (let d = 0; d < nd; d++) sum += wasserstein1Sorted(pa[d]!, pb[d]!);
  return sum / nd;
}

/** Median distance over the distinct pairs of a [n,2] set (0 when n < 2). */
export function medianPairwiseDistance(a: Points): number {
  const n = rows(a, 'a');
  if (n < 2) return 0;
  const d = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) d[k++] = Math.hypot(a[2 * i]! - a[2 * j]!, a[2 * i + 1]! - a[2 * j + 1]!);
  }
  d.sort();
  const mid = d.length >> 1;
  return d.length % 2 === 1 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
}

/** The part of MMD^2 that depends on the first set alone: its kernel width and mean kernel value. */
interface MmdReal {
  x: Points;
  inv2s2: number;
  /** Mean k(x_i, x_j) over ordered pairs i != j. */
  kxx: number;
}

let simdGaussian: SimdGaussian | null | undefined;

/**
 * Σ k(p_i, q_j) over all pairs, or over i < j when `distinctPairs` (p is q). On the WebAssembly
 * SIMD kernels where they run (four lanes, float32 sums per row, a float32 exp within 3e-7: about
 * ten times faster, and the MMD² term is what made a snapshot cost); otherwise in doubles here.
 */
function gaussianSum(p: Points, q: Points, inv2s2: number, distinctPairs: boolean): number {
  if (simdGaussian === undefined) simdGaussian = simdAvailable() ? new SimdGaussian(MMD_MAX_POINTS) : null;
  if (simdGaussian && p.length / 2 <= simdGaussian.capacity && q.length / 2 <= simdGaussian.capacity) return simdGaussian.sum(p, q, inv2s2, distinctPairs);
  return gaussianSumScalar(p, q, inv2s2, distinctPairs);
}

export function gaussianSumScalar(p: Points, q: Points, inv2s2: number, distinctPairs: boolean): number {
  const m = p.length / 2;
  const n = q.length / 2;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const px = p[2 * i]!;
    const py = p[2 * i + 1]!;
    for (let j = distinctPairs ? i + 1 : 0; j < n; j++) {
      const dx = px - q[2 * j]!;
      const dy = py - q[2 * j + 1]!;
      // fastExp: inline, within a few 1e-16 of Math.exp, about twice as fast over 400 000 terms.
      sum += fastExp(-(dx * dx + dy * dy) * inv2s2);
    }
  }
  return sum;
}

function mmdReal(real: Points, maxPoints: number): MmdReal {
  const x = real.subarray(0, 2 * Math.min(rows(real, 'real'), maxPoints));
  const m = x.length / 2;
  if (m < 2) throw new Error('metrics: MMD^2 needs at least 2 samples in each set');
  const s = medianPairwiseDistance(x);
  const inv2s2 = 1 / (2 * (s > 0 && Number.isFinite(s) ? s : 1) ** 2);
  // Off-diagonal sums cover i < j only, hence the factor 2 over m(m-1) ordered pairs.
  return { x, inv2s2, kxx: (2 * gaussianSum(x, x, inv2s2, true)) / (m * (m - 1)) };
}

function mmd2Against(r: MmdReal, fake: Points, maxPoints: number): number {
  const y = fake.subarray(0, 2 * Math.min(rows(fake, 'fake'), maxPoints));
  const m = r.x.length / 2;
  const n = y.length / 2;
  if (n < 2) throw new Error('metrics: MMD^2 needs at least 2 samples in each set');
  if (!y.every(Number.isFinite)) return NaN;
  const kyy = (2 * gaussianSum(y, y, r.inv2s2, true)) / (n * (n - 1));
  const kxy = (2 * gaussianSum(r.x, y, r.inv2s2, false)) / (m * n);
  return r.kxx + kyy - kxy;
}

/**
 * Unbiased MMD^2 (Gretton et al. 2012, eq. 3) with k(p,q) = exp(-|p-q|^2 / (2 s^2)), s the median
 * pairwise distance of the first set (a zero or non-finite s becomes 1). Uses the first 512 rows of
 * each set to bound the O(n^2) cost. Can be slightly negative when the sets match.
 */
export function mmd2Unbiased(real: Points, fake: Points, maxPoints = MMD_MAX_POINTS): number {
  const x = real.subarray(0, 2 * Math.min(rows(real, 'real'), maxPoints));
  if (x.length / 2 < 2 || rows(fake, 'fake') < 2) throw new Error('metrics: MMD^2 needs at least 2 samples in each set');
  if (!x.every(Number.isFinite)) return NaN;
  return mmd2Against(mmdReal(x, maxPoints), fake, maxPoints);
}

/** count unit vectors at angles 2 pi U[0,1). */
export function randomDirections(count: number, uniform: () => number): Float32Array {
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const t = 2 * Math.PI * uniform();
    out[2 * i] = Math.cos(t);
    out[2 * i + 1] = Math.sin(t);
  }
  return out;
}

/**
 * All metrics that apply to the data set. Keys: curve sets onCurveFraction, xCoverage (+ balance
 * for two curves); ring and grid highQualityFraction, modesCaptured, reverseKL; every set
 * slicedWasserstein and mmd2, both in coordinates standardized by the real sample.
 */
export function computeMetrics(inp: MetricInputs): Record<string, number> {
  const { dataset, real, fake, directions } = inp;
  const out: Record<string, number> = {};
  if (dataset.curves) Object.assign(out, curveMetrics(dataset.curves, fake));
  if (dataset.mixture) Object.assign(out, mixtureMetrics(dataset.mixture, fake));
  const r = realParts(real, directions);
  const fakeS = standardize(fake, r.t);
  out.slicedWasserstein = slicedWasserstein(r.realS, fakeS, directions, r.projections);
  out.mmd2 = r.mmd ? mmd2Against(r.mmd, fakeS, MMD_MAX_POINTS) : NaN;
  return out;
}

interface RealParts {
  length: number;
  directions: Points;
  t: ReturnType<typeof standardizer>;
  realS: Float64Array;
  projections: Float64Array[] | undefined;
  mmd: MmdReal | undefined;
}

/**
 * What the distances compute from the real sample alone (its standardization, sorted
 * projections, MMD's kernel width and real-real term), which is the larger part of their cost.
 * A recorder passes the same fixed sample at every snapshot, so this is kept per sample object.
 */
const realPartsCache = new WeakMap<Points, RealParts>();

function realParts(real: Points, directions: Points): RealParts {
  const hit = realPartsCache.get(real);
  if (hit && hit.length === real.length && hit.directions === directions) return hit;
  const t = standardizer(real);
  const realS = standardize(real, t);
  const finite = realS.every(Number.isFinite);
  const parts: RealParts = {
    length: real.length,
    directions,
    t,
    realS,
    projections: finite ? sortedProjections(realS, directions) : undefined,
    mmd: finite ? mmdReal(realS, MMD_MAX_POINTS) : undefined,
  };
  realPartsCache.set(real, parts);
  return parts;
}
