/**
 * A run's figures as files: PNG/SVG/PDF/GIF drawn from the figure's model (figures/render.ts),
 * CSV/JSON of exactly what it shows (figures/data.ts). Every model comes from figureModel, as on
 * screen, so a file and the screen cannot disagree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportStyle } from '../../shared/contract.js';
import { ANIMATED_FIGURES, type FigureModel } from '../../shared/figures/model.js';
import { modelCsv, modelJson } from '../figures/data.js';
import { figureRenderer, renderGif, type FigureRenderer } from '../figures/render.js';
import type { RunRow, RunStore } from '../store/index.js';
import { figureModel, type FigureRequest } from './figures.js';
import { UserError } from './runs.js';
import { APP_VERSION } from './version.js';

export type ExportFormat = 'png' | 'svg' | 'pdf' | 'gif' | 'csv' | 'json';

export interface ExportedFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

export const MIME_TYPES: Record<ExportFormat, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  gif: 'image/gif',
  csv: 'text/csv',
  json: 'application/json',
};

/** Beyond this a raster figure (one PNG, one GIF frame) needs hundreds of megabytes. */
const MAX_MEGAPIXELS = 64;

/** A file-name-safe form of a run's name: lower case, dashes, at most 60 characters. */
export function slugOf(run: RunRow): string {
  const slug = run.name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || `run-${run.id}`;
}

/** What the run and request were, for a JSON export: enough to make the figure again. */
function meta(run: RunRow, req: FigureRequest, model: FigureModel): Record<string, unknown> {
  const request = Object.fromEntries(Object.entries({ ...req, step: model.step ?? req.step }).filter(([, v]) => v !== undefined));
  return {
    exportedBy: `GAN Lab ${APP_VERSION}`,
    run: { id: run.id, name: run.name, status: run.status, seed: run.seed, iterationsDone: run.iterationsDone, appVersion: run.appVersion, config: run.config },
    request,
  };
}

/** Refuses a raster too large to hold in memory, with the numbers. */
export function checkSize(style: ExportStyle, format: ExportFormat): void {
  if (format !== 'png' && format !== 'gif') return;
  const mp = (style.width * style.scale * style.height * style.scale) / 1e6;
  if (mp > MAX_MEGAPIXELS) {
    throw new UserError(`a ${style.width}x${style.height} figure at scale ${style.scale} is ${Math.round(mp)} megapixels; at most ${MAX_MEGAPIXELS} (lower the scale or the size)`);
  }
}

/** One model as the bytes of a file: drawn (PNG, SVG, PDF) or its data (CSV, JSON, with `info` beside the model). */
export function encode(model: FigureModel, format: Exclude<ExportFormat, 'gif'>, renderer: FigureRenderer, info: Record<string, unknown>): Buffer {
  switch (format) {
    case 'csv':
      return Buffer.from(modelCsv(model), 'utf8');
    case 'json':
      return Buffer.from(modelJson(model, info), 'utf8');
    default:
      return renderer.render(model, format);
  }
}

/**
 * The figure at every snapshot step, for a GIF or a folder of files, on the run's one set of axes
 * (as Replay shows it) so the picture does not jump from frame to frame; only step figures have
 * steps.
 */
function stepModels(store: RunStore, run: RunRow, req: FigureRequest, refusal: string): FigureModel[] {
  if (!ANIMATED_FIGURES.includes(req.figure)) {
    throw new UserError(`${req.figure} ${refusal}: it spans the whole run, not one snapshot step (only ${ANIMATED_FIGURES.join(', ')} do)`);
  }
  const steps = store.snapshotSteps(run.id);
  if (steps.length === 0) throw new UserError(`run ${run.id} has no snapshots yet`);
  return steps.map((step) => figureModel(store, run, { ...req, step, nearest: false, axes: 'run' }));
}

function fileStem(run: RunRow, req: FigureRequest, step: number | undefined): string {
  const phase = req.figure === 'features' ? `-${req.phase ?? 'after-g'}` : '';
  return `${slugOf(run)}-${req.figure}${step !== undefined ? `-step-${step}` : ''}${phase}`;
}

export function exportFigure(store: RunStore, run: RunRow, req: FigureRequest, format: ExportFormat, style: ExportStyle): ExportedFile {
  checkSize(style, format);
  if (format === 'gif') {
    const models = stepModels(store, run, req, 'cannot be a GIF');
    return { fileName: `${fileStem(run, req, undefined)}.gif`, mime: MIME_TYPES.gif, bytes: renderGif(models, style) };
  }
  const model = figureModel(store, run, req);
  return {
    fileName: `${fileStem(run, req, model.step ?? req.step)}.${format}`,
    mime: MIME_TYPES[format],
    bytes: encode(model, format, figureRenderer(style), meta(run, req, model)),
  };
}

/** `yyyymmdd-hhmmss` in local time, for a folder a person will look for. */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function writeError(target: string, err: unknown): UserError {
  return new UserError(`cannot write "${target}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
}

/** A folder that did not exist before: `name`, or `name-2`, `name-3`... if an export in the same second took it. */
function newFolder(root: string, name: string): string {
  try {
    mkdirSync(root, { recursive: true });
  } catch (err) {
    throw writeError(root, err);
  }
  for (let n = 1; ; n++) {
    const dir = path.join(root, n === 1 ? name : `${name}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(dir, err);
    }
  }
}

/** One file per snapshot step, `step-000123.<ext>`, with shared axes, into a new folder under `root`. */
export function exportFigureBatch(
  store: RunStore,
  run: RunRow,
  req: FigureRequest,
  format: Exclude<ExportFormat, 'gif'>,
  style: ExportStyle,
  root: string,
): { directory: string; files: number } {
  checkSize(style, format);
  const models = stepModels(store, run, req, 'cannot be exported one file per step');
  const directory = newFolder(root, `${slugOf(run)}-${req.figure}-${stamp(new Date())}`);
  const renderer = figureRenderer(style); // one canvas for every file
  for (const model of models) {
    const file = path.join(directory, `step-${String(model.step ?? 0).padStart(6, '0')}.${format}`);
    try {
      writeFileSync(file, encode(model, format, renderer, meta(run, req, model)));
    } catch (err) {
      throw writeError(file, err);
    }
  }
  return { directory, files: models.length };
}
