/**
 * The run's figures, built from its records. Pure: arrays in, a FigureModel out, with every label
 * a reader needs. The service calls these for the screen (figures.model) and for every export;
 * nothing else decides what a figure shows. Array names and shapes: src/main/engine/records.ts.
 */
import { metricLabel } from '../metric-info.js';
import { smoothSeries } from '../smoothing.js';
import { prefersLogScale } from './log-axis.js';
import { fittedBounds } from './bounds.js';
import type { Bounds, FigureModelInput, Layers, PhaseChoice, Point, Series } from './model.js';

export interface ArrayInput {
  shape: readonly number[];
  data: ArrayLike<number | null>;
}
/** One snapshot's arrays by name. */
export type Arrays = ReadonlyMap<string, ArrayInput>;

/** A fixed 2-D projection of D's feature layer (PCA fitted once per run, so axes never jump). */
export interface Projection {
  mean: number[];
  axes: [number[], number[]];
  /** Share of the variance each axis explains, in [0, 1]. */
  explained: [number, number];
}

export const PHASE_LABEL = { 'before-d': 'before the D step', 'after-d': 'after the D step', 'after-g': 'after the G step' } as const;
type Phase = keyof typeof PHASE_LABEL;
const PHASES = Object.keys(PHASE_LABEL) as Phase[];

/** The two phases an overlay shows: across D's step, or across G's step (the tutorial's picture). */
export const OVERLAY_PHASES = { 'overlay-d': ['before-d', 'after-d'], 'overlay-g': ['after-d', 'after-g'] } as const satisfies Record<string, [Phase, Phase]>;

function need(arrays: Arrays, name: string): ArrayInput {
  const a = arrays.get(name);
  if (!a) throw new Error(`the snapshot lacks the array ${name}`);
  return a;
}

/** Rows of an [n, w] array, each projected to a point; rows with a gap are left out. */
export function projectRows(a: ArrayInput, projection?: Projection): Point[] {
  const w = a.shape[1] ?? 1;
  const out: Point[] = [];
  const row = new Array<number>(w);
  outer: for (let i = 0; i + w <= a.data.length; i += w) {
    for (let j = 0; j < w; j++) {
      const v = a.data[i + j];
      if (v === null || v === undefined || !Number.isFinite(v)) continue outer;
      row[j] = v;
    }
    out.push(projectVector(row, projection));
  }
  return out;
}

export function projectVector(v: ArrayLike<number>, projection?: Projection): Point {
  if (!projection) return { x: v[0] ?? 0, y: v.length > 1 ? (v[1] ?? 0) : 0 };
  let x = 0;
  let y = 0;
  for (let j = 0; j < projection.mean.length; j++) {
    const c = (v[j] ?? 0) - projection.mean[j]!;
    x += c * projection.axes[0][j]!;
    y += c * projection.axes[1][j]!;
  }
  return { x, y };
}

function centroid(c: ArrayInput, phase: Phase, set: 'real' | 'fake', projection?: Projection): Point | null {
  const w = c.shape[2] ?? 1;
  const offset = (PHASES.indexOf(phase) * 2 + (set === 'real' ? 0 : 1)) * w;
  const v: number[] = [];
  for (let j = 0; j < w; j++) {
    const x = c.data[offset + j];
    if (x === null || x === undefined || !Number.isFinite(x)) return null;
    v.push(x);
  }
  return projectVector(v, projection);
}

function featureAxes(width: number, projection?: Projection): { xTitle: string; yTitle: string; note?: string } {
  if (projection) {
    const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
    return {
      xTitle: `PC 1 (${pct(projection.explained[0])} of variance)`,
      yTitle: `PC 2 (${pct(projection.explained[1])} of variance)`,
      note: `feature layer is ${width}-D: PCA projection fitted once on the whole run`,
    };
  }
  if (width === 1) return { xTitle: 'feature 1', yTitle: '(1-D feature layer)' };
  return { xTitle: 'feature 1', yTitle: 'feature 2' };
}

export interface LossInput {
  iterations: readonly number[];
  dLoss: ReadonlyArray<number | null>;
  gLoss: ReadonlyArray<number | null>;
}

export interface LossOptions {
  /** TensorBoard-style smoothing weight in [0, 1). */
  smoothing?: number;
  /** The loss's balance values (D(x) = 1/2 everywhere), drawn as dashed lines. */
  balance?: { d: number; g: number };
  logScale?: boolean;
  cursor?: number;
  title?: string;
}

