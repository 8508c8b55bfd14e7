/**
 * Draws FigureModels into files in Node (PNG, SVG, PDF, GIF) through the same Chart.js
 * configuration the screen uses (shared/figures/chart-config.ts), so nothing is drawn twice.
 *
 * Why @napi-rs/canvas: it is Skia, prebuilt for each platform and published on the npm registry
 * as optional platform packages (@napi-rs/canvas-linux-x64-gnu, ...), so `npm install` fetches it
 * like any other package: no binary download at install, no compiler. Skia has a raster, an SVG
 * and a PDF canvas behind one 2-D context, so Chart.js draws every format itself: SVG and PDF stay
 * vectors with real, searchable text. Being N-API, the same binary loads in Node and in Electron.
 */
import { createCanvas, PDFDocument, SvgExportFlag, type Canvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration } from 'chart.js';
import type { ExportStyle } from '../../shared/contract.js';
import { CHART_COMPONENTS, toChartConfig } from '../../shared/figures/chart-config.js';
import { FIGURE_FONT, type FigureModel } from '../../shared/figures/model.js';
import { LIGHT } from '../../shared/figures/palette.js';
import { joinGifFrames } from './gif-frames.js';

Chart.register(...CHART_COMPONENTS);


/** Skia's 2-D context, as a PDF page gives it (a raster or SVG canvas's context extends it). */
type Context2D = ReturnType<PDFDocument['beginPage']>;
type Config = ChartConfiguration<'scatter', Array<{ x: number; y: number } | null>>;

function exportConfig(model: FigureModel, background: ExportStyle['background'], pixelRatio: number): Config {
  const config = toChartConfig(model, { palette: LIGHT, background, fontFamily: FIGURE_FONT });
  config.options = { ...config.options, devicePixelRatio: pixelRatio };
  return config;
}

/**
 * Chart.js draws `config` into `ctx`, a `width` x `height` figure (at the config's
 * devicePixelRatio). In Node, Chart.js's BasicPlatform needs only an object with a size and
 * getContext('2d'), which it finds again as `ctx.canvas`. It gets a stand-in rather than the
 * Skia canvas because it resizes its canvas for the pixel ratio (a PDF page has no size to set)
 * and clears it on destroy(): zeroing the stand-in's size first makes that clear erase nothing,
 * so the drawing stays and the chart is still released.
 */
function drawChart(ctx: Context2D, width: number, height: number, config: Config): void {
  const surface = { width, height, style: {}, getContext: () => ctx };
  Object.defineProperty(ctx, 'canvas', { value: surface, configurable: true });
  // Otherwise Skia's text layout sends many labels to the SVG as one <text> per word, and a
  // search for "generated samples" finds nothing; the same setting in every format keeps their
  // glyphs alike.
  ctx.textRendering = 'geometricPrecision';
  // The one cast at the canvas boundary: Chart.js is typed for DOM canvases only.
  const chart = new Chart(surface as unknown as HTMLCanvasElement, config);
  surface.width = 0;
  surface.height = 0;
  chart.destroy();
}

/** Skia's SVG canvas names only the face it used; viewers get the whole list to fall back on. */
function withFontFallbacks(svg: string): string {
  return svg.replace(/font-family="[^"]*"/g, `font-family="${FIGURE_FONT}"`);
}

/**
 * Draws figures of one style, as many as asked, on one raster canvas. Node frees a Skia canvas
 * (and any pixel buffer read from it) only when its event loop turns, so a synchronous loop
 * making a canvas per figure holds them all: 100 PNGs at 800x500 held 160 MB, at scale 4 gigabytes.
 */
export interface FigureRenderer {
  render(model: FigureModel, format: 'png' | 'svg' | 'pdf'): Buffer;
  /** One frame as a single-frame GIF, always on white. */
  gifFrame(model: FigureModel): Buffer;
}

export function figureRenderer(style: ExportStyle): FigureRenderer {
  const { width, height, scale } = style;
  let raster: Canvas | undefined;
  const draw = (model: FigureModel, background: ExportStyle['background']): Canvas => {
    const canvas = (raster ??= createCanvas(width * scale, height * scale));
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawChart(ctx, width, height, exportConfig(model, background, scale));
    return canvas;
  };
  return {
    render(model, format) {
      switch (format) {
        case 'png':
          return draw(model, style.background).toBuffer('image/png');
        case 'svg': {
          const canvas = createCanvas(width, height, SvgExportFlag.NoPrettyXML);
          drawChart(canvas.getContext('2d'), width, height, exportConfig(model, style.background, 1));
          return Buffer.from(withFontFallbacks(canvas.getContent().toString('utf8')), 'utf8');
        }
        case 'pdf': {
          // A page of width x height points (1/72 in), the figure's size at 72 dpi.
          const pdf = new PDFDocument({ title: model.subtitle ? `${model.title} (${model.subtitle})` : model.title, creator: 'GAN Lab' });
          drawChart(pdf.beginPage(width, height), width, height, exportConfig(model, style.background, 1));
          pdf.endPage();
          return pdf.close();
        }
      }
    },
    // GIF transparency is one palette entry, on or off: anti-aliased edges would fringe, so frames are opaque.
    gifFrame: (model) => draw(model, 'white').toBuffer('image/gif'),
  };
}

/**
 * One frame per model, `style.fps` frames per second, looping. Each frame is encoded by
 * @napi-rs/canvas's own GIF encoder (palette and LZW in Rust) and gif-frames.ts joins them. Not
 * gifenc or the library's GifEncoder class: both take RGBA pixels, and the buffers Skia hands out
 * for those (canvas.data(), getImageData) are freed only when Node's event loop turns, so a
 * synchronous 100-frame loop held every frame's pixels (800 MB at 800x500).
 */
export function renderGif(models: FigureModel[], style: ExportStyle): Buffer {
  if (models.length === 0) throw new Error('a GIF needs at least one frame');
  const renderer = figureRenderer(style);
  // GIF delays are whole hundredths of a second.
  return joinGifFrames(models.map(renderer.gifFrame), Math.max(1, Math.round(100 / style.fps)));
}
