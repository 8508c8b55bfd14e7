/**
 * What the figures draw through the 2-D context themselves, as Chart.js plugins: an opaque
 * background, D's heatmap, the data of every step figure (scatter points, lines, markers), the
 * gradient arrows, the step cursor and the subtitle. Through the context they come out as vectors
 * in SVG and PDF. They are drawn from a LayerState read at draw time; on screen they go to a
 * canvas stacked over the chart's, so a chart showing the next snapshot on the same axes, or
 * its cursor elsewhere, only repaints that canvas (repaintLayers): no Chart.js update, layout,
 * element per point or redrawn axes (docs/performance.md, "Replay scrubbing").
 */
import { layouts, type Chart, type ChartArea, type Plugin, type PointStyle, type Scale } from 'chart.js';
import { drawPoint, toFont } from 'chart.js/helpers';
import { STEP_FIGURES, type FigureModel, type Series } from './model.js';
import { offChart, offChartText } from './bounds.js';
import { Caption, ColorScale } from './chart-boxes.js';
import { heatColor, withAlpha, type Palette } from './palette.js';

/**
 * What the layer plugins draw. Chart.js fixes a chart's plugins when it is created, so the
 * plugins read this object at draw time; a chart that shows a new model updates it in place
 * instead of being rebuilt.
 */
export interface LayerState {
  model: FigureModel;
  palette: Palette;
  fill: string | null;
  /**
   * On screen: the 2-D context of a canvas of the chart's size stacked over it. The moving layers
   * (heatmap, a step figure's data, arrows, cursor, subtitle) are drawn there instead of into the
   * chart; a file is drawn in one piece (null).
   */
  overlay?: CanvasRenderingContext2D | null;
}

/**
 * A step figure's series are all drawn here (Chart.js keeps them as legend entries only, and the
 * model carries its axis ranges); the curves (losses, metrics, comparisons) stay Chart.js
 * datasets, with their bands and tooltips.
 */
export function drawsOwnSeries(model: Pick<FigureModel, 'figure'>): boolean {
  return STEP_FIGURES.includes(model.figure);
}

/** How a series looks: shared by its legend entry (a Chart.js dataset) and its drawing here. */
export interface Look {
  pointStyle: PointStyle;
  /** Point radius (0: a line without dots). */
  radius: number;
  rotation: number;
  /** Outline of each point. */
  borderWidth: number;
  fill: string;
  stroke: string;
  /** The polyline of a line series. */
  lineWidth: number;
  lineColor: string;
  dash: number[];
}

export function lookOf(s: Series, palette: Palette): Look {
  const color = palette.roles[s.color];
  const plain = { rotation: 0, lineWidth: 0, lineColor: color, dash: [] };
  switch (s.style) {
    case 'points':
      return { ...plain, pointStyle: s.shape ?? 'circle', radius: s.radius ?? 2.5, borderWidth: s.shape === 'triangle' ? 1 : 0, fill: withAlpha(color, 0.7), stroke: color };
    case 'marker':
      return { ...plain, pointStyle: s.shape ?? 'rectRot', radius: s.radius ?? 8, borderWidth: 2, fill: color, stroke: palette.strong };
    case 'legend':
      return { ...plain, pointStyle: 'rect', radius: 6, borderWidth: 0, fill: color, stroke: color };
    case 'line':
    case 'faint':
    case 'band': {
      const faint = s.style === 'faint';
      const lineWidth = faint ? 1 : 2;
      return {
        // The legend shows a line as a line (and a band as a swatch), not as a dot.
        pointStyle: s.style === 'band' ? 'rect' : s.radius ? 'circle' : 'line',
        // A line with a radius marks its points (a centroid's path, one dot per snapshot).
        radius: s.radius ?? 0,
        rotation: 0,
        borderWidth: lineWidth,
        fill: s.style === 'band' ? withAlpha(color, 0.18) : color,
        stroke: color,
        lineWidth,
        lineColor: faint ? withAlpha(color, 0.3) : s.style === 'band' ? withAlpha(color, 0.25) : color,
        dash: s.dashed ? [6, 4] : [],
      };
    }
  }
}

function clipTo(ctx: CanvasRenderingContext2D, area: ChartArea, margin = 0): void {
  ctx.beginPath();
  ctx.rect(area.left - margin, area.top - margin, area.right - area.left + 2 * margin, area.bottom - area.top + 2 * margin);
  ctx.clip();
}

/** Where the layers draw: a context, the chart's plot area and scales, the legend's switches. */
interface Plot {
  ctx: CanvasRenderingContext2D;
  area: ChartArea;
  x: Scale;
  y: Scale;
  visible: (datasetIndex: number) => boolean;
}

function plotOf(chart: Chart<'scatter'>, ctx: CanvasRenderingContext2D = chart.ctx): Plot {
  return { ctx, area: chart.chartArea, x: chart.scales.x!, y: chart.scales.y!, visible: (i) => chart.isDatasetVisible(i) };
}

function pixel(plot: Plot, x: number, y: number): [number, number] {
  return [plot.x.getPixelForValue(x), plot.y.getPixelForValue(y)];
}