function curve(xs: readonly number[], ys: ReadonlyArray<number | null>, positiveOnly: boolean): Array<Point | null> {
  return xs.map((x, i) => {
    const y = ys[i];
    return y === null || y === undefined || !Number.isFinite(y) || (positiveOnly && y <= 0) ? null : { x, y };
  });
}

/** D's and G's loss over the iterations (the tutorial's first picture). */
export function lossesFigure(losses: LossInput, options: LossOptions = {}): FigureModelInput {
  const smoothing = options.smoothing ?? 0;
  const log = options.logScale ?? prefersLogScale([losses.dLoss, losses.gLoss]);
  const series: Series[] = [];
  for (const [key, label, color] of [['dLoss', 'D loss', 'dLoss'], ['gLoss', 'G loss', 'gLoss']] as const) {
    const raw = losses[key];
    if (smoothing > 0) {
      series.push({ label: `${label} (raw)`, color, style: 'faint', points: curve(losses.iterations, raw, log), hideInLegend: true });
      series.push({ label: `${label} (smoothed ${smoothing})`, color, style: 'line', points: curve(losses.iterations, smoothSeries(raw, smoothing), log) });
    } else {
      series.push({ label, color, style: 'line', points: curve(losses.iterations, raw, log) });
    }
  }
  const first = losses.iterations[0] ?? 0;
  const last = losses.iterations[losses.iterations.length - 1] ?? first;
  if (options.balance) {
    series.push({ label: `D loss at balance: ${options.balance.d.toFixed(3)}`, color: 'dLoss', style: 'line', dashed: true, points: [{ x: first, y: options.balance.d }, { x: last, y: options.balance.d }] });
    series.push({ label: `G loss at balance: ${options.balance.g.toFixed(3)}`, color: 'gLoss', style: 'line', dashed: true, points: [{ x: first, y: options.balance.g }, { x: last, y: options.balance.g }] });
  }
  return {
    figure: 'losses',
    title: options.title ?? 'Losses',
    xTitle: 'iteration',
    yTitle: log ? 'loss (log scale)' : 'loss',
    yScale: log ? 'logarithmic' : 'linear',
    series,
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
  };
}

function boundsOf(a: ArrayInput | undefined): Bounds | undefined {
  if (!a || a.data.length < 4) return undefined;
  const [xMin, xMax, yMin, yMax] = [0, 1, 2, 3].map((i) => a.data[i]);
  if ([xMin, xMax, yMin, yMax].some((v) => v === null || v === undefined || !Number.isFinite(v))) return undefined;
  return { xMin: xMin!, xMax: xMax!, yMin: yMin!, yMax: yMax! };
}

/** G's image of the noise grid as grid lines: rows then columns, a null between lines. */
function manifoldLines(m: ArrayInput): Array<Point | null> {
  const [rows = 0, cols = 0] = m.shape;
  const at = (i: number, j: number): Point | null => {
    const k = (i * cols + j) * 2;
    const x = m.data[k];
    const y = m.data[k + 1];
    return x === null || y === null || x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y) ? null : { x, y };
  };
  const out: Array<Point | null> = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out.push(at(i, j));
    out.push(null);
  }
  if (cols > 1) {
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) out.push(at(i, j));
      out.push(null);
    }
  }
  return out;
}

/**
 * The data space at one step: the fixed real batch against G's samples (the tutorial's second
 * picture), with D's heatmap, G's manifold and the gradient arrows as optional layers. The
 * `heatmap` and `manifold` figures are this one with that layer on.
 */
