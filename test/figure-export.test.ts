/**
 * Figure exports from a run's records: every figure in every format opens in a real decoder
 * (PNG and SVG through Skia, PDF through pdf.js, GIF through gifuct-js), the vectors look like
 * the PNG of the same figure, GIF frames and per-step files share their axes, and the CSV holds
 * exactly the points drawn.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { decompressFrames, parseGIF } from 'gifuct-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportStyleSchema, type ExportStyle } from '../src/shared/contract.js';
import { FIGURES, type FigureKind, type FigureModel } from '../src/shared/figures/model.js';
import { modelCsv, modelJson, toCsv } from '../src/main/figures/data.js';
import { FIGURE_FONT as EXPORT_FONT } from '../src/shared/figures/model.js';
import { exportFigure, exportFigureBatch } from '../src/main/service/figure-export.js';
import { sharedBounds } from '../src/shared/figures/bounds.js';
import { figureModel, type FigureRequest } from '../src/main/service/figures.js';
import { UserError } from '../src/main/service/runs.js';
import { openStore, type RunRow, type RunStore } from '../src/main/store/index.js';
import { blockDifference, blocks, distinctColors, rasterize, rasterizePdf, type Pixels } from './helpers/images.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let store: RunStore;
let article: RunRow;
let published: RunRow;
let projected: RunRow;

const style = (s: Partial<ExportStyle> = {}): ExportStyle => ExportStyleSchema.parse(s);
const ALL_LAYERS = { heatmap: true, manifold: true, arrows: true };

beforeAll(async () => {
  store = openStore(path.join(dir, 'figures.db'));
  article = await finishedRun(store, { name: 'Article run #1' }); // snapshots at 0, 50, 100, 150, 199
  published = await finishedRun(store, { preset: 'published-code', iterations: 60, snapshotEvery: 10, name: 'published' });
  projected = await finishedRun(store, { overrides: { discriminator: { featureWidth: 4 } }, name: 'wide features' });
}, 120_000);

afterAll(() => store.close());

function svgDocument(bytes: Uint8Array) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(Buffer.from(bytes).toString('utf8'), 'image/svg+xml');
  expect(errors).toEqual([]);
  return doc;
}

function svgTexts(bytes: Uint8Array): string[] {
  const texts = svgDocument(bytes).getElementsByTagName('text');
  return Array.from({ length: texts.length }, (_, i) => texts.item(i)!.textContent ?? '');
}

const pixelAt = (p: Pixels, x: number, y: number) => Array.from(p.data.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4));

/** Points a figure draws, heatmap cells with a value, and arrows: what its CSV must list. */
function plotted(m: FigureModel): number {
  const points = m.series.filter((s) => s.style !== 'legend').flatMap((s) => s.points.filter((p) => p !== null)).length;
  return points + (m.heatmap?.values.filter((v) => v !== null).length ?? 0) + (m.arrows?.length ?? 0);
}

