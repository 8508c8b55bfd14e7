/**
 * The two layout boxes the layer plugins add to a chart (chart-layers.ts): the subtitle line,
 * drawn from the LayerState so a new step needs no Chart.js update, and the heatmap's colour
 * scale right of the plot. Both are Chart.js LayoutItems; PlotBox holds what every box carries.
 */
import type { Chart, ChartArea, LayoutItem } from 'chart.js';
import { renderText, toFont } from 'chart.js/helpers';
import type { LayerState } from './chart-layers.js';
import { heatColor } from './palette.js';

/** A box in Chart.js's layout: where the layout put it, and no stack of its own. */
abstract class PlotBox implements LayoutItem {
  abstract position: LayoutItem['position'];
  abstract weight: number;
  abstract fullSize: boolean;
  /** Read by Chart.js's layout (a box may name a stack); these have none. */
  readonly options = {};
  width = 0;
  height = 0;
  left = 0;
  top = 0;
  right = 0;
  bottom = 0;
  constructor(
    protected readonly chart: Chart<'scatter'>,
    protected readonly state: LayerState,
    protected readonly family: string | undefined,
  ) {}
  abstract isHorizontal(): boolean;
  abstract update(maxWidth: number, maxHeight: number): void;
  abstract draw(chartArea: ChartArea): void;
}

const CAPTION_FONT_SIZE = 11;
const CAPTION_PADDING_BOTTOM = 6;

/**
 * The subtitle line under the title, laid out as Chart.js lays out its SubTitle, but with its
 * text read from the LayerState when drawn: the step changing in a subtitle needs no Chart.js
 * update. Its height depends only on whether there is a subtitle.
 */
export class Caption extends PlotBox {
  position = 'top' as const;
  /** Between the title (2000) and the legend (1000), as Chart.js places its subtitle. */
  weight = 1500;
  fullSize = true;

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

/**
 * The heatmap's colour scale: a bar right of the plot from D(x) = 0 at the bottom to 1 at the
 * top, with ticks at 0, 0.25, 0.5, 0.75 and 1, laid out as a Chart.js box so the plot makes room
 * for it. It takes room only while the model has a heatmap; it does not move with the step, so
 * it is drawn into the chart (not the overlay) on screen as in files.
 */
export class ColorScale extends PlotBox {
  position = 'right' as const;
  weight = 0;
  fullSize = false;
  static readonly BAR = 12;
  static readonly ROOM = 52;

  isHorizontal(): boolean {
    return false;
  }

  update(_maxWidth: number, maxHeight: number): void {
    this.width = this.state.model.heatmap ? ColorScale.ROOM : 0;
    this.height = maxHeight;
  }

  draw(chartArea: ChartArea): void {
    if (!this.state.model.heatmap) return;
    const ctx = this.chart.ctx;
    const font = toFont({ size: 10, ...(this.family ? { family: this.family } : {}) });
    const x = this.left + 10;
    const top = chartArea.top;
    const bottom = chartArea.bottom;
    const h = bottom - top;
    ctx.save();
    // Bands rather than a gradient: the same pixels in PNG, SVG and PDF.
    const bands = 40;
    for (let i = 0; i < bands; i++) {
      ctx.fillStyle = heatColor((i + 0.5) / bands);
      const y0 = bottom - ((i + 1) * h) / bands;
      ctx.fillRect(x, y0, ColorScale.BAR, h / bands + 0.5);
    }
    ctx.strokeStyle = this.state.palette.text;
    ctx.lineWidth = 1;
    ctx.strokeRect(x, top, ColorScale.BAR, h);
    ctx.fillStyle = this.state.palette.text;
    ctx.font = font.string;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      const y = bottom - v * h;
      ctx.beginPath();
      ctx.moveTo(x + ColorScale.BAR, y);
      ctx.lineTo(x + ColorScale.BAR + 3, y);
      ctx.stroke();
      ctx.fillText(String(v), x + ColorScale.BAR + 5, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText('D(x)', x + ColorScale.BAR / 2 + 6, top - 3);
    ctx.restore();
  }
}
