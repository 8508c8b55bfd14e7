/**
 * Step figures' axes serve the comparison: every phase of one step on one set of axes, samples
 * outside the axes counted instead of dropped, and Replay's view kept in its address.
 */
import { describe, expect, it } from 'vitest';
import { featuresFigure, samplesFigure, type ArrayInput } from '../src/shared/figures/build.js';
import { offChart, offChartText } from '../src/shared/figures/bounds.js';
import { PHASE_CHOICES, type FigureModelInput } from '../src/shared/figures/model.js';
import { formatReplayState, parseReplayState, replayStateOf, withReplayState } from '../src/renderer/lib/replay-state.js';
import { nearestPoint, readoutLines, splitLabel } from '../src/renderer/lib/charts/nearest.js';
import { FigureModelSchema } from '../src/shared/figures/model.js';

const arr = (shape: number[], data: number[]): ArrayInput => ({ shape, data });

/** A step whose phases lie far apart: before D near the origin, after G ten times as wide. */
function spreadPhases() {
  const arrays = new Map<string, ArrayInput>([
    ['real', arr([3, 2], [0, 0, 1, 1, 50, 0])],
    ['fake', arr([3, 2], [0.5, 0.5, -40, 2, 0, 30])],
    ['heatmapBounds', arr([4], [-2, 2, -2, 2])],
    ['heatmap', arr([2, 2], [0, 0.25, 0.5, 1])],
  ]);
  const scale = { 'before-d': 1, 'after-d': 3, 'after-g': 10 };
  for (const [p, k] of Object.entries(scale)) {
    arrays.set(`features.real.${p}`, arr([2, 2], [k, k, 2 * k, -k]));
    arrays.set(`features.fake.${p}`, arr([2, 2], [-k, 0, -3 * k, 2 * k]));
  }
  arrays.set('centroids', arr([3, 2, 2], Object.values(scale).flatMap((k) => [1.5 * k, 0, -2 * k, k])));
  return arrays;
}

describe('one set of axes per step', () => {
  it('gives every phase choice of a step the same axes, covering all three phases', () => {
    const arrays = spreadPhases();
    const bounds = PHASE_CHOICES.map((p) => featuresFigure(5, arrays, p).bounds);
    for (const b of bounds) expect(b).toEqual(bounds[0]);
    const b = bounds[0]!;
    // after G reaches x = 20 and -30, y = 20 and -10: every phase's points are inside.
    expect(b.xMin).toBeLessThanOrEqual(-30);
    expect(b.xMax).toBeGreaterThanOrEqual(20);
    expect(b.yMin).toBeLessThanOrEqual(-10);
    expect(b.yMax).toBeGreaterThanOrEqual(20);
    // and still fit to this step: not wider than twice its data.
    expect(b.xMax - b.xMin).toBeLessThan(100);
  });
});