/** D's output over the data space: one cell per grid value, under everything else. */
function drawHeatmap(plot: Plot, { model }: LayerState): void {
  const h = model.heatmap;
  if (!h) return;
  const { ctx, area: chartArea } = plot;
  const { res, values, bounds } = h;
  const cw = (bounds.xMax - bounds.xMin) / res;
  const ch = (bounds.yMax - bounds.yMin) / res;
  ctx.save();
  clipTo(ctx, chartArea);
  for (let row = 0; row < res; row++) {
    for (let col = 0; col < res; col++) {
      const v = values[row * res + col];
      if (v === null || v === undefined) continue;
      const [x0, y0] = pixel(plot, bounds.xMin + col * cw, bounds.yMin + (row + 1) * ch);
      const [x1, y1] = pixel(plot, bounds.xMin + (col + 1) * cw, bounds.yMin + row * ch);
      ctx.fillStyle = heatColor(v);
      // Half a pixel of overlap hides the seams anti-aliasing leaves between cells.
      ctx.fillRect(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5);
    }
  }
  ctx.restore();
}

/**
 * Each point of `s` with Chart.js's own point shapes. A point outside the axes (a run that
 * exploded, or a zoomed view) is not dropped: with `edges`, it is drawn as a small triangle on the
 * plot's edge, pointing the way it lies, so a reader sees that and where points left the chart.
 */
function drawPoints(plot: Plot, s: Series, look: Look, edges = false): void {
  const { ctx, area } = plot;
  const margin = look.radius + look.borderWidth;
  ctx.fillStyle = look.fill;
  ctx.strokeStyle = look.stroke;
  ctx.lineWidth = look.borderWidth;
  const outside: Array<[number, number]> = [];
  for (const p of s.points) {
    if (!p) continue;
    const [x, y] = pixel(plot, p.x, p.y);
    if (x >= area.left - margin && x <= area.right + margin && y >= area.top - margin && y <= area.bottom + margin) drawPoint(ctx, look, x, y);
    else if (edges && !Number.isNaN(x) && !Number.isNaN(y)) outside.push([x, y]);
  }
  if (outside.length) drawEdgeMarkers(plot, outside, s.style === 'marker' ? look.fill : look.stroke);
}

