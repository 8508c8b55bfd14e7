/**
 * A run's figures as files: PNG/SVG/PDF/GIF drawn from the figure's model (figures/render.ts),
 * CSV/JSON of exactly what it shows (figures/data.ts). Every model comes from figureModel, as on
 * screen, so a file and the screen cannot disagree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { ExportStyle } from '../../shared/contract.js';
import { ANIMATED_FIGURES, type FigureModel } from '../../shared/figures/model.js';
import { figureRenderer, renderGif } from '../figures/render.js';
import { encode, renderInProcess, type FileFormat, type RenderControl, type RenderExports } from '../figures/render-job.js';
import type { RunRow, RunStore } from '../store/index.js';
import { figureModel, type FigureRequest } from './figures.js';
import { UserError } from './runs.js';
import { APP_VERSION } from './version.js';

export { encode } from '../figures/render-job.js';

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

/** How a long export runs: where it is drawn (in-process, or a worker thread), its progress and its cancel. */
export interface JobOptions extends RenderControl {
  render?: RenderExports;
}

/** A GIF over every snapshot step, frame by frame (see exportFigure for the one-call form). */
export async function exportGif(store: RunStore, run: RunRow, req: FigureRequest, style: ExportStyle, options: JobOptions = {}): Promise<ExportedFile> {
  checkSize(style, 'gif');
  const models = stepModels(store, run, req, 'cannot be a GIF');
  const { render = renderInProcess, ...control } = options;
  const [bytes] = await render({ kind: 'gif', models, style }, control);
  return { fileName: `${fileStem(run, req, undefined)}.gif`, mime: MIME_TYPES.gif, bytes: bytes! };
}

const stepFileName = (step: number | undefined, format: FileFormat) => `step-${String(step ?? 0).padStart(6, '0')}.${format}`;

/** Every step's file, named `step-000123.<ext>`, drawn on the run's shared axes; nothing is written. */
async function stepFiles(store: RunStore, run: RunRow, req: FigureRequest, format: FileFormat, style: ExportStyle, options: JobOptions) {
  checkSize(style, format);
  const models = stepModels(store, run, req, 'cannot be exported one file per step');
  const { render = renderInProcess, ...control } = options;
  const parts = await render({ kind: 'files', format, models, infos: models.map((m) => meta(run, req, m)), style }, control);
  return models.map((m, i) => ({ name: stepFileName(m.step, format), bytes: parts[i]! }));
}

/**
 * One file per snapshot step into a new folder under `root` (the desktop app, the CLI). The
 * folder is made only once every file is drawn, so a cancelled export leaves nothing behind.
 */
export async function exportFigureBatch(
  store: RunStore,
  run: RunRow,
  req: FigureRequest,
  format: FileFormat,
  style: ExportStyle,
  root: string,
  options: JobOptions = {},
): Promise<{ directory: string; files: number }> {
  const files = await stepFiles(store, run, req, format, style, options);
  const directory = newFolder(root, `${slugOf(run)}-${req.figure}-${stamp(new Date())}`);
  for (const f of files) {
    const file = path.join(directory, f.name);
    try {
      writeFileSync(file, f.bytes);
    } catch (err) {
      throw writeError(file, err);
    }
  }
  return { directory, files: files.length };
}

/** Already compressed formats are stored as they are; text is deflated. */
const STORED: ReadonlySet<FileFormat> = new Set(['png', 'pdf']);

/** One file per snapshot step as one zip, for a browser to download (browser mode never writes on the server). */
export async function exportFigureZip(
  store: RunStore,
  run: RunRow,
  req: FigureRequest,
  format: FileFormat,
  style: ExportStyle,
  options: JobOptions = {},
): Promise<ExportedFile & { files: number }> {
  const files = await stepFiles(store, run, req, format, style, options);
  const level = STORED.has(format) ? 0 : 6;
  const entries: Zippable = Object.fromEntries(files.map((f) => [f.name, [new Uint8Array(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), { level }]]));
  return { fileName: `${slugOf(run)}-${req.figure}-every-step-${format}.zip`, mime: 'application/zip', bytes: zipSync(entries), files: files.length };
}
