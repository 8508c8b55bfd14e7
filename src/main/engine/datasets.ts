/**
 * The 2-D data sets of docs/spec-notes.md ("Data sets"). Every sampler draws only from the uniform source it
 * is given, so a run's real data are reproducible from its seed. Each kind consumes a fixed number
 * of uniform draws per sample, always in the same order (documented per kind below), so a prefix
 * of a stream is a prefix of the samples.
 */
import type { DatasetConfig, DatasetKind, QuadraticCoefficients } from '../../shared/config.js';
import { compileFormula } from './formula.js';

/** A data set that cannot be built or read as configured: the user's to fix, shown as one line. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

export interface Curve {
  f: (x: number) => number;
}
export interface Mode {
  x: number;
  y: number;
}
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
export interface Dataset {
  kind: DatasetKind;
  /** Fills n samples [n,2] row-major, using only the given uniform source (values in [0,1)). */
  sample(n: number, uniform: () => number): Float32Array;
  /** Bounding box of the real data (for heatmap grids and plots), without margin. */
  bounds: Bounds;
  /** Curve sets (quadratic, two-curves, formula): the curves and x domain; undefined otherwise. */
  curves?: { curves: Curve[]; xMin: number; xMax: number; yRange: number };
  /** Mixture sets (ring, grid): mode centres and std; undefined otherwise. */
  mixture?: { modes: Mode[]; std: number };
}

/** Number of probes (plus the exact endpoints) used to find a curve's y range numerically. */
const RANGE_PROBES = 1001;
/** Number of probes at which a typed formula must be finite. */
const FINITE_PROBES = 101;
/** A formula sample whose y is not finite is redrawn at most this many times. */
const MAX_REDRAWS = 1000;

/**
 * One standard normal pair by Box–Muller. Uses 1 - u so the logarithm's argument is in (0, 1]
 * (the source gives [0, 1)), which keeps it finite. Consumes two uniforms.
 */
function normalPair(uniform: () => number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(1 - uniform()));
  const t = 2 * Math.PI * uniform();
  return [r * Math.cos(t), r * Math.sin(t)];
}

/** floor(u * count), clamped: float rounding in u * count must never give index === count. */
function pick(uniform: () => number, count: number): number {
  return Math.min(count - 1, Math.floor(uniform() * count));
}

function quadratic(c: QuadraticCoefficients): Curve {
  // Written as c + b x + a x x so the default (a 1, b 0, c 10) gives exactly the tutorial's 10 + x*x.
  return { f: (x) => c.c + c.b * x + c.a * x * x };
}

/** Min and max of the curves over [xMin, xMax]: probes, both endpoints, and any extra x (vertices). */
function curveYRange(curves: Curve[], xMin: number, xMax: number, extra: number[] = []): { yMin: number; yMax: number } {
  let yMin = Infinity;
  let yMax = -Infinity;
  const xs = [xMin, xMax, ...extra.filter((x) => x >= xMin && x <= xMax)];
  for (let i = 0; i < RANGE_PROBES; i++) xs.push(xMin + ((xMax - xMin) * i) / (RANGE_PROBES - 1));
  for (const curve of curves) {
    for (const x of xs) {
      const y = curve.f(x);
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  return { yMin, yMax };
}

function curveSet(
  kind: DatasetKind,
  curves: Curve[],
  xMin: number,
  xMax: number,
  vertices: number[],
  sampleOne: (i: number, uniform: () => number) => [number, number],
): Dataset {
  const { yMin, yMax } = curveYRange(curves, xMin, xMax, vertices);
  return {
    kind,
    sample: fill(sampleOne),
    bounds: { xMin, xMax, yMin, yMax },
    curves: { curves, xMin, xMax, yRange: yMax - yMin },
  };
}

function fill(sampleOne: (i: number, uniform: () => number) => [number, number]) {
  return (n: number, uniform: () => number): Float32Array => {
    if (!Number.isInteger(n) || n < 0) throw new Error(`dataset: sample count must be a non-negative integer, got ${n}`);
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const [x, y] = sampleOne(i, uniform);
      out[2 * i] = x;
      out[2 * i + 1] = y;
    }
    return out;
  };
}

/** Isotropic Gaussians with equal weights; 3 uniforms per sample: component, then the normal pair. */
function gaussianMixture(kind: DatasetKind, centres: Mode[], std: number, exposeMixture: boolean): Dataset {
  const ds: Dataset = {
    kind,
    sample: fill((_i, uniform) => {
      const m = centres[pick(uniform, centres.length)]!;
      const [zx, zy] = normalPair(uniform);
      return [m.x + std * zx, m.y + std * zy];
    }),
    bounds: boxAround(centres, 3 * std),
  };
  // The mode metrics (docs/spec-notes.md, "Quality metrics") are defined for ring and grid only; the simple sets are not scored that way.
  if (exposeMixture) ds.mixture = { modes: centres, std };
  return ds;
}

function boxAround(points: Mode[], margin: number): Bounds {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const p of points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
    yMin = Math.min(yMin, p.y);
    yMax = Math.max(yMax, p.y);
  }
  return { xMin: xMin - margin, xMax: xMax + margin, yMin: yMin - margin, yMax: yMax + margin };
}