describe('every figure in every format', () => {
  const FORMATS = ['png', 'svg', 'pdf', 'csv', 'json'] as const;
  it.each(FIGURES)('%s as png, svg, pdf, csv and json', async (figure) => {
    const req: FigureRequest = { figure, ...(figure === 'samples' ? { layers: ALL_LAYERS } : {}) };
    const model = figureModel(store, article, req);
    const step = figure === 'losses' || figure === 'metrics' ? '' : '-step-199';
    const phase = figure === 'features' ? '-after-g' : '';
    for (const format of FORMATS) {
      const file = exportFigure(store, article, req, format, style());
      expect(file.fileName).toBe(`article-run-1-${figure}${step}${phase}.${format}`);
      const bytes = Buffer.from(file.bytes);
      switch (format) {
        case 'png': {
          expect(file.mime).toBe('image/png');
          const p = await rasterize(bytes);
          expect([p.width, p.height]).toEqual([800, 500]);
          expect(distinctColors(p)).toBeGreaterThan(10);
          break;
        }
        case 'svg':
          expect(file.mime).toBe('image/svg+xml');
          expect(svgTexts(bytes)).toContain(model.title);
          break;
        case 'pdf': {
          expect(file.mime).toBe('application/pdf');
          expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
          const p = await rasterizePdf(bytes, 800);
          expect(p.pages).toBe(1);
          expect(distinctColors(p)).toBeGreaterThan(10);
          break;
        }
        case 'csv': {
          expect(file.mime).toBe('text/csv');
          const lines = bytes.toString('utf8').trimEnd().split('\n');
          expect(lines[0]).toMatch(/^series,/);
          expect(lines.length - 1).toBe(plotted(model));
          break;
        }
        case 'json': {
          expect(file.mime).toBe('application/json');
          const parsed = JSON.parse(bytes.toString('utf8'));
          expect(parsed.model).toEqual(model);
          expect(parsed.meta.run).toMatchObject({ id: article.id, name: 'Article run #1', seed: 7 });
          expect(parsed.meta.request.figure).toBe(figure);
          break;
        }
      }
    }
  });

  it('the published-code run and a PCA-projected run export too, with their own axis titles', async () => {
    const overlay = exportFigure(store, published, { figure: 'features', phase: 'overlay-g' }, 'svg', style());
    expect(overlay.fileName).toBe('published-features-step-59-overlay-g.svg');
    const texts = svgTexts(overlay.bytes);
    expect(texts).toEqual(expect.arrayContaining(["D's feature space", 'real (after the D step)', 'generated (after the G step)']));
    for (const figure of ['features', 'centroids'] as const) {
      const svg = svgTexts(exportFigure(store, projected, { figure }, 'svg', style()).bytes);
      expect(svg.some((t) => /^PC 1 \(\d+% of variance\)$/.test(t))).toBe(true);
      expect(svg.some((t) => /^PC 2 \(\d+% of variance\)$/.test(t))).toBe(true);
    }
  });
});

describe('PNG', () => {
  it('is exactly width*scale x height*scale, at scale 1 and 3, the same picture finer', async () => {
    const [one, three] = await Promise.all(
      [1, 3].map((scale) => rasterize(exportFigure(store, article, { figure: 'losses' }, 'png', style({ scale, width: 640, height: 400 })).bytes)),
    );
    expect([one!.width, one!.height, three!.width, three!.height]).toEqual([640, 400, 1920, 1200]);
    expect(distinctColors(one!)).toBeGreaterThan(10);
    // the figure fills the larger canvas: it was drawn at 3 pixels per unit, not in a corner
    expect(blockDifference(blocks(one!), blocks(three!))).toBeLessThan(1);
  });

  it('has an opaque white background, or leaves alpha 0 outside what is drawn', async () => {
    const white = await rasterize(exportFigure(store, article, { figure: 'samples' }, 'png', style({ background: 'white' })).bytes);
    const clear = await rasterize(exportFigure(store, article, { figure: 'samples' }, 'png', style({ background: 'transparent' })).bytes);
    for (const [x, y] of [[0, 0], [799, 0], [0, 499], [799, 499]] as const) {
      expect(pixelAt(white, x, y)).toEqual([255, 255, 255, 255]);
      expect(pixelAt(clear, x, y)[3]).toBe(0);
    }
    // Most of the transparent one is empty, yet laid on white it is the white one: all drawn.
    let empty = 0;
    for (let i = 3; i < clear.data.length; i += 4) if (clear.data[i] === 0) empty++;
    expect(empty / (800 * 500)).toBeGreaterThan(0.5);
    expect(blockDifference(blocks(white), blocks(clear))).toBeLessThan(0.5);
    expect(blockDifference(blocks(white), blocks(await rasterize(exportFigure(store, article, { figure: 'features' }, 'png', style()).bytes)))).toBeGreaterThan(0.5);
  });
});

