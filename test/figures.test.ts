/**
 * The figures, said once: builders from made-up records (so each expectation is known by hand),
 * the Chart.js configuration they all draw through, and the per-run PCA projection.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureModel, runProjection } from '../src/main/service/figures.js';
import { openStore } from '../src/main/store/index.js';
import { centroidsFigure, featuresFigure, lossesFigure, metricsFigure, projectVector, samplesFigure, type ArrayInput } from '../src/shared/figures/build.js';
import { sharedBounds } from '../src/shared/figures/bounds.js';
import { toChartConfig } from '../src/shared/figures/chart-config.js';
import { FigureModelSchema, type FigureModelInput } from '../src/shared/figures/model.js';
import { LIGHT } from '../src/shared/figures/palette.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const arr = (shape: number[], data: number[]): ArrayInput => ({ shape, data });
const labels = (m: FigureModelInput) => m.series.map((s) => s.label);
const pointsOf = (m: FigureModelInput, label: string) => m.series.find((s) => s.label === label)?.points;

/** A 2-sample snapshot with 2-D features whose every number says where it came from. */
function snapshot() {
  const phases = ['before-d', 'after-d', 'after-g'];
  const arrays = new Map<string, ArrayInput>([
    ['real', arr([2, 2], [1, 2, 3, 4])],
    ['fake', arr([2, 2], [5, 6, 7, 8])],
    ['heatmapBounds', arr([4], [-10, 10, -5, 5])],
    ['heatmap', arr([2, 2], [0, 0.25, 0.5, 1])],
    ['manifold', arr([2, 3, 2], [0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 2])],
    ['arrows', arr([2, 2], [1, 0, 0, 2])],
  ]);
  phases.forEach((p, i) => {
    arrays.set(`features.real.${p}`, arr([2, 2], [i, 10 + i, i, 20 + i]));
    arrays.set(`features.fake.${p}`, arr([2, 2], [100 + i, 0, 200 + i, 0]));
  });
  // centroids [3 phases, 2 sets, 2]: phase i real = (i, 15+i), fake = (150+i, 0)
  arrays.set('centroids', arr([3, 2, 2], phases.flatMap((_, i) => [i, 15 + i, 150 + i, 0])));
  return arrays;
}

