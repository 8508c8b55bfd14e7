/**
 * The layers a figure draws itself (shared/figures/chart-layers.ts), on a real Chart.js chart over
 * a Skia canvas: a step figure's points land where its axes put them and in their colours, a
 * series hidden from the legend is not drawn, the subtitle is drawn from the model of the moment,
 * and on screen the moving layers go to the overlay, which a repaint redraws for the next model
 * without touching the chart.
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { CHART_COMPONENTS, toChartConfig } from '../src/shared/figures/chart-config.js';
import { drawsOwnSeries, repaintLayers, type LayerState } from '../src/shared/figures/chart-layers.js';
import { FIGURE_FONT, FigureModelSchema, type FigureModel, type FigureModelInput } from '../src/shared/figures/model.js';
import { LIGHT } from '../src/shared/figures/palette.js';
import { figureRenderer } from '../src/main/figures/render.js';
import { ExportStyleSchema } from '../src/shared/contract.js';
import { DOMParser } from '@xmldom/xmldom';

Chart.register(...CHART_COMPONENTS);

const W = 400;
const H = 300;

/** A data space with one real and one generated point, on fixed 0-10 axes (grid lines every 2). */
function scatter(real: { x: number; y: number }, fake: { x: number; y: number }, subtitle = 'iteration 7'): FigureModel {
  const input: FigureModelInput = {
    figure: 'samples',
    title: 'Real vs generated samples',
    subtitle,
    xTitle: 'x',
    yTitle: 'y',
    bounds: { xMin: 0, xMax: 10, yMin: 0, yMax: 10 },
    series: [
      { label: 'real samples', color: 'real', style: 'points', radius: 5, points: [real] },
      { label: 'generated samples', color: 'fake', style: 'points', radius: 5, points: [fake] },
    ],
    step: 7,
  };
  return FigureModelSchema.parse(input);
}

/** Chart.js on a Skia canvas, as render.ts draws files; with `overlay`, as the screen draws. */
function drawn(model: FigureModel, overlay?: Canvas) {
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const state: LayerState = { model, palette: LIGHT, fill: null, overlay: overlay ? (overlay.getContext('2d') as unknown as CanvasRenderingContext2D) : null };
  const config = toChartConfig(model, { palette: LIGHT, background: 'white', fontFamily: FIGURE_FONT }, state);
  config.options = { ...config.options, devicePixelRatio: 1 };
  const surface = { width: W, height: H, style: {}, getContext: () => ctx };
  Object.defineProperty(ctx, 'canvas', { value: surface, configurable: true });
  const chart = new Chart(surface as unknown as HTMLCanvasElement, config);
  // The overlay follows the chart's size; Skia's canvas stands in for the screen's.
  if (overlay) Object.defineProperty(state.overlay!, 'canvas', { value: overlay, configurable: true });
  if (overlay) repaintLayers(chart, state);
  return { chart, canvas, state };
}

function rgbaAt(canvas: Canvas, x: number, y: number): number[] {
  return Array.from(canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data);
}
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
/**
 * Distance of a pixel, seen over white, from a palette colour at the points' 0.7 alpha over white
 * (the overlay is transparent around its points; the chart's canvas is white).
 */
function distance(px: number[], color: string): number {
  const a = px[3]! / 255;
  const seen = px.slice(0, 3).map((c) => c * a + 255 * (1 - a));
  const target = hex(color).map((c) => 0.7 * c + 0.3 * 255);
  return Math.hypot(...target.map((c, i) => c - seen[i]!));
}
const at = (chart: Chart, p: { x: number; y: number }) => [chart.scales.x!.getPixelForValue(p.x), chart.scales.y!.getPixelForValue(p.y)] as const;