describe('SVG and PDF are vectors of the same picture', () => {
  it('SVG keeps its text as text: the legend and title are searchable, in the export font list', () => {
    const samples = exportFigure(store, article, { figure: 'samples', layers: ALL_LAYERS }, 'svg', style());
    const texts = svgTexts(samples.bytes);
    expect(texts).toEqual(expect.arrayContaining(['Real vs generated samples', 'iteration 199', 'real samples', 'generated samples', 'G manifold (noise grid)']));
    const losses = svgTexts(exportFigure(store, article, { figure: 'losses' }, 'svg', style()).bytes);
    expect(losses).toEqual(expect.arrayContaining(['Losses — Article run #1', 'D loss', 'G loss', 'iteration']));
    const root = svgDocument(samples.bytes).documentElement!;
    expect([root.tagName, root.getAttribute('width'), root.getAttribute('height')]).toEqual(['svg', '800', '500']);
    const fonts = new Set([...Buffer.from(samples.bytes).toString('utf8').matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...fonts]).toEqual([EXPORT_FONT]);
  });

  it('SVG draws each sample as a path of its own, in its set\'s colour: every point is there', () => {
    const model = figureModel(store, published, { figure: 'features', phase: 'overlay-g' });
    const bytes = exportFigure(store, published, { figure: 'features', phase: 'overlay-g' }, 'svg', style()).bytes;
    const paths = svgDocument(bytes).getElementsByTagName('path');
    const fills = Array.from({ length: paths.length }, (_, i) => (paths.item(i)!.getAttribute('fill') ?? '').toLowerCase());
    // The real features after the D step: #1f6fd1 at 0.7 opacity, one path per point (the legend adds one).
    const realPoints = model.series.find((s) => s.label === 'real (after the D step)')!.points.length;
    expect(realPoints).toBe(64);
    expect(fills.filter((f) => f === '#1f6fd1').length).toBeGreaterThanOrEqual(realPoints);
  });

  it('PDF has one page of width x height points', async () => {
    const pdf = Buffer.from(exportFigure(store, article, { figure: 'metrics' }, 'pdf', style({ width: 720, height: 450 })).bytes);
    // Skia writes the page dictionary uncompressed.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 720 450\]/);
    const p = await rasterizePdf(pdf, 720);
    expect([p.pages, p.width, p.height]).toEqual([1, 720, 450]);
  });

  /**
   * Coarse comparison: mean absolute difference of 24x16 block means (0-255). Measured with this
   * fixture: SVG vs PNG 0.04-0.08 and PDF vs PNG 0.07-0.23 for the same figure (text and edges
   * anti-aliased differently), against 2.4 and more for two different figures of a run (features
   * vs centroids, the closest pair; samples vs anything else is above 100). 1.0 sits between.
   */
  const SAME = 1.0;

  it.each([
    ['samples with every layer', { figure: 'samples', layers: ALL_LAYERS }, 'features', 'article'],
    ['features overlaid across the G step', { figure: 'features', phase: 'overlay-g' }, 'centroids', 'published'],
    ['losses', { figure: 'losses' }, 'metrics', 'article'],
  ] as Array<[string, FigureRequest, FigureKind, 'article' | 'published']>)('%s: SVG and PDF rasterised look like the PNG; another figure does not', async (_name, req, other, which) => {
    const run = which === 'article' ? article : published;
    const png = blocks(await rasterize(exportFigure(store, run, req, 'png', style()).bytes));
    const svg = blocks(await rasterize(exportFigure(store, run, req, 'svg', style()).bytes, 800, 500));
    const pdf = blocks(await rasterizePdf(exportFigure(store, run, req, 'pdf', style()).bytes, 800));
    expect(blockDifference(png, svg)).toBeLessThan(SAME);
    expect(blockDifference(png, pdf)).toBeLessThan(SAME);
    const different = blocks(await rasterize(exportFigure(store, run, { figure: other }, 'svg', style()).bytes, 800, 500));
    expect(blockDifference(png, different)).toBeGreaterThan(SAME);
  });
});

