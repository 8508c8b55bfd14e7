/**
 * The hover read-out of a step figure: the point nearest the pointer, with its value, its set and
 * its phase. A step figure's points are drawn by the layer plugins, not as Chart.js elements (see
 * shared/figures/chart-layers.ts: that is what keeps a scrubbed frame cheap), so Chart.js's
 * tooltip has nothing to find; this searches the model's points in pixel space instead.
 */
import type { FigureModel } from '../../../shared/figures/model.js';
import { formatNumber } from '../format.js';

export interface Readout {
  /** The series the point belongs to, without its phase ("generated", "real centroid"). */
  set: string;
  /** The phase of the iteration the point was measured at, when the figure has phases. */
  phase: string | null;
  x: number;
  y: number;
  /** Where it is drawn, in CSS pixels of the chart. */
  px: number;
  py: number;
}

/** "generated (after the G step)" and "real, before the D step" name a set and a phase. */
export function splitLabel(label: string): { set: string; phase: string | null } {
  const paren = /^(.*) \(([^()]+)\)$/.exec(label);
  if (paren) return { set: paren[1]!, phase: paren[2]! };
  const comma = /^(real|generated), (.+)$/.exec(label);
  if (comma) return { set: comma[1]!, phase: comma[2]! };
  return { set: label, phase: null };
}

/** The phase a one-phase feature figure shows, from its subtitle ("iteration 30, after the G step"). */
function subtitlePhase(model: FigureModel): string | null {
  if (model.figure !== 'features') return null;
  const m = /^iteration \d+, ([^·]+?)(?: · |$)/.exec(model.subtitle ?? '');
  return m ? m[1]!.trim() : null;
}

/**
 * The visible point of a scatter, marker or dotted-line series nearest to (px, py), if one lies
 * within `reach` pixels; markers (centroids) win ties, being drawn on top.
 */
export function nearestPoint(
  model: FigureModel,
  toPixel: (x: number, y: number) => [number, number],
  visible: (seriesIndex: number) => boolean,
  px: number,
  py: number,
  reach = 16,
): Readout | null {
  let best: { d: number; series: number; x: number; y: number; px: number; py: number } | null = null;
  model.series.forEach((s, i) => {
    const dotted = s.style === 'points' || s.style === 'marker' || (s.style === 'line' && (s.radius ?? 0) > 0);
    if (!dotted || !visible(i)) return;
    const bonus = s.style === 'marker' ? 4 : 0;
    for (const p of s.points) {
      if (!p) continue;
      const [qx, qy] = toPixel(p.x, p.y);
      const d = Math.hypot(qx - px, qy - py) - bonus;
      if (d <= reach && (!best || d < best.d)) best = { d, series: i, x: p.x, y: p.y, px: qx, py: qy };
    }
  });
  if (!best) return null;
  const found: { series: number; x: number; y: number; px: number; py: number } = best;
  const { set, phase } = splitLabel(model.series[found.series]!.label);
  return { set, phase: phase ?? subtitlePhase(model), x: found.x, y: found.y, px: found.px, py: found.py };
}

/** The read-out's lines: the set, the value, and when it was measured. */
export function readoutLines(r: Readout, step: number | undefined): string[] {
  const when = [step !== undefined ? `iteration ${step}` : null, r.phase].filter(Boolean).join(', ');
  return [r.set, `(${formatNumber(r.x)}, ${formatNumber(r.y)})`, ...(when ? [when] : [])];
}