describe('a step figure draws its own series', () => {
  it('hands Chart.js legend entries only for a step figure, and the data for a curve', () => {
    const step = toChartConfig(scatter({ x: 3, y: 3 }, { x: 7, y: 7 }), { palette: LIGHT, background: 'white' });
    expect(drawsOwnSeries({ figure: 'samples' })).toBe(true);
    expect(step.data.datasets.map((d) => d.data.length)).toEqual([0, 0]);
    const curve = FigureModelSchema.parse({ figure: 'losses', title: 'Losses', xTitle: 'iteration', yTitle: 'loss', series: [{ label: 'D loss', color: 'dLoss', style: 'line', points: [{ x: 0, y: 1 }, { x: 1, y: 0.5 }] }] });
    expect(drawsOwnSeries(curve)).toBe(false);
    expect(toChartConfig(curve, { palette: LIGHT, background: 'white' }).data.datasets[0]!.data).toHaveLength(2);
  });

  it('puts each point where the axes say, in its series colour', () => {
    const real = { x: 3, y: 3 };
    const fake = { x: 7, y: 7 };
    const { chart, canvas } = drawn(scatter(real, fake));
    const [rx, ry] = at(chart, real);
    const [fx, fy] = at(chart, fake);
    expect(distance(rgbaAt(canvas, rx, ry), LIGHT.roles.real)).toBeLessThan(20);
    expect(distance(rgbaAt(canvas, fx, fy), LIGHT.roles.fake)).toBeLessThan(20);
    // And nowhere else: the middle of the plot is the white background.
    const [mx, my] = at(chart, { x: 5, y: 3 });
    expect(rgbaAt(canvas, mx, my).slice(0, 3).every((c) => c > 230)).toBe(true);
    chart.destroy();
  });

  it('leaves out a series hidden from the legend', () => {
    const real = { x: 3, y: 3 };
    const fake = { x: 7, y: 7 };
    const { chart, canvas } = drawn(scatter(real, fake));
    chart.hide(0);
    chart.update('none');
    const [rx, ry] = at(chart, real);
    const [fx, fy] = at(chart, fake);
    expect(rgbaAt(canvas, rx, ry).slice(0, 3).every((c) => c > 230)).toBe(true);
    expect(distance(rgbaAt(canvas, fx, fy), LIGHT.roles.fake)).toBeLessThan(20);
    chart.destroy();
  });
});

describe('on screen, what moves is on the overlay', () => {
  it('draws the points on the overlay, not into the chart, and a repaint shows the next model there', () => {
    const overlay = createCanvas(1, 1);
    const first = { x: 3, y: 3 };
    const { chart, canvas, state } = drawn(scatter(first, { x: 7, y: 7 }), overlay);
    expect([overlay.width, overlay.height]).toEqual([W, H]);
    const [x1, y1] = at(chart, first);
    expect(rgbaAt(canvas, x1, y1).slice(0, 3).every((c) => c > 230)).toBe(true);
    expect(distance(rgbaAt(overlay, x1, y1), LIGHT.roles.real)).toBeLessThan(20);

    // The next snapshot: the real point moved to (5, 7). Only the overlay is repainted.
    const next = { x: 5, y: 7 };
    state.model = scatter(next, { x: 7, y: 7 }, 'iteration 8');
    repaintLayers(chart, state);
    const [x2, y2] = at(chart, next);
    expect(distance(rgbaAt(overlay, x2, y2), LIGHT.roles.real)).toBeLessThan(20);
    expect(rgbaAt(overlay, x1, y1)[3]).toBe(0); // the old position is clear
    chart.destroy();
  });
});

describe('the subtitle', () => {
  it('is drawn from the model of the moment, as text in a vector file', () => {
    const svg = figureRenderer(ExportStyleSchema.parse({ width: W, height: H })).render(scatter({ x: 3, y: 3 }, { x: 7, y: 7 }, 'iteration 1234, after the G step'), 'svg');
    const texts = new DOMParser().parseFromString(svg.toString('utf8'), 'image/svg+xml').getElementsByTagName('text');
    const all = Array.from({ length: texts.length }, (_, i) => texts.item(i)!.textContent ?? '').join(' ');
    expect(all).toContain('iteration 1234, after the G step');
    expect(all).toContain('Real vs generated samples');
  });

  it('takes its room under the title only when there is one', () => {
    const withSubtitle = drawn(scatter({ x: 3, y: 3 }, { x: 7, y: 7 }));
    const without = drawn(FigureModelSchema.parse({ ...scatter({ x: 3, y: 3 }, { x: 7, y: 7 }), subtitle: undefined }));
    expect(withSubtitle.chart.chartArea.top).toBeGreaterThan(without.chart.chartArea.top + 10);
    withSubtitle.chart.destroy();
    without.chart.destroy();
  });
});