describe('GIF', () => {
  it('has one frame per snapshot step at the fps-derived delay, at width*scale, looping', () => {
    for (const [fps, delay] of [[2, 500], [3, 330]] as const) {
      const bytes = Buffer.from(exportFigure(store, published, { figure: 'samples', layers: { heatmap: true } }, 'gif', style({ fps, scale: 1, width: 400, height: 250 })).bytes);
      const gif = parseGIF(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      const frames = decompressFrames(gif, true);
      expect(frames).toHaveLength(store.snapshotSteps(published.id).length);
      expect(frames.length).toBe(7);
      expect(frames.map((f) => f.delay)).toEqual(frames.map(() => delay));
      expect(frames.map((f) => [f.dims.width, f.dims.height])).toEqual(frames.map(() => [400, 250]));
      expect(bytes.includes(Buffer.from('NETSCAPE2.0', 'latin1'))).toBe(true);
      // frames differ: G's samples move over the run
      expect(Buffer.from(frames[0]!.patch).equals(Buffer.from(frames[6]!.patch))).toBe(false);
    }
  });

  it('is named for the figure without a step, and scales', () => {
    const file = exportFigure(store, article, { figure: 'features', phase: 'overlay-d' }, 'gif', style({ scale: 2, width: 300, height: 200 }));
    expect([file.fileName, file.mime]).toEqual(['article-run-1-features-overlay-d.gif', 'image/gif']);
    const bytes = Buffer.from(file.bytes);
    const frames = decompressFrames(parseGIF(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer), true);
    expect(frames.map((f) => f.dims.width)).toEqual([600, 600, 600, 600, 600]);
  });

  it('refuses the figures that span the whole run, with a message saying why', () => {
    for (const figure of ['losses', 'metrics'] as const) {
      expect(() => exportFigure(store, article, { figure }, 'gif', style())).toThrow(UserError);
      expect(() => exportFigure(store, article, { figure }, 'gif', style())).toThrow(new RegExp(`^${figure} cannot be a GIF: it spans the whole run`));
    }
  });
});

describe('shared axes across steps', () => {
  it('every frame gets the union of the frames’ data, with a margin; the samples keep their data box', () => {
    const steps = store.snapshotSteps(article.id);
    for (const figure of ['features', 'centroids', 'samples'] as const) {
      const models = steps.map((step) => figureModel(store, article, { figure, step }));
      // As a GIF's frames are made: every step on the run's axes.
      const shared = steps.map((step) => figureModel(store, article, { figure, step, axes: 'run' }));
      const b = shared[0]!.bounds!;
      expect(shared.every((m) => JSON.stringify(m.bounds) === JSON.stringify(b))).toBe(true);
      for (const m of models) {
        for (const s of m.series) {
          for (const p of s.points) {
            if (!p || figure === 'samples') continue;
            expect(p.x).toBeGreaterThan(b.xMin);
            expect(p.x).toBeLessThan(b.xMax);
            expect(p.y).toBeGreaterThan(b.yMin);
            expect(p.y).toBeLessThan(b.yMax);
          }
        }
      }
      if (figure === 'samples') expect(b).toEqual(models[0]!.bounds);
      else {
        // Widened to round numbers: each end a whole multiple of a 1-2-5 step of the span.
        for (const [lo, hi] of [[b.xMin, b.xMax], [b.yMin, b.yMax]] as const) {
          const power = 10 ** Math.floor(Math.log10((hi - lo) / 8));
          const multiple = (v: number) => [1, 2, 5, 10].some((k) => Math.abs(v / (k * power) - Math.round(v / (k * power))) < 1e-9);
          expect(multiple(lo) && multiple(hi)).toBe(true);
        }
      }
    }
  });
});

describe('one set of axes for a run, on screen too', () => {
  it("axes 'run' give every step the GIF's shared axes, holding every step's points; axes 'step' fit each snapshot", () => {
    const steps = store.snapshotSteps(article.id);
    for (const req of [{ figure: 'features', phase: 'overlay-g' }, { figure: 'centroids' }, { figure: 'samples', layers: ALL_LAYERS }] as const) {
      const perStep = steps.map((step) => figureModel(store, article, { ...req, step }));
      const perRun = steps.map((step) => figureModel(store, article, { ...req, step, axes: 'run' }));
      const gif = sharedBounds(perStep)!;
      for (const [i, m] of perRun.entries()) {
        expect(m.bounds).toEqual(gif);
        // The same picture otherwise.
        expect({ ...m, bounds: undefined }).toEqual({ ...perStep[i]!, bounds: undefined });
        for (const p of perStep.flatMap((x) => x.series.flatMap((s) => s.points))) {
          if (!p) continue;
          expect(p.x).toBeGreaterThanOrEqual(gif.xMin);
          expect(p.x).toBeLessThanOrEqual(gif.xMax);
          expect(p.y).toBeGreaterThanOrEqual(gif.yMin);
          expect(p.y).toBeLessThanOrEqual(gif.yMax);
        }
      }
      // Each step's own axes hold its own points, and for the feature space they differ along the run.
      for (const m of perStep) {
        const b = m.bounds!;
        for (const p of m.series.flatMap((s) => s.points)) if (p) expect(p.x >= b.xMin && p.x <= b.xMax && p.y >= b.yMin && p.y <= b.yMax).toBe(true);
      }
      if (req.figure !== 'samples') expect(new Set(perStep.map((m) => JSON.stringify(m.bounds))).size).toBeGreaterThan(1);
    }
  });
});

describe('one file per step', () => {
  it('writes step-NNNNNN files into a new folder named for the run, figure and time', async () => {
    const root = path.join(dir, 'exports');
    const a = await exportFigureBatch(store, article, { figure: 'samples', layers: { heatmap: true } }, 'png', style(), root);
    expect(path.dirname(a.directory)).toBe(root);
    expect(path.basename(a.directory)).toMatch(/^article-run-1-samples-\d{8}-\d{6}(-\d+)?$/);
    expect(a.files).toBe(5);
    expect(readdirSync(a.directory).sort()).toEqual(['step-000000.png', 'step-000050.png', 'step-000100.png', 'step-000150.png', 'step-000199.png']);
    // a second export never writes into the first one's folder
    const b = await exportFigureBatch(store, article, { figure: 'features' }, 'json', style(), root);
    expect(b.directory).not.toBe(a.directory);
    const models = readdirSync(b.directory)
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(b.directory, f), 'utf8')).model as FigureModel);
    expect(models.map((m) => m.step)).toEqual([0, 50, 100, 150, 199]);
    expect(new Set(models.map((m) => JSON.stringify(m.bounds))).size).toBe(1);
    expect(models[0]!.bounds).toBeDefined();
  });

  it('refuses losses and metrics, and an unknown step', async () => {
    await expect(exportFigureBatch(store, article, { figure: 'losses' }, 'csv', style(), dir)).rejects.toThrow(/^losses cannot be exported one file per step/);
    expect(() => exportFigure(store, article, { figure: 'samples', step: 7 }, 'png', style())).toThrow(/no snapshot at step 7/);
    expect(existsSync(path.join(dir, 'article-run-1-losses'))).toBe(false);
  });

  it('refuses a raster too large to hold in memory', () => {
    expect(() => exportFigure(store, article, { figure: 'losses' }, 'png', style({ width: 4000, height: 4000, scale: 4 }))).toThrow(/256 megapixels; at most 64/);
  });
});