export function samplesFigure(step: number, arrays: Arrays, layers: Partial<Layers> = {}, kind: 'samples' | 'heatmap' | 'manifold' = 'samples'): FigureModelInput {
  const on = { heatmap: kind === 'heatmap' || !!layers.heatmap, manifold: kind === 'manifold' || !!layers.manifold, arrows: !!layers.arrows };
  const real = projectRows(need(arrays, 'real'));
  const fake = projectRows(need(arrays, 'fake'));
  const series: Series[] = [
    { label: 'real samples', color: 'real', style: 'points', points: real },
    { label: 'generated samples', color: 'fake', style: 'points', points: fake },
  ];
  const model: FigureModelInput = {
    figure: kind,
    title: { samples: 'Real vs generated samples', heatmap: "D's output over the data space", manifold: "G's manifold" }[kind],
    subtitle: `iteration ${step}`,
    xTitle: 'x',
    yTitle: 'y',
    series,
    step,
  };
  const heatBounds = boundsOf(arrays.get('heatmapBounds'));
  if (heatBounds) model.bounds = heatBounds;
  if (on.heatmap) {
    const h = need(arrays, 'heatmap');
    if (!heatBounds) throw new Error('the snapshot lacks the array heatmapBounds');
    model.heatmap = { res: h.shape[0] ?? 1, values: Array.from(h.data, (v) => (v === null || !Number.isFinite(v) ? null : v)), bounds: heatBounds };
    series.unshift({ label: 'D(x): purple 0 → white 0.5 → green 1', color: 'heat', style: 'legend', points: [] });
  }
  if (on.manifold) {
    series.push({ label: 'G manifold (noise grid)', color: 'manifold', style: 'line', points: manifoldLines(need(arrays, 'manifold')) });
  }
  if (on.arrows) {
    const grad = need(arrays, 'arrows');
    const g = projectRows(grad);
    // Arrows are drawn to a common length so their directions read at any gradient size: the
    // longest is 6% of the box, measured in each axis's own span (the data's x and y ranges can
    // differ a hundredfold, and one span for both sent arrows far off the chart).
    const sx = heatBounds ? heatBounds.xMax - heatBounds.xMin : 1;
    const sy = heatBounds ? heatBounds.yMax - heatBounds.yMin : 1;
    const longest = Math.max(1e-12, ...g.map((p) => Math.hypot(p.x / sx, p.y / sy)));
    const scale = 0.06 / longest;
    model.arrows = fake.slice(0, g.length).map((p, i) => [p.x, p.y, p.x + g[i]!.x * scale, p.y + g[i]!.y * scale]);
    series.push({ label: 'dD/dx at generated samples', color: 'arrow', style: 'legend', points: [] });
  }
  return withBounds(model);
}

/**
 * `model` with round axis ranges around what it plots, unless it has its own: a step figure's
 * data are drawn as a layer (chart-layers.ts), so Chart.js does not fit its axes to them.
 */
function withBounds(model: FigureModelInput): FigureModelInput {
  const bounds = model.bounds ?? fittedBounds(model);
  return bounds ? { ...model, bounds } : model;
}

/**
 * D's feature space at one step: at one phase, or two phases overlaid with their centroids
 * (the tutorial's picture before and after the G step, and the exercise's D step).
 */
export function featuresFigure(step: number, arrays: Arrays, phase: PhaseChoice, projection?: Projection): FigureModelInput {
  const width = need(arrays, 'features.real.after-g').shape[1] ?? 1;
  const axes = featureAxes(width, projection);
  const phases: Phase[] = phase === 'overlay-d' || phase === 'overlay-g' ? [...OVERLAY_PHASES[phase]] : [phase];
  const c = arrays.get('centroids');
  const series: Series[] = [];
  phases.forEach((p, i) => {
    const when = phases.length > 1 ? ` (${PHASE_LABEL[p]})` : '';
    series.push(
      { label: `real${when}`, color: i === 0 ? 'real' : 'realAlt', style: 'points', shape: i === 0 ? 'circle' : 'triangle', points: projectRows(need(arrays, `features.real.${p}`), projection) },
      { label: `generated${when}`, color: i === 0 ? 'fake' : 'fakeAlt', style: 'points', shape: i === 0 ? 'circle' : 'triangle', points: projectRows(need(arrays, `features.fake.${p}`), projection) },
    );
  });
  if (c) {
    phases.forEach((p, i) => {
      const when = phases.length > 1 ? ` (${PHASE_LABEL[p]})` : '';
      const r = centroid(c, p, 'real', projection);
      const f = centroid(c, p, 'fake', projection);
      if (r) series.push({ label: `real centroid${when}`, color: i === 0 ? 'real' : 'realAlt', style: 'marker', shape: 'rectRot', points: [r] });
      if (f) series.push({ label: `generated centroid${when}`, color: i === 0 ? 'fake' : 'fakeAlt', style: 'marker', shape: 'rectRot', points: [f] });
    });
  }
  const shown = phases.length > 1 ? `${PHASE_LABEL[phases[0]!]} and ${PHASE_LABEL[phases[1]!]}` : PHASE_LABEL[phases[0]!];
  return {
    figure: 'features',
    title: "D's feature space",
    subtitle: [`iteration ${step}, ${shown}`, axes.note].filter(Boolean).join(' · '),
    xTitle: axes.xTitle,
    yTitle: axes.yTitle,
    series,
    step,
    ...stepPhasesBounds(arrays, projection),
  };
}

