/**
 * A FigureModel as a Chart.js configuration: the one drawing of every figure. The renderer hands
 * it to Chart.js on a screen canvas; the main side hands it to Chart.js on @napi-rs/canvas
 * surfaces (a raster canvas for PNG and GIF frames, Skia's SVG and PDF canvases for vectors).
 * Layers Chart.js has no element for (heatmap, arrows, the step cursor, an opaque background)
 * are plugins that draw through the 2-D context, so they come out as vectors in SVG and PDF.
 */
import {
  Filler,
  Legend,
  LinearScale,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  SubTitle,
  Title,
  Tooltip,
  type Chart,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import type { FigureModel, Series } from './model.js';
import { ramp, withAlpha, type Palette } from './palette.js';

/** What Chart.js must have registered to draw any figure (register once per Chart import). */
export const CHART_COMPONENTS = [ScatterController, LinearScale, LogarithmicScale, PointElement, LineElement, Filler, Legend, Title, SubTitle, Tooltip];

export interface DrawOptions {
  palette: Palette;
  /** Fill the whole figure first ('surface' = the palette's surface), or leave it transparent. */
  background: 'surface' | 'white' | 'transparent';
  /** Font family for every text. */
  fontFamily?: string;
  /** On screen: resize with the container and show tooltips. */
  interactive?: boolean;
}

type Dataset = ChartDataset<'scatter', Array<{ x: number; y: number } | null>>;
const GAP = { x: Number.NaN, y: Number.NaN };

function dataset(s: Series, palette: Palette, index: number): Dataset {
  const color = palette.roles[s.color];
  // Chart.js cannot parse a null item; a point with no coordinates breaks a line just the same.
  const base: Dataset = { label: s.label, data: s.points.map((p) => p ?? GAP), order: 10 - index };
  switch (s.style) {
    case 'points':
      return { ...base, pointStyle: s.shape ?? 'circle', pointRadius: s.radius ?? 2.5, pointHoverRadius: (s.radius ?? 2.5) + 2, backgroundColor: withAlpha(color, 0.7), borderColor: color, borderWidth: s.shape === 'triangle' ? 1 : 0, order: 20 - index };
    case 'marker':
      return { ...base, pointStyle: s.shape ?? 'rectRot', pointRadius: s.radius ?? 8, pointHoverRadius: (s.radius ?? 8) + 2, backgroundColor: color, borderColor: palette.strong, borderWidth: 2, order: 0 };
    case 'line':
    case 'faint':
    case 'band': {
      const faint = s.style === 'faint';
      return {
        ...base,
        showLine: true,
        spanGaps: false,
        // The legend shows a line as a line (and a band as a swatch), not as a dot.
        pointStyle: s.style === 'band' ? 'rect' : s.radius ? 'circle' : 'line',
        // A line with a radius marks its points (a centroid's path, one dot per snapshot).
        pointRadius: s.radius ?? 0,
        pointHoverRadius: 3,
        borderWidth: faint ? 1 : 2,
        borderColor: faint ? withAlpha(color, 0.3) : s.style === 'band' ? withAlpha(color, 0.25) : color,
        backgroundColor: s.style === 'band' ? withAlpha(color, 0.18) : color,
        borderDash: s.dashed ? [6, 4] : [],
        fill: s.style === 'band' ? '-1' : false,
      };
    }
    case 'legend':
      return { ...base, data: [], pointStyle: 'rect', pointRadius: 6, backgroundColor: color, borderColor: color };
  }
}

/**
 * What the layer plugins draw. Chart.js fixes a chart's plugins when it is created, so the
 * plugins read this object at draw time; a chart that shows a new model updates it in place
 * (see bindLayers) instead of being rebuilt.
 */
export interface LayerState {
  model: FigureModel;
  palette: Palette;
  fill: string | null;
}

function backgroundPlugin(state: LayerState): Plugin<'scatter'> {
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

function pixel(chart: Chart<'scatter'>, x: number, y: number): [number, number] {
  return [chart.scales.x!.getPixelForValue(x), chart.scales.y!.getPixelForValue(y)];
}

function layersPlugin(state: LayerState): Plugin<'scatter'> {
  return {
    id: 'ganlabLayers',
    beforeDatasetsDraw(chart) {
      const { model, palette } = state;
      const h = model.heatmap;
      if (!h) return;
      const { ctx, chartArea } = chart;
      const { res, values, bounds } = h;
      const cw = (bounds.xMax - bounds.xMin) / res;
      const ch = (bounds.yMax - bounds.yMin) / res;
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      for (let row = 0; row < res; row++) {
        for (let col = 0; col < res; col++) {
          const v = values[row * res + col];
          if (v === null || v === undefined) continue;
          const [x0, y0] = pixel(chart, bounds.xMin + col * cw, bounds.yMin + (row + 1) * ch);
          const [x1, y1] = pixel(chart, bounds.xMin + (col + 1) * cw, bounds.yMin + row * ch);
          ctx.fillStyle = ramp(palette.roles.heat, v);
          // Half a pixel of overlap hides the seams anti-aliasing leaves between cells.
          ctx.fillRect(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5);
        }
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const { model, palette } = state;
      const { ctx, chartArea } = chart;
      if (model.arrows?.length) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
        ctx.clip();
        ctx.strokeStyle = palette.roles.arrow;
        ctx.fillStyle = palette.roles.arrow;
        ctx.lineWidth = 1.2;
        for (const [ax, ay, bx, by] of model.arrows) {
          const [x0, y0] = pixel(chart, ax, ay);
          const [x1, y1] = pixel(chart, bx, by);
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
      if (model.cursor !== undefined) {
        const x = chart.scales.x!.getPixelForValue(model.cursor);
        if (x >= chartArea.left - 0.5 && x <= chartArea.right + 0.5) {
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
      }
    },
  };
}

function axis(title: string, type: 'linear' | 'logarithmic', palette: Palette, range: { min?: number; max?: number }, font: { family?: string }) {
  return {
    type,
    ...range,
    title: { display: true, text: title, color: palette.text, font: { size: 12, weight: 'bold' as const, ...font } },
    grid: { color: palette.grid },
    border: { color: palette.grid },
    ticks: { color: palette.text, maxTicksLimit: 8, font: { size: 11, ...font } },
  };
}

/** Points the layer plugins of a chart made from `state` at another model and style. */
export function bindLayers(state: LayerState, model: FigureModel, options: DrawOptions): LayerState {
  state.model = model;
  state.palette = options.palette;
  state.fill = options.background === 'transparent' ? null : options.background === 'white' ? '#ffffff' : options.palette.surface;
  return state;
}

/**
 * The Chart.js configuration that draws `model`. To show another model on an existing chart,
 * take the new configuration's data and options and pass the chart's first LayerState as
 * `state` (its plugins keep reading it).
 */
export function toChartConfig(
  model: FigureModel,
  options: DrawOptions,
  state: LayerState = bindLayers({ model, palette: options.palette, fill: null }, model, options),
): ChartConfiguration<'scatter', Array<{ x: number; y: number } | null>> {
  const { palette } = options;
  bindLayers(state, model, options);
  const b = model.bounds;
  const font = options.fontFamily ? { family: options.fontFamily } : {};
  return {
    type: 'scatter',
    data: { datasets: model.series.map((s, i) => dataset(s, palette, i)) },
    options: {
      animation: false,
      responsive: options.interactive ?? false,
      maintainAspectRatio: false,
      layout: { padding: 8 },
      scales: {
        x: axis(model.xTitle, model.xScale, palette, b ? { min: b.xMin, max: b.xMax } : {}, font),
        y: axis(model.yTitle, model.yScale, palette, b ? { min: b.yMin, max: b.yMax } : {}, font),
      },
      plugins: {
        title: { display: true, text: model.title, color: palette.strong, font: { size: 14, weight: 'bold', ...font } },
        subtitle: { display: !!model.subtitle, text: model.subtitle ?? '', color: palette.text, font: { size: 11, ...font }, padding: { bottom: 6 } },
        legend: {
          display: true,
          labels: {
            color: palette.text,
            usePointStyle: true,
            boxWidth: 10,
            boxHeight: 10,
            padding: 10,
            font: { size: 11, ...font },
            filter: (item) => !model.series[item.datasetIndex ?? 0]?.hideInLegend,
            // In the model's order, not Chart.js's drawing order.
            sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
        tooltip: { enabled: options.interactive ?? false },
      },
    },
    plugins: [backgroundPlugin(state), layersPlugin(state)],
  };
}