/** Off-chart points as triangles on the plot's edge, their tips towards where the points are. */
function drawEdgeMarkers(plot: Plot, points: ReadonlyArray<[number, number]>, color: string): void {
  const { ctx, area } = plot;
  const size = 6;
  const cx = (area.left + area.right) / 2;
  const cy = (area.top + area.bottom) / 2;
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1;
  // Many points off the same side land on a few pixels: one marker per spot is enough.
  const drawn = new Set<string>();
  for (const [px, py] of points) {
    const x = Math.min(area.right, Math.max(area.left, px));
    const y = Math.min(area.bottom, Math.max(area.top, py));
    const key = `${Math.round(x / 3)},${Math.round(y / 3)}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    // Point the tip from the plot's centre towards the point, with the tip on the edge.
    const dx = px - cx;
    const dy = py - cy;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x - size * 1.6 * ux + size * uy * 0.7, y - size * 1.6 * uy - size * ux * 0.7);
    ctx.lineTo(x - size * 1.6 * ux - size * uy * 0.7, y - size * 1.6 * uy + size * ux * 0.7);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

/** A polyline broken at every null point. */
function drawPolyline(plot: Plot, s: Series, look: Look): void {
  const { ctx, x: xs, y: ys } = plot;
  ctx.lineWidth = look.lineWidth;
  ctx.strokeStyle = look.lineColor;
  ctx.setLineDash(look.dash);
  ctx.beginPath();
  let pen = false;
  for (const p of s.points) {
    if (!p) {
      pen = false;
      continue;
    }
    const x = xs.getPixelForValue(p.x);
    const y = ys.getPixelForValue(p.y);
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

/**
 * A step figure's series, bottom to top as Chart.js would stack them: scatter points, then lines
 * (with their dots), then markers, each kind in the model's order. A series hidden from the legend
 * is not drawn.
 */
function drawSeries(plot: Plot, { model, palette }: LayerState): void {
  if (!drawsOwnSeries(model)) return;
  const shown = model.series.flatMap((s, i) => (s.style !== 'legend' && plot.visible(i) ? [{ s, look: lookOf(s, palette) }] : []));
  if (shown.length === 0) return;
  const { ctx, area: chartArea } = plot;
  ctx.save();
  // A point on the plot's edge is drawn whole, as Chart.js draws its own.
  clipTo(ctx, chartArea, Math.max(...shown.map(({ look }) => look.radius + look.borderWidth)));
  for (const { s, look } of shown) if (s.style === 'points') drawPoints(plot, s, look, true);
  for (const { s, look } of shown) {
    if (s.style === 'points' || s.style === 'marker') continue;
    drawPolyline(plot, s, look);
    if (look.radius > 0) drawPoints(plot, s, look);
  }
  for (const { s, look } of shown) if (s.style === 'marker') drawPoints(plot, s, look, true);
  ctx.restore();
}

/** The axes a chart shows now (its model's, or a zoomed or panned view). */
function shownBounds(plot: Plot) {
  return { xMin: plot.x.min, xMax: plot.x.max, yMin: plot.y.min, yMax: plot.y.max };
}

/**
 * How many points are off the chart, in words, drawn in the plot's lower left corner of a file
 * (on screen the chart says it beside the plot, where it can be read by a test and a screen
 * reader alike).
 */
function drawOffChartNote(plot: Plot, { model, palette }: LayerState, fontFamily: string | undefined): void {
  if (!drawsOwnSeries(model)) return;
  const text = offChartText(offChart({ series: model.series.filter((_, i) => plot.visible(i)) }, shownBounds(plot)));
  if (!text) return;
  const { ctx, area } = plot;
  const font = toFont({ size: 11, weight: 'bold', ...(fontFamily ? { family: fontFamily } : {}) });
  ctx.save();
  ctx.font = font.string;
  const width = ctx.measureText(text).width;
  ctx.fillStyle = withAlpha('#ffffff', 0.85);
  ctx.fillRect(area.left + 4, area.bottom - font.lineHeight - 8, width + 8, font.lineHeight + 4);
  ctx.fillStyle = palette.roles.arrow;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, area.left + 8, area.bottom - font.lineHeight / 2 - 6);
  ctx.restore();
}

function drawArrows(plot: Plot, { model, palette }: LayerState): void {
  if (!model.arrows?.length) return;
  const { ctx, area: chartArea } = plot;
  ctx.save();
  clipTo(ctx, chartArea);
  ctx.strokeStyle = palette.roles.arrow;
  ctx.fillStyle = palette.roles.arrow;
  ctx.lineWidth = 1.2;
  for (const [ax, ay, bx, by] of model.arrows) {
    const [x0, y0] = pixel(plot, ax, ay);
    const [x1, y1] = pixel(plot, bx, by);
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1) continue;
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    const head = Math.min(5, len / 2);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux);
    ctx.lineTo(x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

function drawCursor(plot: Plot, { model, palette }: LayerState): void {
  if (model.cursor === undefined) return;
  const { ctx, area: chartArea } = plot;
  const x = plot.x.getPixelForValue(model.cursor);
  if (x < chartArea.left - 0.5 || x > chartArea.right + 0.5) return;
  ctx.save();
  ctx.strokeStyle = palette.roles.cursor;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x, chartArea.top);
  ctx.lineTo(x, chartArea.bottom);
  ctx.stroke();
  ctx.restore();
}

export function backgroundPlugin(state: LayerState): Plugin<'scatter'> {
  return {
    id: 'ganlabBackground',
    beforeDraw(chart) {
      const fill = state.fill;
      if (!fill) return;
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = fill;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

const colorScales = new WeakMap<Chart, ColorScale>();

const captions = new WeakMap<Chart, Caption>();

/**
 * Draws the moving layers again on the overlay of a chart whose axes have not changed (the
 * LayerState now holds the next snapshot, or the cursor moved). Without an overlay, the chart is
 * redrawn whole.
 */
export function repaintLayers(chart: Chart<'scatter'>, state: LayerState): void {
  const ctx = state.overlay;
  if (!ctx) {
    chart.draw();
    return;
  }
  const canvas = ctx.canvas;
  // Chart.js sizes its canvas to the container times the pixel ratio; the overlay follows.
  if (canvas.width !== chart.canvas.width || canvas.height !== chart.canvas.height) {
    canvas.width = chart.canvas.width;
    canvas.height = chart.canvas.height;
  }
  const ratio = chart.currentDevicePixelRatio;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const plot = plotOf(chart, ctx);
  drawHeatmap(plot, state);
  drawSeries(plot, state);
  drawArrows(plot, state);
  drawCursor(plot, state);
  captions.get(chart)?.paint(ctx);
}

/** Everything above, drawn into the chart (files) or onto the overlay after each chart draw (screen). */
export function layersPlugin(state: LayerState, fontFamily: string | undefined): Plugin<'scatter'> {
  return {
    id: 'ganlabLayers',
    start(chart) {
      const box = new Caption(chart, state, fontFamily);
      captions.set(chart, box);
      layouts.addBox(chart, box);
      const scale = new ColorScale(chart, state, fontFamily);
      colorScales.set(chart, scale);
      layouts.addBox(chart, scale);
    },
    stop(chart) {
      const box = captions.get(chart);
      if (box) layouts.removeBox(chart, box);
      captions.delete(chart);
      const scale = colorScales.get(chart);
      if (scale) layouts.removeBox(chart, scale);
      colorScales.delete(chart);
    },
    beforeDatasetsDraw(chart) {
      if (state.overlay) return;
      const plot = plotOf(chart);
      drawHeatmap(plot, state);
      drawSeries(plot, state);
    },
    afterDatasetsDraw(chart) {
      if (state.overlay) return;
      const plot = plotOf(chart);
      drawArrows(plot, state);
      drawCursor(plot, state);
      drawOffChartNote(plot, state, fontFamily);
    },
    afterDraw(chart) {
      if (state.overlay) repaintLayers(chart, state);
    },
  };
}
