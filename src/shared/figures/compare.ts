/**
 * Comparing 2 to 4 runs, pure: the overlaid curves (one colour per run, seeds of one
 * configuration as a mean with a min–max band), the configuration diff, the stability measure
 * and which run is best at each quality metric. The service feeds these from the store
 * (main/service/compare.ts); the renderer draws the model and reads the metric directions.
 */
import { lastPart } from '../claims.js';
import { smoothSeries } from '../smoothing.js';
import type { FigureModelInput, Point, Series } from './model.js';
import { prefersLogScale } from './log-axis.js';

export const RUN_COLORS = ['run0', 'run1', 'run2', 'run3'] as const;
export type RunColor = (typeof RUN_COLORS)[number];

export const LOSS_SERIES = { dLoss: 'D loss', gLoss: 'G loss' } as const;

/** A comparison that cannot be drawn as asked (a run without timing on a time axis). */
export class CompareInputError extends Error {
  override name = 'CompareInputError';
}

// ─── configurations ──────────────────────────────────────────────────────────

/** Dotted path → value as text; objects are walked, arrays and scalars are leaves (arrays as JSON). */
export function flattenConfig(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined && prefix) {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

export interface ConfigDiffRow {
  path: string;
  /** One per configuration, as text; '—' where a configuration lacks the path. */
  values: string[];
}

/** The dotted paths whose values differ between the configurations (the run's name is not configuration). */
export function configDiff(configs: readonly unknown[], ignore: readonly string[] = ['name']): ConfigDiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].filter((p) => !ignore.includes(p));
  const rows: ConfigDiffRow[] = [];
  for (const path of paths) {
    const values = flat.map((f) => f.get(path) ?? '—');
    if (new Set(values).size > 1) rows.push({ path, values });
  }
  return rows;
}

