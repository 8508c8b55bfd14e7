/**
 * What the figures draw through the 2-D context themselves, as Chart.js plugins: an opaque
 * background, D's heatmap, the data of every step figure (scatter points, lines, markers), the
 * gradient arrows, the step cursor and the subtitle. Through the context they come out as vectors
 * in SVG and PDF. They are drawn from a LayerState read at draw time; on screen they go to a
 * canvas stacked over the chart's, so a chart showing the next snapshot on the same axes, or
 * its cursor elsewhere, only repaints that canvas (repaintLayers): no Chart.js update, layout,
 * element per point or redrawn axes (docs/performance.md, "Replay scrubbing").
 */
import { layouts, type Chart, type ChartArea, type LayoutItem, type Plugin, type PointStyle, type Scale } from 'chart.js';
import { drawPoint, renderText, toFont } from 'chart.js/helpers';
import { STEP_FIGURES, type FigureModel, type Series } from './model.js';
import { ramp, withAlpha, type Palette } from './palette.js';

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
function drawHeatmap(plot: Plot, { model, palette }: LayerState): void {
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
      ctx.fillStyle = ramp(palette.roles.heat, v);
      // Half a pixel of overlap hides the seams anti-aliasing leaves between cells.
      ctx.fillRect(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5);
    }
  }
  ctx.restore();
}

/** Each point of `s` with Chart.js's own point shapes; points far outside the plot are skipped. */
function drawPoints(plot: Plot, s: Series, look: Look): void {
  const { ctx, area: chartArea, x: xs, y: ys } = plot;
  const margin = look.radius + look.borderWidth;
  ctx.fillStyle = look.fill;
  ctx.strokeStyle = look.stroke;
  ctx.lineWidth = look.borderWidth;
  for (const p of s.points) {
    if (!p) continue;
    const x = xs.getPixelForValue(p.x);
    const y = ys.getPixelForValue(p.y);
    if (x < chartArea.left - margin || x > chartArea.right + margin || y < chartArea.top - margin || y > chartArea.bottom + margin) continue;
    drawPoint(ctx, look, x, y);
  }
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
  for (const { s, look } of shown) if (s.style === 'points') drawPoints(plot, s, look);
  for (const { s, look } of shown) {
    if (s.style === 'points' || s.style === 'marker') continue;
    drawPolyline(plot, s, look);
    if (look.radius > 0) drawPoints(plot, s, look);
  }
  for (const { s, look } of shown) if (s.style === 'marker') drawPoints(plot, s, look);
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

const CAPTION_FONT_SIZE = 11;
const CAPTION_PADDING_BOTTOM = 6;

/**
 * The subtitle line under the title, laid out as Chart.js lays out its SubTitle, but with its
 * text read from the LayerState when drawn: the step changing in a subtitle needs no Chart.js
 * update. Its height depends only on whether there is a subtitle.
 */
class Caption implements LayoutItem {
  position = 'top' as const;
  /** Between the title (2000) and the legend (1000), as Chart.js places its subtitle. */
  weight = 1500;
  fullSize = true;
  /** Read by Chart.js's layout (a box may name a stack); the caption has none. */
  readonly options = {};
  width = 0;
  height = 0;
  left = 0;
  top = 0;
  right = 0;
  bottom = 0;

  constructor(
    private readonly chart: Chart<'scatter'>,
    private readonly state: LayerState,
    private readonly family: string | undefined,
  ) {}

  private font() {
    return toFont({ size: CAPTION_FONT_SIZE, ...(this.family ? { family: this.family } : {}) });
  }

  isHorizontal(): boolean {
    return true;
  }

  update(maxWidth: number): void {
    this.width = maxWidth;
    this.height = this.state.model.subtitle ? this.font().lineHeight + CAPTION_PADDING_BOTTOM : 0;
  }

  /** Chart.js draws its boxes into the chart; on screen the caption is on the overlay. */
  draw(): void {
    if (!this.state.overlay) this.paint(this.chart.ctx);
  }

  paint(ctx: CanvasRenderingContext2D): void {
    const text = this.state.model.subtitle;
    if (!text) return;
    const font = this.font();
    renderText(ctx, text, 0, 0, font, {
      color: this.state.palette.text,
      maxWidth: this.right - this.left,
      textAlign: 'center',
      textBaseline: 'middle',
      translation: [(this.left + this.right) / 2, this.top + font.lineHeight / 2],
    });
  }
}

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
    },
    stop(chart) {
      const box = captions.get(chart);
      if (box) layouts.removeBox(chart, box);
      captions.delete(chart);
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
    },
    afterDraw(chart) {
      if (state.overlay) repaintLayers(chart, state);
    },
  };
}