const toMode = ([x, y]: readonly [number, number]): Mode => ({ x, y });

export function makeDataset(config: DatasetConfig): Dataset {
  switch (config.kind) {
    case 'quadratic': {
      // One uniform per sample, exactly the tutorial's x = scale * (U[0,1) - 0.5).
      const { scale } = config;
      const curve = quadratic(config.coefficients);
      const { a, b } = config.coefficients;
      return curveSet('quadratic', [curve], -scale / 2, scale / 2, a !== 0 ? [-b / (2 * a)] : [], (_i, uniform) => {
        const x = scale * (uniform() - 0.5);
        return [x, curve.f(x)];
      });
    }
    case 'two-curves': {
      // Sample i lies on curve 1 when i is even and on curve 2 when odd: every batch, and every prefix
      // of one (metrics use the first rows), is split half/half; curve 1 gets ceil(n/2) when n is odd.
      // One uniform per sample, for x, as in the quadratic set.
      const { scale } = config;
      const curves = [quadratic(config.curve1), quadratic(config.curve2)];
      const vertices = [config.curve1, config.curve2].filter((c) => c.a !== 0).map((c) => -c.b / (2 * c.a));
      return curveSet('two-curves', curves, -scale / 2, scale / 2, vertices, (i, uniform) => {
        const x = scale * (uniform() - 0.5);
        return [x, curves[i % 2]!.f(x)];
      });
    }
    case 'formula': {
      const { xMin, xMax } = config;
      if (!(Number.isFinite(xMin) && Number.isFinite(xMax) && xMin < xMax)) {
        throw new DatasetError(`formula: the x domain needs xMin < xMax, got [${xMin}, ${xMax}]`);
      }
      const f = compileFormula(config.expression);
      for (let i = 0; i < FINITE_PROBES; i++) {
        const x = xMin + ((xMax - xMin) * i) / (FINITE_PROBES - 1);
        if (!Number.isFinite(f(x))) throw new DatasetError(`formula: f(x) is not finite at x = ${x}`);
      }
      // A non-finite y between the probes (e.g. 1/(x - 0.3)) is redrawn rather than fed to training;
      // that uses extra uniforms but stays deterministic. A formula that keeps failing is an error.
      return curveSet('formula', [{ f }], xMin, xMax, [], (_i, uniform) => {
        for (let tries = 0; tries < MAX_REDRAWS; tries++) {
          const x = xMin + (xMax - xMin) * uniform();
          const y = f(x);
          if (Number.isFinite(y)) return [x, y];
        }
        throw new DatasetError(`formula: f(x) is not finite at ${MAX_REDRAWS} random x in a row`);
      });
    }
    case 'ring': {
      const { modes: k, radius, std } = config;
      const modes: Mode[] = [];
      for (let i = 0; i < k; i++) {
        const angle = (2 * Math.PI * i) / k;
        modes.push({ x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
      }
      return gaussianMixture('ring', modes, std, true);
    }
    case 'grid': {
      // Mode index m = row * side + column; column m % side is the x offset, row the y offset.
      const { side, spacing, std } = config;
      const modes: Mode[] = [];
      const offset = (i: number) => spacing * (i - (side - 1) / 2);
      for (let row = 0; row < side; row++) {
        for (let col = 0; col < side; col++) modes.push({ x: offset(col), y: offset(row) });
      }
      return gaussianMixture('grid', modes, std, true);
    }
    case 'line': {
      // Isotropic jitter: 3 uniforms per sample, t along the segment, then the normal pair.
      const [fx, fy] = config.from;
      const [tx, ty] = config.to;
      const { std } = config;
      return {
        kind: 'line',
        sample: fill((_i, uniform) => {
          const t = uniform();
          const [zx, zy] = normalPair(uniform);
          return [fx + t * (tx - fx) + std * zx, fy + t * (ty - fy) + std * zy];
        }),
        bounds: boxAround([toMode(config.from), toMode(config.to)], 3 * std),
      };
    }
    case 'two-gaussians':
      return gaussianMixture('two-gaussians', config.centers.map(toMode), config.std, false);
    case 'disjoint':
      return gaussianMixture('disjoint', config.centers.map(toMode), config.std, false);
    case 'points': {
      // With replacement; 3 uniforms per sample (index, normal pair) even when jitter is 0.
      const points = config.points.map(toMode);
      const { jitter } = config;
      if (points.length < 1) throw new DatasetError('points: the data set has no points');
      return {
        kind: 'points',
        sample: fill((_i, uniform) => {
          const p = points[pick(uniform, points.length)]!;
          const [zx, zy] = normalPair(uniform);
          return [p.x + jitter * zx, p.y + jitter * zy];
        }),
        // Min/max of the points, widened by 3 jitter std like the mixtures (nothing when jitter is 0).
        bounds: boxAround(points, 3 * jitter),
      };
    }
  }
}

const NUMBER_FIELD = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_POINTS = 100_000;

/**
 * Parses x,y points. The separator is chosen from the first non-blank line: tab if it has one,
 * else semicolon, else comma. With a semicolon separator a decimal comma ("1,5") is accepted, as
 * spreadsheets in many locales write it. The first non-blank line may be a header (any row whose
 * two fields are not both numbers); after it, every non-blank row must be exactly two numbers.
 */
export function parsePointsCsv(text: string): Array<[number, number]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined) throw new DatasetError('points CSV: the file is empty');
  const sep = first.includes('\t') ? '\t' : first.includes(';') ? ';' : ',';
  const points: Array<[number, number]> = [];
  let seenFirst = false;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trim();
    if (line === '') continue;
    const fields = line.split(sep).map((s) => {
      const t = s.trim();
      return sep === ';' ? t.replace(',', '.') : t;
    });
    const isFirst = !seenFirst;
    seenFirst = true;
    const numeric = fields.length === 2 && fields.every((s) => NUMBER_FIELD.test(s));
    if (!numeric) {
      if (isFirst && fields.length === 2) continue; // header row
      const why = fields.length !== 2 ? `expected 2 fields (x${sep === '\t' ? '<tab>' : sep}y), got ${fields.length}` : 'expected two numbers';
      throw new DatasetError(`points CSV: line ${li + 1}: ${why}: ${JSON.stringify(lines[li]!.trim().slice(0, 80))}`);
    }
    const x = Number(fields[0]);
    const y = Number(fields[1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new DatasetError(`points CSV: line ${li + 1}: number out of range: ${JSON.stringify(line.slice(0, 80))}`);
    }
    points.push([x, y]);
    if (points.length > MAX_POINTS) throw new DatasetError(`points CSV: more than ${MAX_POINTS} points`);
  }
  if (points.length < 2) throw new DatasetError(`points CSV: need at least 2 points, found ${points.length}`);
  return points;
}
