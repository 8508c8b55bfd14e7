/**
 * Axis ranges worked out from what a figure plots. A figure whose samples are scatter points
 * carries its ranges (the points are drawn by a layer, not by Chart.js, which would otherwise fit
 * its axes to them), and a run's frames can share one set (figures.model with axes 'run', which
 * Replay and every GIF use).
 */
import type { Bounds, Point } from './model.js';

/** What bounds are read from: a FigureModel, or the input the builders make one from. */
export interface Plotted {
  figure?: string;
  series: ReadonlyArray<{ points: ReadonlyArray<Point | null> }>;
  arrows?: ReadonlyArray<readonly [number, number, number, number]>;
  heatmap?: { bounds: Bounds };
}

/** The extent of what a model plots: its points, arrows and heatmap. */
export function dataBounds(model: Plotted): Bounds | undefined {
  let b: Bounds | undefined;
  const add = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    b = b ? { xMin: Math.min(b.xMin, x), xMax: Math.max(b.xMax, x), yMin: Math.min(b.yMin, y), yMax: Math.max(b.yMax, y) } : { xMin: x, xMax: x, yMin: y, yMax: y };
  };
  for (const s of model.series) for (const p of s.points) if (p) add(p.x, p.y);
  for (const [x0, y0, x1, y1] of model.arrows ?? []) {
    add(x0, y0);
    add(x1, y1);
  }
  if (model.heatmap) {
    add(model.heatmap.bounds.xMin, model.heatmap.bounds.yMin);
    add(model.heatmap.bounds.xMax, model.heatmap.bounds.yMax);
  }
  return b;
}

/** `b` grown by `share` of its size on every side (a flat range by its magnitude, or by 1). */
export function padded(b: Bounds, share: number): Bounds {
  const pad = (lo: number, hi: number) => (hi - lo || Math.max(Math.abs(lo), 1)) * share;
  const px = pad(b.xMin, b.xMax);
  const py = pad(b.yMin, b.yMax);
  return { xMin: b.xMin - px, xMax: b.xMax + px, yMin: b.yMin - py, yMax: b.yMax + py };
}

/** A round step for about `parts` divisions of a span: 1, 2 or 5 times a power of ten. */
function niceStep(span: number, parts: number): number {
  const raw = span / parts;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((k) => k * power >= raw) ?? 10) * power;
}

/** `b` widened to round numbers, so the axes' end ticks read as 10 or 0.5, not 9.3 or -10.27. */
export function rounded(b: Bounds): Bounds {
  const round = (lo: number, hi: number): [number, number] => {
    if (!(hi > lo)) return [lo, hi];
    const step = niceStep(hi - lo, 8);
    return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  };
  const [xMin, xMax] = round(b.xMin, b.xMax);
  const [yMin, yMax] = round(b.yMin, b.yMax);
  return { xMin, xMax, yMin, yMax };
}

/** Round ranges around everything a model plots, with a 5% margin; none for an empty figure. */
export function fittedBounds(model: Plotted): Bounds | undefined {
  const data = dataBounds(model);
  return data && rounded(padded(data, 0.05));
}

/** The data space keeps the data's box, so D's heatmap fills the plot (the recorder's grid). */
const KEEPS_ITS_BOX = new Set(['samples', 'heatmap', 'manifold']);

/**
 * One set of axes for many frames of a figure, so the picture does not jump from step to step:
 * the union of each frame's own bounds (or, for frames without, of its data with a 5% margin),
 * widened to round numbers, except for the data space, whose box is kept exact.
 */
export function sharedBounds(models: ReadonlyArray<Plotted & { bounds?: Bounds | undefined }>): Bounds | undefined {
  let union: Bounds | undefined;
  for (const m of models) {
    const data = dataBounds(m);
    const b = m.bounds ?? (data && padded(data, 0.05));
    if (!b) continue;
    union = union ? { xMin: Math.min(union.xMin, b.xMin), xMax: Math.max(union.xMax, b.xMax), yMin: Math.min(union.yMin, b.yMin), yMax: Math.max(union.yMax, b.yMax) } : b;
  }
  return union && (models.some((m) => m.bounds && KEEPS_ITS_BOX.has(m.figure ?? '')) ? union : rounded(union));
}

/** How many points of one series lie outside a chart's axes. */
export interface OffChart {
  label: string;
  count: number;
}

/**
 * The scatter points and markers of each series that fall outside `b` (a chart draws them as
 * edge markers and says how many, rather than dropping them silently); series with none are left out.
 */
export function offChart(model: Pick<Plotted, 'series'> & { series: ReadonlyArray<{ label: string; style: string; points: ReadonlyArray<Point | null> }> }, b: Bounds): OffChart[] {
  const out: OffChart[] = [];
  for (const s of model.series) {
    if (s.style !== 'points' && s.style !== 'marker') continue;
    let count = 0;
    for (const p of s.points) if (p && !(p.x >= b.xMin && p.x <= b.xMax && p.y >= b.yMin && p.y <= b.yMax)) count++;
    if (count > 0) out.push({ label: s.label, count });
  }
  return out;
}

/** "1 real sample and 2 generated samples off the chart" (empty when nothing is off). */
export function offChartText(off: readonly OffChart[]): string {
  if (off.length === 0) return '';
  const parts = off.map(({ label, count }) => {
    const samples = label.match(/^(.*) samples$/);
    if (samples) return `${count} ${samples[1]} sample${count === 1 ? '' : 's'}`;
    return `${count} point${count === 1 ? '' : 's'} of ${label}`;
  });
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${list} off the chart`;
}