/**
 * One set of axes for every phase of a step (before D, after D, after G, both overlays): fitted
 * to all three phases' features and centroids, so switching the phase never moves the axes and a
 * before/after pair is read on identical axes.
 */
function stepPhasesBounds(arrays: Arrays, projection?: Projection): { bounds?: Bounds } {
  const c = arrays.get('centroids');
  const all: Array<{ points: Array<Point | null> }> = [];
  for (const p of PHASES) {
    for (const set of ['real', 'fake'] as const) {
      const a = arrays.get(`features.${set}.${p}`);
      if (a) all.push({ points: projectRows(a, projection) });
      if (c) all.push({ points: [centroid(c, p, set, projection)] });
    }
  }
  const bounds = fittedBounds({ series: all });
  return bounds ? { bounds } : {};
}

export interface CentroidStep {
  step: number;
  centroids: ArrayInput;
}

/**
 * The centroids of real and generated features at the current step (all three phases) and their
 * trajectories over every step up to it (after the G step).
 */
export function centroidsFigure(steps: readonly CentroidStep[], current: number, projection?: Projection): FigureModelInput {
  const upTo = steps.filter((s) => s.step <= current);
  const now = upTo[upTo.length - 1];
  const width = now?.centroids.shape[2] ?? steps[0]?.centroids.shape[2] ?? 2;
  const axes = featureAxes(width, projection);
  const series: Series[] = [
    { label: 'real centroid path (after G step)', color: 'real', style: 'line', radius: 2, points: upTo.map((s) => centroid(s.centroids, 'after-g', 'real', projection)) },
    { label: 'generated centroid path (after G step)', color: 'fake', style: 'line', radius: 2, points: upTo.map((s) => centroid(s.centroids, 'after-g', 'fake', projection)) },
  ];
  if (now) {
    const shapes = { 'before-d': 'circle', 'after-d': 'triangle', 'after-g': 'rectRot' } as const;
    for (const p of PHASES) {
      const r = centroid(now.centroids, p, 'real', projection);
      const f = centroid(now.centroids, p, 'fake', projection);
      if (r) series.push({ label: `real, ${PHASE_LABEL[p]}`, color: p === 'after-g' ? 'real' : 'realAlt', style: 'marker', shape: shapes[p], points: [r] });
      if (f) series.push({ label: `generated, ${PHASE_LABEL[p]}`, color: p === 'after-g' ? 'fake' : 'fakeAlt', style: 'marker', shape: shapes[p], points: [f] });
    }
  }
  return withBounds({
    figure: 'centroids',
    title: 'Centroids of D’s features',
    subtitle: [`iteration ${now?.step ?? current}; paths over ${upTo.length} snapshot${upTo.length === 1 ? '' : 's'}`, axes.note].filter(Boolean).join(' · '),
    xTitle: axes.xTitle,
    yTitle: axes.yTitle,
    series,
    step: now?.step ?? current,
  });
}

export interface MetricPoint {
  iteration: number;
  metrics: Readonly<Record<string, number | null>>;
}

/** The quality metrics over the run (the claims' measures are left to the claims strip). */
export function metricsFigure(points: readonly MetricPoint[], options: { cursor?: number; logScale?: boolean } = {}): FigureModelInput {
  const names = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))].filter((n) => !n.startsWith('claim.')).sort();
  // Unset: a log axis when the curves shown span more than two decades (as the losses).
  const log = options.logScale ?? prefersLogScale(names.slice(0, 6).map((n) => points.map((p) => p.metrics[n])));
  const series: Series[] = names.slice(0, 6).map((name, i) => ({
    label: metricLabel(name),
    color: `metric${i}` as Series['color'],
    style: 'line',
    points: points.map((p) => {
      const v = p.metrics[name];
      return v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0) ? null : { x: p.iteration, y: v };
    }),
  }));
  return {
    figure: 'metrics',
    title: 'Quality metrics',
    ...(names.length > 6 ? { subtitle: `first 6 of ${names.length} metrics` } : {}),
    xTitle: 'iteration',
    yTitle: log ? 'value (log scale)' : 'value',
    yScale: log ? 'logarithmic' : 'linear',
    series,
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
  };
}