describe('samples off the chart', () => {
  it('counts the points of each set outside the axes', () => {
    const m = samplesFigure(5, spreadPhases());
    // The data box is [-2, 2]²: the real (50, 0) and the generated (-40, 2) and (0, 30) are outside.
    const off = offChart(m, m.bounds!);
    expect(off).toEqual([
      { label: 'real samples', count: 1 },
      { label: 'generated samples', count: 2 },
    ]);
    expect(offChartText(off)).toBe('1 real sample and 2 generated samples off the chart');
  });

  it('says nothing when every point is on the chart, and ignores legend-only series', () => {
    const m: FigureModelInput = {
      figure: 'samples',
      title: 't',
      xTitle: 'x',
      yTitle: 'y',
      series: [
        { label: 'real samples', color: 'real', style: 'points', points: [{ x: 0, y: 0 }, null] },
        { label: 'D(x)', color: 'heat', style: 'legend', points: [] },
      ],
    };
    const off = offChart(m, { xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
    expect(off).toEqual([]);
    expect(offChartText(off)).toBe('');
  });

  it('names sets that are not samples by their points', () => {
    expect(offChartText([{ label: 'generated (after the G step)', count: 1 }])).toBe('1 point of generated (after the G step) off the chart');
    expect(offChartText([{ label: 'real', count: 3 }])).toBe('3 points of real off the chart');
  });
});

describe("Replay's state in its address", () => {
  it('round-trips step, phase, layers, hold axes and log scales through the hash query', () => {
    const state = { step: 5000, phase: 'overlay-d' as const, layers: { heatmap: true, manifold: false, arrows: true }, holdAxes: true, logScale: true, metricsLog: true };
    const query = formatReplayState(state);
    expect(query).toBe('step=5000&phase=overlay-d&layers=heatmap,arrows&hold=1&log=1&mlog=1');
    expect(parseReplayState(query)).toEqual(state);
  });

  it('reads what is missing or wrong as the defaults', () => {
    expect(parseReplayState('step=abc&phase=sideways&layers=heatmap,bogus')).toEqual({ layers: { heatmap: true, manifold: false, arrows: false } });
    expect(parseReplayState('')).toEqual({});
  });

  it('keeps a log scale turned off apart from one left to the service (unset)', () => {
    expect(formatReplayState({ logScale: false, metricsLog: true })).toBe('log=0&mlog=1');
    expect(parseReplayState('log=0')).toEqual({ logScale: false });
    expect(formatReplayState({})).toBe('');
  });

  it('sits in the hash after the route, which it leaves alone', () => {
    expect(withReplayState('#/replay/3', { step: 40 })).toBe('#/replay/3?step=40');
    expect(withReplayState('#/replay/3?step=40&hold=1', { step: 50 })).toBe('#/replay/3?step=50');
    expect(withReplayState('#/replay/3?step=40', {})).toBe('#/replay/3');
    expect(replayStateOf('#/replay/3?step=40&phase=after-d')).toEqual({ step: 40, phase: 'after-d' });
    expect(replayStateOf('#/replay/3')).toEqual({});
  });
});

describe('the hover read-out of a step chart', () => {
  // Identity axes: one data unit is one pixel.
  const px = (x: number, y: number): [number, number] => [x, y];
  const all = () => true;
  const features = FigureModelSchema.parse(featuresFigure(30, spreadPhases(), 'overlay-g'));

  it("names the nearest point's set, value and phase", () => {
    // after G (k = 10): real (10, 10) and (20, -10); generated (-10, 0), (-30, 20).
    const r = nearestPoint(features, px, all, 19, -9)!;
    expect(r).toMatchObject({ set: 'real', phase: 'after the G step', x: 20, y: -10 });
    expect(readoutLines(r, features.step)).toEqual(['real', '(20, -10)', 'iteration 30, after the G step']);
  });

  it('prefers a centroid marker drawn on top, and finds nothing out of reach or hidden', () => {
    // The generated centroid after the D step is (-6, 3); the generated point after D is (-3, 0).
    expect(nearestPoint(features, px, all, -5, 2)).toMatchObject({ set: 'generated centroid', phase: 'after the D step' });
    expect(nearestPoint(features, px, all, 200, 200)).toBeNull();
    expect(nearestPoint(features, px, () => false, 20, -10)).toBeNull();
  });

  it('reads the phase of a one-phase figure from its subtitle, and none for the data space', () => {
    const one = FigureModelSchema.parse(featuresFigure(30, spreadPhases(), 'before-d'));
    const tenfold = (x: number, y: number): [number, number] => [10 * x, 10 * y];
    expect(nearestPoint(one, tenfold, all, 10, 10)).toMatchObject({ set: 'real', phase: 'before the D step', x: 1, y: 1 });
    const samples = FigureModelSchema.parse(samplesFigure(30, spreadPhases()));
    expect(nearestPoint(samples, px, all, 50, 0)).toMatchObject({ set: 'real samples', phase: null });
    expect(splitLabel('generated, after the G step')).toEqual({ set: 'generated', phase: 'after the G step' });
  });
});