/** Every text of an SVG file, joined. */
function svgText(model: FigureModel): string {
  const svg = figureRenderer(ExportStyleSchema.parse({ width: W, height: H })).render(model, 'svg');
  const texts = new DOMParser().parseFromString(svg.toString('utf8'), 'image/svg+xml').getElementsByTagName('text');
  return Array.from({ length: texts.length }, (_, i) => texts.item(i)!.textContent ?? '').join(' ');
}

describe('points outside the axes', () => {
  it('are drawn as markers on the plot edge, in their colour, where they left the chart', () => {
    // The generated point lies far right of the 0-10 axes, at mid height.
    const { chart, canvas } = drawn(scatter({ x: 3, y: 3 }, { x: 500, y: 5 }));
    const area = chart.chartArea;
    const [, y] = at(chart, { x: 0, y: 5 });
    // The marker's body sits just inside the right edge, on the point's height.
    const seen = [2, 4, 6].map((d) => distance(rgbaAt(canvas, area.right - d, y), LIGHT.roles.fake));
    expect(Math.min(...seen)).toBeLessThan(60);
    // Not at the other edges.
    expect(rgbaAt(canvas, area.left + 3, y).slice(0, 3).every((c) => c > 200)).toBe(true);
    chart.destroy();
  });

  it('are counted in a file, in words', () => {
    expect(svgText(scatter({ x: 3, y: 3 }, { x: -40, y: 5 }))).toContain('1 generated sample off the chart');
    expect(svgText(scatter({ x: 3, y: 3 }, { x: 4, y: 5 }))).not.toContain('off the chart');
  });
});

describe("D's heatmap", () => {
  /** Two cells side by side over the 0-10 box: D(x) = 0 on the left, 1 on the right. */
  function heat(values: number[]): FigureModel {
    const m = scatter({ x: -100, y: -100 }, { x: -100, y: -100 });
    return FigureModelSchema.parse({
      ...m,
      figure: 'heatmap',
      series: [{ label: 'D(x)', color: 'heat', style: 'legend', points: [] }, ...m.series.map((s) => ({ ...s, points: [] }))],
      heatmap: { res: 2, values, bounds: m.bounds },
    });
  }
  const fromWhite = (px: number[]) => Math.hypot(...px.slice(0, 3).map((c) => 255 - c));

  it('reads at a glance: D sure of "generated" and sure of "real" are both strong colours, and unlike each other; D unsure is pale', () => {
    const { chart, canvas } = drawn(heat([0, 1, 0, 1]));
    const zero = rgbaAt(canvas, ...at(chart, { x: 2.5, y: 5 }));
    const one = rgbaAt(canvas, ...at(chart, { x: 7.5, y: 5 }));
    expect(fromWhite(zero)).toBeGreaterThan(150);
    expect(fromWhite(one)).toBeGreaterThan(150);
    expect(Math.hypot(...zero.slice(0, 3).map((c, i) => c - one[i]!))).toBeGreaterThan(100);
    chart.destroy();
    const unsure = drawn(heat([0.5, 0.5, 0.5, 0.5]));
    expect(fromWhite(rgbaAt(unsure.canvas, ...at(unsure.chart, { x: 5, y: 5 })))).toBeLessThan(20);
    unsure.chart.destroy();
  });

  it('comes with a colour scale from 0 to 1 beside the plot, on screen and in files', () => {
    const plain = drawn(scatter({ x: 3, y: 3 }, { x: 7, y: 7 }));
    const { chart, canvas } = drawn(heat([0, 1, 0, 1]));
    // The plot makes room for the scale at its right.
    expect(chart.chartArea.right).toBeLessThan(plain.chart.chartArea.right - 30);
    // The bar: D(x) = 1 (green) at the top of the plot, 0 (purple) at the bottom.
    const x = chart.chartArea.right + 16;
    const top = rgbaAt(canvas, x, chart.chartArea.top + 3);
    const bottom = rgbaAt(canvas, x, chart.chartArea.bottom - 3);
    expect(top[1]!).toBeGreaterThan(top[0]!); // green
    expect(bottom[0]!).toBeGreaterThan(bottom[1]!); // purple
    const text = svgText(heat([0, 1, 0, 1]));
    for (const tick of ['D(x)', '0', '0.5', '1']) expect(text).toContain(tick);
    plain.chart.destroy();
    chart.destroy();
  });
});
