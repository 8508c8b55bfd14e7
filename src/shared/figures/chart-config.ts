/**
 * A FigureModel as a Chart.js configuration: the one drawing of every figure. The renderer hands
 * it to Chart.js on a screen canvas; the main side hands it to Chart.js on @napi-rs/canvas
 * surfaces (a raster canvas for PNG and GIF frames, Skia's SVG and PDF canvases for vectors).
 * What Chart.js has no element for, and a step figure's data, are drawn by the plugins in
 * chart-layers.ts through the 2-D context, so they come out as vectors in SVG and PDF.
 */
import {
  Filler,
  Legend,
  LinearScale,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { backgroundPlugin, drawsOwnSeries, layersPlugin, lookOf, type LayerState } from './chart-layers.js';
import { logTickLabel, tickDecades } from './log-axis.js';
import type { FigureModel, Series } from './model.js';
import type { Palette } from './palette.js';

export type { LayerState } from './chart-layers.js';

/** What Chart.js must have registered to draw any figure (register once per Chart import). */
export const CHART_COMPONENTS = [ScatterController, LinearScale, LogarithmicScale, PointElement, LineElement, Filler, Legend, Title, Tooltip];

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

function dataset(s: Series, palette: Palette, index: number, ownSeries: boolean): Dataset {
  const look = lookOf(s, palette);
  // A step figure's series are drawn by the layers plugin: the dataset is its legend entry and
  // its show/hide switch. Chart.js cannot parse a null item; a point with no coordinates breaks
  // a line just the same.
  const data = ownSeries || s.style === 'legend' ? [] : s.points.map((p) => p ?? GAP);
  const base: Dataset = { label: s.label, data, pointStyle: look.pointStyle, pointRadius: look.radius, backgroundColor: look.fill, borderColor: look.stroke, borderWidth: look.borderWidth };
  switch (s.style) {
    case 'points':
      return { ...base, pointHoverRadius: look.radius + 2, order: 20 - index };
    case 'marker':
      return { ...base, pointHoverRadius: look.radius + 2, order: 0 };
    case 'legend':
      return { ...base, order: 10 - index };
    case 'line':
    case 'faint':
    case 'band':
      return {
        ...base,
        order: 10 - index,
        showLine: true,
        spanGaps: false,
        pointHoverRadius: 3,
        borderColor: look.lineColor,
        backgroundColor: look.fill,
        borderDash: look.dash,
        fill: s.style === 'band' ? '-1' : false,
      };
  }
}

function axis(title: string, type: 'linear' | 'logarithmic', palette: Palette, range: { min?: number; max?: number }, font: { family?: string }) {
  return {
    type,
    ...range,
    title: { display: true, text: title, color: palette.text, font: { size: 12, weight: 'bold' as const, ...font } },
    // a log axis has a tick at every 1..9 of each decade: grid lines only where a label is
    grid: { color: type === 'logarithmic' ? (c: { tick?: { label?: unknown } }) => (c.tick?.label ? palette.grid : 'transparent') : palette.grid },
    border: { color: palette.grid },
    ticks: {
      color: palette.text,
      maxTicksLimit: 8,
      font: { size: 11, ...font },
      // Chart.js writes every tick of a wide log axis with the same decimals ("100.0000000");
      // logTickLabel writes each by its own size and chooses which to label, so none is skipped.
      // No tick limit there: Chart.js measures only every (ticks / limit)-th label to size the
      // axis, which on a log axis of 70 ticks missed "0.001" and drew it over the axis title.
      ...(type === 'logarithmic'
        ? { autoSkip: false, maxTicksLimit: Number.MAX_SAFE_INTEGER, callback: (value: number | string, _index: number, ticks: ReadonlyArray<{ value: number }>) => logTickLabel(Number(value), tickDecades(ticks)) }
        : {}),
    },
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
  const ownSeries = drawsOwnSeries(model);
  return {
    type: 'scatter',
    data: { datasets: model.series.map((s, i) => dataset(s, palette, i, ownSeries)) },
    options: {
      animation: false,
      responsive: options.interactive ?? false,
      maintainAspectRatio: false,
      layout: { padding: 8 },
      // On screen, hovering a curve reads out its nearest point (a step figure's points are not
      // Chart.js elements: the screen reads them out itself, see FigureChart).
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: axis(model.xTitle, model.xScale, palette, b ? { min: b.xMin, max: b.xMax } : {}, font),
        y: axis(model.yTitle, model.yScale, palette, b ? { min: b.yMin, max: b.yMax } : {}, font),
      },
      plugins: {
        title: { display: true, text: model.title, color: palette.strong, font: { size: 14, weight: 'bold', ...font } },
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
    plugins: [backgroundPlugin(state), layersPlugin(state, options.fontFamily)],
  };
}