describe('samples figure and its layers', () => {
  it('plots the real batch against the generated samples, in the heatmap bounds', () => {
    const m = samplesFigure(40, snapshot());
    expect(labels(m)).toEqual(['real samples', 'generated samples']);
    expect(pointsOf(m, 'real samples')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(m.bounds).toEqual({ xMin: -10, xMax: 10, yMin: -5, yMax: 5 });
    expect(m.subtitle).toBe('iteration 40');
    expect(m.heatmap).toBeUndefined();
    expect(m.arrows).toBeUndefined();
  });

  it('adds the heatmap, the manifold grid lines and the gradient arrows when switched on', () => {
    const m = samplesFigure(40, snapshot(), { heatmap: true, manifold: true, arrows: true });
    expect(m.heatmap).toEqual({ res: 2, values: [0, 0.25, 0.5, 1], bounds: { xMin: -10, xMax: 10, yMin: -5, yMax: 5 } });
    const grid = pointsOf(m, 'G manifold (noise grid)')!;
    // 2 rows of 3 points and 3 columns of 2, each line ended by a null.
    expect(grid).toHaveLength(2 * 4 + 3 * 3);
    expect(grid.slice(0, 4)).toEqual([{ x: 0, y: 0 }, { x: 0, y: 1 }, { x: 0, y: 2 }, null]);
    expect(m.arrows).toHaveLength(2);
    // Arrows start at the generated samples and point along the gradient.
    expect(m.arrows![0]!.slice(0, 2)).toEqual([5, 6]);
    expect(m.arrows![0]![3]).toBeCloseTo(6);
    expect(m.arrows![0]![2]).toBeGreaterThan(5);
    expect(m.arrows![1]![2]).toBeCloseTo(7);
    expect(m.arrows![1]![3]).toBeGreaterThan(8);
    expect(labels(m)).toEqual(expect.arrayContaining(['D(x): purple 0 → white 0.5 → green 1', 'dD/dx at generated samples']));
  });

  it('the heatmap and manifold figures are the samples with that layer on', () => {
    expect(samplesFigure(0, snapshot(), {}, 'heatmap').heatmap).toBeDefined();
    expect(labels(samplesFigure(0, snapshot(), {}, 'manifold'))).toContain('G manifold (noise grid)');
    expect(labels(samplesFigure(0, snapshot(), {}, 'heatmap'))).not.toContain('G manifold (noise grid)');
  });
});

describe('feature space', () => {
  it('shows one phase with its centroids from the recorded centroids array', () => {
    const m = featuresFigure(7, snapshot(), 'after-d');
    expect(pointsOf(m, 'real')).toEqual([{ x: 1, y: 11 }, { x: 1, y: 21 }]);
    expect(pointsOf(m, 'real centroid')).toEqual([{ x: 1, y: 16 }]);
    expect(pointsOf(m, 'generated centroid')).toEqual([{ x: 151, y: 0 }]);
    expect(m.subtitle).toBe('iteration 7, after the D step');
    expect(m.xTitle).toBe('feature 1');
  });

  it("overlays two phases: across the G step (the tutorial's picture) and across the D step", () => {
    const g = featuresFigure(7, snapshot(), 'overlay-g');
    expect(labels(g)).toEqual([
      'real (after the D step)',
      'generated (after the D step)',
      'real (after the G step)',
      'generated (after the G step)',
      'real centroid (after the D step)',
      'generated centroid (after the D step)',
      'real centroid (after the G step)',
      'generated centroid (after the G step)',
    ]);
    expect(pointsOf(g, 'generated centroid (after the G step)')).toEqual([{ x: 152, y: 0 }]);
    const d = featuresFigure(7, snapshot(), 'overlay-d');
    expect(pointsOf(d, 'real (before the D step)')).toEqual([{ x: 0, y: 10 }, { x: 0, y: 20 }]);
    expect(labels(d)).not.toContain('real (after the G step)');
  });

  it('projects wider feature layers with the given projection and says so', () => {
    const projection = { mean: [1, 1, 1], axes: [[1, 0, 0], [0, 0, 1]] as [number[], number[]], explained: [0.7, 0.2] as [number, number] };
    expect(projectVector([3, 5, 4], projection)).toEqual({ x: 2, y: 3 });
    const arrays = new Map<string, ArrayInput>([
      ['features.real.after-g', arr([1, 3], [3, 5, 4])],
      ['features.fake.after-g', arr([1, 3], [1, 1, 1])],
    ]);
    const m = featuresFigure(0, arrays, 'after-g', projection);
    expect(pointsOf(m, 'real')).toEqual([{ x: 2, y: 3 }]);
    expect(m.xTitle).toBe('PC 1 (70% of variance)');
    expect(m.subtitle).toMatch(/3-D: PCA projection fitted once on the whole run/);
  });
});

describe('centroids, metrics and losses', () => {
  it('traces the centroids after the G step over the steps up to the current one', () => {
    const c = (k: number) => arr([3, 2, 2], [0, 0, 0, 0, 0, 0, 0, 0, k, k, 10 * k, 0]);
    const m = centroidsFigure([{ step: 0, centroids: c(1) }, { step: 10, centroids: c(2) }, { step: 20, centroids: c(3) }], 10);
    expect(pointsOf(m, 'real centroid path (after G step)')).toEqual([{ x: 1, y: 1 }, { x: 2, y: 2 }]);
    expect(pointsOf(m, 'generated centroid path (after G step)')).toEqual([{ x: 10, y: 0 }, { x: 20, y: 0 }]);
    expect(pointsOf(m, 'real, after the G step')).toEqual([{ x: 2, y: 2 }]);
    expect(m.step).toBe(10);
  });

  it("plots every quality metric but not the claims' measures", () => {
    const m = metricsFigure([{ iteration: 0, metrics: { mmd2: 1, 'claim.dOutReal': 0.5 } }, { iteration: 5, metrics: { mmd2: 0.5, slicedWasserstein: 2 } }], { cursor: 5 });
    expect(labels(m)).toEqual(['MMD² ↓', 'Sliced Wasserstein ↓']); // metric-info's labels
    expect(pointsOf(m, 'Sliced Wasserstein ↓')).toEqual([null, { x: 5, y: 2 }]);
    expect(m.cursor).toBe(5);
  });

  it('draws the raw losses faint under the smoothed ones, the balance values dashed, and leaves values ≤ 0 off a log scale', () => {
    const input = { iterations: [0, 1, 2], dLoss: [1, 0, 2], gLoss: [3, 2, null] };
    const m = lossesFigure(input, { smoothing: 0.5, balance: { d: 2 * Math.LN2, g: Math.LN2 }, logScale: true });
    expect(labels(m)).toEqual(['D loss (raw)', 'D loss (smoothed 0.5)', 'G loss (raw)', 'G loss (smoothed 0.5)', 'D loss at balance: 1.386', 'G loss at balance: 0.693']);
    expect(m.series[0]!.hideInLegend).toBe(true);
    expect(pointsOf(m, 'D loss (raw)')).toEqual([{ x: 0, y: 1 }, null, { x: 2, y: 2 }]);
    expect(pointsOf(m, 'G loss (raw)')![2]).toBeNull();
    expect(m.yScale).toBe('logarithmic');
    expect(m.series[4]!.dashed).toBe(true);
    expect(labels(lossesFigure(input))).toEqual(['D loss', 'G loss']);
  });
});

describe('axes a step figure carries', () => {
  const inside = (m: FigureModelInput) => {
    const b = m.bounds!;
    return m.series.flatMap((s) => s.points).every((p) => !p || (p.x >= b.xMin && p.x <= b.xMax && p.y >= b.yMin && p.y <= b.yMax));
  };

  it('fits round axes around every point of the feature space and the centroids (their points are drawn as a layer)', () => {
    const features = featuresFigure(7, snapshot(), 'overlay-g');
    // Points and centroids span x 1..202 and y 0..22; 5% margins give -9.05..212.05 and
    // -1.1..23.1, whose ends round out to steps of 50 and 5.
    expect(features.bounds).toEqual({ xMin: -50, xMax: 250, yMin: -5, yMax: 25 });
    expect(inside(features)).toBe(true);
    const centroids = centroidsFigure([{ step: 0, centroids: snapshot().get('centroids')! }], 0);
    expect(inside(centroids)).toBe(true);
  });

  it('keeps the samples in the data box the recorder gives, and fits one when there is none', () => {
    expect(samplesFigure(40, snapshot()).bounds).toEqual({ xMin: -10, xMax: 10, yMin: -5, yMax: 5 });
    const noBox = new Map(snapshot());
    noBox.delete('heatmapBounds');
    const fitted = samplesFigure(40, noBox);
    expect(fitted.bounds).toBeDefined();
    expect(inside(fitted)).toBe(true);
  });

  it('shares one set across frames: round for the feature space, the exact box for the data space', () => {
    const a = FigureModelSchema.parse(featuresFigure(1, snapshot(), 'after-g'));
    // a's own axes are -50..250 by -5..25; the union's y end 31 rounds out to 35.
    const b = FigureModelSchema.parse({ ...a, bounds: { xMin: -3, xMax: 1, yMin: 0, yMax: 31 } });
    expect(sharedBounds([a, b])).toEqual({ xMin: -50, xMax: 250, yMin: -5, yMax: 35 });
    const s = FigureModelSchema.parse(samplesFigure(1, snapshot()));
    expect(sharedBounds([s, { ...s, bounds: { xMin: -10, xMax: 12.5, yMin: -5, yMax: 5 } }])).toEqual({ xMin: -10, xMax: 12.5, yMin: -5, yMax: 5 });
  });
});

describe('the one Chart.js configuration', () => {
  const model = FigureModelSchema.parse(lossesFigure({ iterations: [0, 1], dLoss: [1, 2], gLoss: [2, 1] }, { smoothing: 0.3 }));

  it('titles the figure and both axes and keeps hidden series out of the legend, in model order', () => {
    const c = toChartConfig(model, { palette: LIGHT, background: 'white' });
    expect(c.options?.plugins?.title?.text).toBe('Losses');
    const scales = c.options?.scales as Record<string, { title: { text: string } }>;
    expect(scales.x!.title.text).toBe('iteration');
    expect(scales.y!.title.text).toBe('loss');
    const labelsCfg = c.options!.plugins!.legend!.labels!;
    const shown = model.series.map((_, i) => labelsCfg.filter!({ datasetIndex: i } as never, {} as never));
    expect(shown).toEqual([false, true, false, true]);
    expect(c.data.datasets.map((d) => d.label)).toEqual(model.series.map((s) => s.label));
  });

  it("colours series by role from the palette, and a band fills to the series before it", () => {
    const band = FigureModelSchema.parse({
      figure: 'losses',
      title: 't',
      xTitle: 'x',
      yTitle: 'y',
      series: [
        { label: 'low', color: 'run1', style: 'faint', points: [{ x: 0, y: 0 }], hideInLegend: true },
        { label: 'high', color: 'run1', style: 'band', points: [{ x: 0, y: 1 }] },
      ],
    });
    const c = toChartConfig(band, { palette: LIGHT, background: 'transparent' });
    expect(c.data.datasets[1]!.fill).toBe('-1');
    expect(String(c.data.datasets[1]!.backgroundColor)).toMatch(/^rgba\(213, 94, 0, /);
  });
});

describe('PCA for feature layers wider than 2', () => {
  it('is fitted once per run: the same axes at every step, orthonormal, largest variance first, named on the axes', async () => {
    const store = openStore(path.join(tempDir(), 'pca.db'));
    const run = await finishedRun(store, { iterations: 60, snapshotEvery: 20, overrides: { discriminator: { featureWidth: 4 } } });
    const p = runProjection(store, run)!;
    expect(p.mean).toHaveLength(4);
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    expect(dot(p.axes[0], p.axes[0])).toBeCloseTo(1, 6);
    expect(dot(p.axes[1], p.axes[1])).toBeCloseTo(1, 6);
    expect(dot(p.axes[0], p.axes[1])).toBeCloseTo(0, 6);
    expect(p.explained[0]).toBeGreaterThanOrEqual(p.explained[1]);
    expect(runProjection(store, run)).toBe(p);
    const early = figureModel(store, run, { figure: 'features', step: 0 });
    const late = figureModel(store, run, { figure: 'features', step: 40 });
    expect(early.xTitle).toBe(late.xTitle);
    expect(early.xTitle).toMatch(/^PC 1 \(\d+% of variance\)$/);
    expect(late.subtitle).toMatch(/4-D: PCA projection/);
    // A 2-wide layer is drawn as it is, without a projection.
    const plain = await finishedRun(store, { iterations: 20, snapshotEvery: 10 });
    expect(runProjection(store, plain)).toBeUndefined();
    expect(figureModel(store, plain, { figure: 'features' }).xTitle).toBe('feature 1');
    store.close();
  });
});

describe("a run's step figures on the axes the screen asks for (figures.model)", () => {
  it("fits each step by default, spans the whole run when held, and takes a zoomed view over both", async () => {
    const store = openStore(path.join(tempDir(), 'axes.db'));
    const run = await finishedRun(store, { iterations: 60, snapshotEvery: 20 });
    const steps = store.snapshotSteps(run.id);
    const own = steps.map((step) => figureModel(store, run, { figure: 'features', step, phase: 'overlay-g' }).bounds!);
    const held = steps.map((step) => figureModel(store, run, { figure: 'features', step, phase: 'overlay-g', axes: 'run' }).bounds!);
    for (const b of held) expect(b).toEqual(held[0]);
    // The run's axes hold every step's own; the steps' own are not all the run's (the features move).
    for (const b of own) expect(b.xMin >= held[0]!.xMin && b.xMax <= held[0]!.xMax && b.yMin >= held[0]!.yMin && b.yMax <= held[0]!.yMax).toBe(true);
    expect(own.some((b) => JSON.stringify(b) !== JSON.stringify(held[0]))).toBe(true);
    // Within a step every phase has the same axes.
    for (const phase of ['before-d', 'after-d', 'after-g', 'overlay-d'] as const) expect(figureModel(store, run, { figure: 'features', step: steps[1]!, phase }).bounds).toEqual(own[1]);
    const view = { xMin: -1, xMax: 1, yMin: -2, yMax: 2 };
    expect(figureModel(store, run, { figure: 'features', step: steps[1]!, axes: 'run', view }).bounds).toEqual(view);
    expect(figureModel(store, run, { figure: 'samples', step: steps[1]!, view }).bounds).toEqual(view);
    store.close();
  });

  it('puts the metrics on a log axis by default when they span more than two decades, and keeps a choice either way', () => {
    const points = [0, 1, 2].map((i) => ({ iteration: i * 10, metrics: { mmd2: 10 ** -i * 2, slicedWasserstein: 10 ** -i } }));
    expect(metricsFigure(points).yScale).toBe('logarithmic');
    expect(metricsFigure(points, { logScale: false }).yScale).toBe('linear');
    const flat = points.map((p) => ({ ...p, metrics: { xCoverage: 0.5 + p.iteration / 100 } }));
    expect(metricsFigure(flat).yScale ?? 'linear').toBe('linear');
  });
});
