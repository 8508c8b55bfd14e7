/**
 * Loss charts on a log scale by default when their values span more than two decades, with tick
 * labels a person reads (1, 10, 100, 0.1), drawn by Chart.js exactly as every screen and export
 * draws them; a person's explicit choice still wins.
 */
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { compareModel } from '../src/main/service/compare.js';
import { figureModel } from '../src/main/service/figures.js';
import { openStore } from '../src/main/store/index.js';
import { lossesFigure, metricsFigure } from '../src/shared/figures/build.js';
import { CHART_COMPONENTS, toChartConfig } from '../src/shared/figures/chart-config.js';
import { compareCurvesFigure, type CompareCurve } from '../src/shared/figures/compare.js';
import { logTickLabel, prefersLogScale } from '../src/shared/figures/log-axis.js';
import { FigureModelSchema, type FigureModelInput } from '../src/shared/figures/model.js';
import { LIGHT } from '../src/shared/figures/palette.js';
import { DEFAULT_SMOOTHING } from '../src/shared/smoothing.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

Chart.register(...CHART_COMPONENTS);

/** The y tick labels Chart.js shows for a model, laid out on an 800 x 500 canvas as an export is. */
function yTickLabels(model: FigureModelInput, height = 500): string[] {
  const ctx = createCanvas(800, height).getContext('2d');
  const surface = { width: 800, height, style: {}, getContext: () => ctx };
  Object.defineProperty(ctx, 'canvas', { value: surface, configurable: true });
  const chart = new Chart(surface as unknown as HTMLCanvasElement, toChartConfig(FigureModelSchema.parse(model), { palette: LIGHT, background: 'white' }));
  const labels = chart.scales.y!.ticks.map((t) => String(t.label ?? '')).filter((l) => l !== '');
  surface.width = 0;
  surface.height = 0;
  chart.destroy();
  return labels;
}

/**
 * The y axis's width as laid out less its widest tick label as drawn in the axis's font: the room
 * left for the title and paddings, which is the same on every axis whose labels were all measured.
 */
function roomBesideLabels(model: FigureModelInput): number {
  const ctx = createCanvas(800, 500).getContext('2d');
  const surface = { width: 800, height: 500, style: {}, getContext: () => ctx };
  Object.defineProperty(ctx, 'canvas', { value: surface, configurable: true });
  const chart = new Chart(surface as unknown as HTMLCanvasElement, toChartConfig(FigureModelSchema.parse(model), { palette: LIGHT, background: 'white' }));
  const y = chart.scales.y!;
  const font = (y.options as unknown as { ticks: { font?: { size?: number; family?: string } } }).ticks.font;
  ctx.font = `${font?.size ?? 11}px ${font?.family ?? 'sans-serif'}`;
  const widestLabel = Math.max(...y.ticks.map((t) => ctx.measureText(String(t.label ?? '')).width));
  const room = y.width - widestLabel;
  chart.destroy();
  return room;
}

const iterations = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A loss falling geometrically from `from` to `to` over n points. */
const falling = (from: number, to: number, n: number) => iterations(n).map((i) => from * (to / from) ** (i / (n - 1)));
const CLEAN = /^(\d{1,3}(,\d{3})*|0\.0*[125]|[125]e-?\d+)$/;

describe('the log-scale decision', () => {
  it('prefers a log scale when positive values span more than two decades', () => {
    expect(prefersLogScale([[140, 20, 1.4], [0.69, 0.7]])).toBe(true); // D's loss starting near 140
    expect(prefersLogScale([[100, 1.01]])).toBe(false); // just under two decades
    expect(prefersLogScale([[100, 0.99]])).toBe(true);
    expect(prefersLogScale([[1, 2, 50]])).toBe(false);
    // gaps and non-finite values are ignored; a value <= 0 cannot be drawn on a log scale
    expect(prefersLogScale([[null, 1000, Number.NaN, 1, Number.POSITIVE_INFINITY]])).toBe(true);
    expect(prefersLogScale([[1000, 1, 0]])).toBe(false);
    expect(prefersLogScale([[-5, 500]])).toBe(false);
    expect(prefersLogScale([[], [null]])).toBe(false);
  });

  it('the losses figure opens on a log scale when its values span more than two decades, linear otherwise', () => {
    const wide = { iterations: iterations(50), dLoss: falling(140, 1.3, 50), gLoss: falling(0.69, 0.8, 50) };
    expect(lossesFigure(wide).yScale).toBe('logarithmic');
    expect(lossesFigure(wide).yTitle).toBe('loss (log scale)');
    const narrow = { iterations: iterations(50), dLoss: falling(1.5, 1.3, 50), gLoss: falling(0.69, 0.8, 50) };
    expect(lossesFigure(narrow).yScale).toBe('linear');
  });

  it("a person's explicit choice wins over the default, both ways", () => {
    const wide = { iterations: iterations(50), dLoss: falling(140, 1.3, 50), gLoss: falling(0.69, 0.8, 50) };
    expect(lossesFigure(wide, { logScale: false }).yScale).toBe('linear');
    const narrow = { iterations: iterations(50), dLoss: falling(1.5, 1.3, 50), gLoss: falling(0.69, 0.8, 50) };
    expect(lossesFigure(narrow, { logScale: true }).yScale).toBe('logarithmic');
  });

  it('compare: overlaid losses default the same way; metrics stay linear unless asked', () => {
    const curve = (runId: number, values: number[]): CompareCurve => ({ runId, name: `run ${runId}`, color: runId === 1 ? 'run0' : 'run1', msPerIteration: 1, iterations: iterations(values.length), values });
    const wide = [curve(1, falling(140, 1.3, 20)), curve(2, falling(2, 0.9, 20))];
    expect(compareCurvesFigure(wide, { figure: 'losses', quantity: 'D loss' }).yScale).toBe('logarithmic');
    expect(compareCurvesFigure(wide, { figure: 'losses', quantity: 'D loss', logScale: false }).yScale).toBe('linear');
    expect(compareCurvesFigure(wide, { figure: 'metrics', quantity: 'mmd2' }).yScale).toBe('linear');
    expect(compareCurvesFigure([curve(1, [1, 2]), curve(2, [2, 3])], { figure: 'losses', quantity: 'D loss' }).yScale).toBe('linear');
  });
});