/** Runs whose configurations are the same but for the seed (and name): groups of two or more, in input order. */
export function seedGroups<Id>(runs: ReadonlyArray<{ id: Id; config: unknown }>): Id[][] {
  const byKey = new Map<string, Id[]>();
  for (const run of runs) {
    const flat = flattenConfig(run.config);
    flat.delete('seed');
    flat.delete('name');
    const key = JSON.stringify([...flat.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    byKey.set(key, [...(byKey.get(key) ?? []), run.id]);
  }
  return [...byKey.values()].filter((ids) => ids.length >= 2);
}

const clip = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * What sets a seed group apart from the other runs, for its legend: the differing settings (by
 * their last path segment) of the group's first run, e.g. "lr 0.001 (3 seeds)".
 */
export function seedGroupLabel(diff: readonly ConfigDiffRow[], firstIndex: number, size: number): string {
  const parts = [...new Set(diff.filter((r) => r.path !== 'seed').map((r) => `${r.path.split('.').pop()} ${clip(r.values[firstIndex] ?? '—')}`))];
  const what = parts.length === 0 ? 'one configuration' : parts.length > 2 ? `${parts.slice(0, 2).join(', ')}, …` : parts.join(', ');
  return `${what} (${size} seeds)`;
}

// ─── measures ────────────────────────────────────────────────────────────────

/** Spread (population standard deviation) of the last part of the values; null without a finite one. */
export function lossSpread(values: ReadonlyArray<number | null>): number | null {
  const last = lastPart(values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (last.length === 0) return null;
  const mean = last.reduce((a, b) => a + b, 0) / last.length;
  return Math.sqrt(last.reduce((a, b) => a + (b - mean) ** 2, 0) / last.length);
}

/** Which way each quality metric improves: metric-info.ts's table, kept under its old name here. */
export { METRIC_BETTER } from '../metric-info.js';

/** Indexes of the best values; none when fewer than two values are known or all are equal. */
export function winners(values: ReadonlyArray<number | null | undefined>, better: 'lower' | 'higher'): number[] {
  const known = values.flatMap((v, i) => (v !== null && v !== undefined && Number.isFinite(v) ? [{ v, i }] : []));
  if (known.length < 2) return [];
  const best = better === 'lower' ? Math.min(...known.map((k) => k.v)) : Math.max(...known.map((k) => k.v));
  const top = known.filter((k) => k.v === best).map((k) => k.i);
  return top.length === known.length ? [] : top;
}

// ─── overlaid curves ─────────────────────────────────────────────────────────

/** One run's curve of one quantity over its iterations. */
export interface CompareCurve {
  runId: number;
  name: string;
  color: RunColor;
  msPerIteration: number | null;
  iterations: readonly number[];
  values: ReadonlyArray<number | null>;
}

export interface CompareGroup {
  runIds: readonly number[];
  label: string;
}

export interface CompareCurvesOptions {
  figure: 'losses' | 'metrics';
  /** What is plotted, for the titles: "D loss", or a metric's name. */
  quantity: string;
  smoothing?: number;
  axis?: 'step' | 'time';
  /** Seed groups to draw as a mean with a min–max band instead of one line per run. */
  groups?: readonly CompareGroup[];
  /** A logarithmic y axis: non-positive values cannot be drawn and are left out. Unset: log when the curves span more than two decades. */
  logScale?: boolean;
  /** An iteration (the replay grid's step). */
  cursor?: number;
}

export const TIME_AXIS_TITLE = "time (s, iteration × the run's mean ms/iteration)";

/** The mean and the min–max of curves aligned by iteration (the iterations all of them recorded). */
export function bandOf(curves: ReadonlyArray<Pick<CompareCurve, 'iterations' | 'values'>>): {
  iterations: number[];
  mean: Array<number | null>;
  min: Array<number | null>;
  max: Array<number | null>;
} {
  const maps = curves.map((c) => new Map(c.iterations.map((it, i) => [it, c.values[i] ?? null])));
  const iterations = (curves[0]?.iterations ?? []).filter((it) => maps.every((m) => m.has(it)));
  const mean: Array<number | null> = [];
  const min: Array<number | null> = [];
  const max: Array<number | null> = [];
  for (const it of iterations) {
    const vs = maps.map((m) => m.get(it) ?? null);
    if (vs.some((v) => v === null || !Number.isFinite(v))) {
      mean.push(null);
      min.push(null);
      max.push(null);
      continue;
    }
    const xs = vs as number[];
    mean.push(xs.reduce((a, b) => a + b, 0) / xs.length);
    min.push(Math.min(...xs));
    max.push(Math.max(...xs));
  }
  return { iterations, mean, min, max };
}

function points(xs: readonly number[], ys: ReadonlyArray<number | null>, positiveOnly = false): Array<Point | null> {
  return xs.map((x, i) => {
    const y = ys[i];
    return y === null || y === undefined || !Number.isFinite(y) || (positiveOnly && y <= 0) ? null : { x, y };
  });
}

/** x for each iteration: the iteration itself, or seconds at the given ms per iteration. */
function xsOf(iterations: readonly number[], axis: 'step' | 'time', ms: number): number[] {
  return axis === 'time' ? iterations.map((it) => (it * ms) / 1000) : [...iterations];
}

/**
 * One quantity of 2 to 4 runs overlaid: each run a line in its colour (raw faint under the
 * smoothed line when smoothing > 0), or, for a seed group, the mean line over a min–max band in
 * the colour of the group's first run. x is the iteration, or the time at the run's mean ms per
 * iteration (the store keeps no wall clock per loss record).
 */
export function compareCurvesFigure(curves: readonly CompareCurve[], options: CompareCurvesOptions): FigureModelInput {
  const smoothing = options.smoothing ?? 0;
  const axis = options.axis ?? 'step';
  if (axis === 'time') {
    const untimed = curves.filter((c) => !(c.msPerIteration !== null && c.msPerIteration > 0 && Number.isFinite(c.msPerIteration)));
    if (untimed.length) {
      throw new CompareInputError(`${untimed.map((c) => `"${c.name}"`).join(', ')} ${untimed.length === 1 ? 'has' : 'have'} no recorded time per iteration, so cannot be drawn on a time axis; use the step axis`);
    }
  }
  // losses open on log when they span more than two decades; metrics stay linear unless asked
  const log = options.logScale ?? (options.figure === 'losses' && prefersLogScale(curves.map((c) => c.values)));
  const pts = (xs: readonly number[], ys: ReadonlyArray<number | null>) => points(xs, ys, log);
  const smoothed = (label: string) => (smoothing > 0 ? `${label} (smoothed ${smoothing})` : label);
  const grouped = new Set((options.groups ?? []).flatMap((g) => g.runIds));
  const series: Series[] = [];

  for (const c of curves) {
    if (grouped.has(c.runId)) {
      const group = options.groups!.find((g) => g.runIds.includes(c.runId))!;
      if (group.runIds[0] !== c.runId) continue; // drawn once, at its first run
      const members = group.runIds.map((id) => curves.find((m) => m.runId === id)).filter((m): m is CompareCurve => !!m);
      const band = bandOf(members.map((m) => ({ iterations: m.iterations, values: smoothing > 0 ? smoothSeries(m.values, smoothing) : m.values })));
      const ms = members.reduce((a, m) => a + (m.msPerIteration ?? 0), 0) / members.length;
      const xs = xsOf(band.iterations, axis, ms);
      series.push(
        { label: `${group.label}: min`, color: c.color, style: 'faint', points: pts(xs, band.min), hideInLegend: true },
        { label: smoothed(`${group.label}: min–max band`), color: c.color, style: 'band', points: pts(xs, band.max) },
        { label: smoothed(`${group.label}: mean`), color: c.color, style: 'line', points: pts(xs, band.mean) },
      );
      continue;
    }
    const xs = xsOf(c.iterations, axis, c.msPerIteration ?? 0);
    if (smoothing > 0) {
      series.push({ label: `${c.name} (raw)`, color: c.color, style: 'faint', points: pts(xs, c.values), hideInLegend: true });
      series.push({ label: smoothed(c.name), color: c.color, style: 'line', points: pts(xs, smoothSeries(c.values, smoothing)) });
    } else {
      series.push({ label: c.name, color: c.color, style: 'line', points: pts(xs, c.values) });
    }
  }

  const notes: string[] = [];
  if (grouped.size) notes.push('seeds of one configuration: mean line over a min–max band');
  if (axis === 'time' && options.cursor !== undefined) notes.push('no step cursor on a time axis (a step falls at a different time in each run)');
  return {
    figure: options.figure,
    title: `${options.quantity}: ${curves.length} runs compared`,
    ...(notes.length ? { subtitle: notes.join(' · ') } : {}),
    xTitle: axis === 'time' ? TIME_AXIS_TITLE : 'iteration',
    yTitle: log ? `${options.quantity} (log scale)` : options.quantity,
    yScale: log ? 'logarithmic' : 'linear',
    series,
    ...(options.cursor !== undefined && axis === 'step' ? { cursor: options.cursor } : {}),
  };
}
