/**
 * A long export (a GIF over every snapshot, or one file per step) as a job: its models are drawn
 * one frame at a time, reporting frames done of the total after each, and the event loop turns
 * between frames so a cancel (an AbortSignal, SIGINT in the CLI) or another request gets in, and
 * Skia can free the last frame's buffers. The same function runs in-process and inside the export
 * worker (render-worker.ts), so both give the same bytes.
 */
import type { ExportStyle } from '../../shared/contract.js';
import type { FigureModel } from '../../shared/figures/model.js';
import { modelCsv, modelJson } from './data.js';
import { joinGifFrames } from './gif-frames.js';
import { figureRenderer, type FigureRenderer } from './render.js';

export type FileFormat = 'png' | 'svg' | 'pdf' | 'csv' | 'json';

export type RenderJob =
  | { kind: 'gif'; models: FigureModel[]; style: ExportStyle }
  /** One file per model; `infos[i]` goes beside model i in a JSON file. */
  | { kind: 'files'; format: FileFormat; models: FigureModel[]; infos: Array<Record<string, unknown>>; style: ExportStyle };

export interface RenderControl {
  /** After each frame: frames done (1..total) of the total. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Draws a job: the GIF's bytes as one part, or one part per file. */
export type RenderExports = (job: RenderJob, control?: RenderControl) => Promise<Buffer[]>;

/** The export was cancelled before it finished; nothing was written. */
export class ExportCancelled extends Error {
  override name = 'ExportCancelled';
  constructor() {
    super('export cancelled');
  }
}

/** One model as the bytes of a file: drawn (PNG, SVG, PDF) or its data (CSV, JSON, with `info` beside the model). */
export function encode(model: FigureModel, format: FileFormat, renderer: FigureRenderer, info: Record<string, unknown>): Buffer {
  switch (format) {
    case 'csv':
      return Buffer.from(modelCsv(model), 'utf8');
    case 'json':
      return Buffer.from(modelJson(model, info), 'utf8');
    default:
      return renderer.render(model, format);
  }
}

/** GIF delays are whole hundredths of a second. */
export const gifDelay = (style: ExportStyle) => Math.max(1, Math.round(100 / style.fps));

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export const renderInProcess: RenderExports = async (job, control = {}) => {
  const { signal, onProgress } = control;
  const total = job.models.length;
  if (total === 0) throw new Error('an export needs at least one frame');
  const renderer = figureRenderer(job.style); // one canvas for every frame
  const parts: Buffer[] = [];
  for (let i = 0; i < total; i++) {
    if (signal?.aborted) throw new ExportCancelled();
    const model = job.models[i]!;
    parts.push(job.kind === 'gif' ? renderer.gifFrame(model) : encode(model, job.format, renderer, job.infos[i] ?? {}));
    onProgress?.(i + 1, total);
    await turn();
  }
  if (signal?.aborted) throw new ExportCancelled();
  return job.kind === 'gif' ? [joinGifFrames(parts, gifDelay(job.style))] : parts;
};