describe('log tick labels', () => {
  it('formats each tick by its own size: 1, 10, 100, 0.1, 1e-6, never 100.0000000 or 0.0000010', () => {
    expect([100, 10, 1, 0.1, 0.01, 0.001, 1e-4, 1e-6, 1000, 10_000, 1e6].map((v) => logTickLabel(v, 8))).toEqual(['100', '10', '1', '0.1', '0.01', '0.001', '1e-4', '1e-6', '1,000', '10,000', '1e6']);
    // over many decades only the powers of ten are labelled; over two or fewer, 2 and 5 as well; within one, every tick
    expect([2, 5, 3, 20].map((v) => logTickLabel(v, 8))).toEqual(['', '', '', '']);
    expect([2, 5, 3, 20, 0.5].map((v) => logTickLabel(v, 2))).toEqual(['2', '5', '', '20', '0.5']);
    expect([0.6, 0.7, 0.9].map((v) => logTickLabel(v, 0.5))).toEqual(['0.6', '0.7', '0.9']);
    // floating-point ticks come out clean too
    expect(logTickLabel(0.30000000000000004, 0.5)).toBe('0.3');
    expect(logTickLabel(1.0000000000000002e-7, 8)).toBe('1e-7');
  });

  it("Replay's case: losses from 100 down to 1e-6 are labelled 1e-6 … 100 by Chart.js", () => {
    const labels = yTickLabels(lossesFigure({ iterations: iterations(100), dLoss: falling(100, 1e-6, 100), gLoss: falling(50, 1e-5, 100) }));
    expect(labels).toEqual(['1e-6', '1e-5', '1e-4', '0.001', '0.01', '0.1', '1', '10', '100']);
  });

  it("the article's losses (140 down to about 0.3) read 1, 10, 100 with 2 and 5 between, all clean", () => {
    const labels = yTickLabels(lossesFigure({ iterations: iterations(100), dLoss: falling(140, 0.35, 100), gLoss: falling(0.69, 1.3, 100) }));
    expect(labels).toEqual(expect.arrayContaining(['1', '10', '100']));
    for (const l of labels) expect(l).toMatch(CLEAN);
  });

  it('the y axis is wide enough for its widest log label and its title (0.001 was drawn over the title)', () => {
    const losses = { iterations: iterations(400), dLoss: falling(140, 1e-6, 400), gLoss: falling(1, 0.5, 400) };
    const linear = roomBesideLabels(lossesFigure(losses, { logScale: false }));
    expect(linear).toBeGreaterThan(20); // the title's line and the paddings
    expect(roomBesideLabels(lossesFigure(losses, {}))).toBeGreaterThanOrEqual(linear - 0.5);
  });

  it('the metrics figure on a log scale gets clean labels too', () => {
    const labels = yTickLabels(metricsFigure(iterations(20).map((i) => ({ iteration: i, metrics: { mmd2: 10 ** (-i / 4) } })), { logScale: true }));
    expect(labels.length).toBeGreaterThan(2);
    for (const l of labels) expect(l).toMatch(CLEAN);
  });
});

describe('exports and the compare service see the same default', () => {
  it("a run's loss figure, as the service builds it for the screen and every export, opens on log when its losses span > 2 decades", async () => {
    const store = openStore(path.join(tempDir(), 'log-axis.db'));
    const run = await finishedRun(store, { name: 'wide losses' }); // article, 200 iterations: D's loss from about 110 to 0.35
    const values = store.lossSeries(run.id).flatMap((l) => [l.dLoss, l.gLoss]);
    expect(Math.max(...values) / Math.min(...values)).toBeGreaterThan(100);
    expect(figureModel(store, run, { figure: 'losses' }).yScale).toBe('logarithmic');
    expect(figureModel(store, run, { figure: 'losses', logScale: false }).yScale).toBe('linear');
    const other = await finishedRun(store, { name: 'other', seed: 8 });
    const compared = compareModel(store, { runIds: [run.id, other.id], figure: 'losses', series: 'dLoss', smoothing: 0, axis: 'step', groupSeeds: false });
    expect(compared.yScale).toBe('logarithmic');
    store.close();
  }, 120_000);

  it('one default smoothing for Live, Replay and Compare', () => {
    expect(DEFAULT_SMOOTHING).toBeGreaterThan(0);
    expect(DEFAULT_SMOOTHING).toBeLessThan(1);
  });
});