describe('CSV and JSON of exactly what is drawn', () => {
  it('lists every plotted point, heatmap cell and arrow, and numbers the pieces of broken lines', () => {
    const m = figureModel(store, article, { figure: 'samples', layers: ALL_LAYERS });
    const lines = modelCsv(m).trimEnd().split('\n');
    expect(lines[0]).toBe('series,segment,x,y,value,x_end,y_end');
    expect(lines).toHaveLength(1 + plotted(m));
    const rows = lines.slice(1).map((l) => l.split(','));
    const real = m.series.find((s) => s.label === 'real samples')!.points;
    expect(rows.filter((r) => r[0] === 'real samples').map((r) => [Number(r[2]), Number(r[3])])).toEqual(real.map((p) => [p!.x, p!.y]));
    expect(rows.filter((r) => r[0] === 'heatmap')).toHaveLength(12 * 12);
    expect(rows.filter((r) => r[0] === 'arrow')).toHaveLength(m.arrows!.length);
    expect(rows.find((r) => r[0] === 'arrow')!.slice(2).map(Number)).toEqual([m.arrows![0]![0], m.arrows![0]![1], 0, m.arrows![0]![2], m.arrows![0]![3]]);
    // G's manifold: a 6x6 noise grid is 6 row lines and 6 column lines
    expect(new Set(rows.filter((r) => r[0] === 'G manifold (noise grid)').map((r) => r[1])).size).toBe(12);
  });

  it('a loss figure is series,x,y, with the raw curves under smoothed ones', () => {
    const m = figureModel(store, article, { figure: 'losses', smoothing: 0.9 });
    const lines = modelCsv(m).trimEnd().split('\n');
    expect(lines[0]).toBe('series,x,y');
    expect(lines.filter((l) => l.startsWith('D loss (raw),'))).toHaveLength(200);
    expect(lines.filter((l) => l.startsWith('D loss (smoothed 0.9),'))).toHaveLength(200);
  });

  it('quotes fields per RFC 4180 and leaves missing cells empty', () => {
    expect(toCsv(['a', 'b'], [['x, "y"', 1], [null, 2.5]])).toBe('a,b\n"x, ""y""",1\n,2.5\n');
  });

  it('JSON carries the model unchanged and the meta given', () => {
    const m = figureModel(store, projected, { figure: 'centroids' });
    expect(JSON.parse(modelJson(m, { runs: [1, 2] }))).toEqual({ meta: { runs: [1, 2] }, model: m });
  });
});
