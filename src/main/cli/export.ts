/**
 * `gan-lab export`: a run's figure as an image, an animation, its data, or one file per step.
 * A GIF or every step's files are drawn frame by frame: on a terminal a bar shows "frame 37 of
 * 262", and Ctrl-C cancels with nothing written (exit 130).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { ExportStyleSchema, type ExportStyle } from '../../shared/contract.js';
import type { FigureKind, Layers, PhaseChoice } from '../../shared/figures/model.js';
import { ExportCancelled } from '../figures/render-job.js';
import { exportFigure, exportFigureBatch, exportGif, type ExportFormat, type JobOptions } from '../service/figure-export.js';
import { requireRun, UserError } from '../service/runs.js';
import type { RunStore } from '../store/index.js';
import { printJson } from './output.js';
import { ExitWith } from './train.js';

export interface ExportFlags {
  figure: FigureKind;
  format: ExportFormat;
  step?: number;
  phase?: PhaseChoice;
  layers?: Partial<Layers>;
  smoothing?: number;
  logScale?: boolean;
  scale?: number;
  background?: ExportStyle['background'];
  fps?: number;
  width?: number;
  height?: number;
  out?: string;
  allSteps?: boolean;
  outDir?: string;
  json?: boolean;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Ctrl-C's conventional exit status (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export interface ExportIo {
  /** Where the progress bar goes: a terminal's stderr, or null (piped, --json) for none. */
  progress: NodeJS.WriteStream | null;
  /** Called with the job's cancel; returns the function that stops listening (default: SIGINT). */
  onInterrupt: (cancel: () => void) => () => void;
}

const defaultIo = (flags: ExportFlags): ExportIo => ({
  progress: !flags.json && flags.out !== '-' && process.stderr.isTTY ? process.stderr : null,
  onInterrupt: (cancel) => {
    process.once('SIGINT', cancel);
    return () => void process.off('SIGINT', cancel);
  },
});

/** A long export with its bar and its Ctrl-C; a cancel ends the command with EXIT_CANCELLED. */
async function asJob<T>(io: ExportIo, work: (options: JobOptions) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  const bar = io.progress
    ? new cliProgress.SingleBar({ format: 'exporting |{bar}| frame {value} of {total}', hideCursor: true, stream: io.progress }, cliProgress.Presets.shades_classic)
    : null;
  let started = false;
  try {
    return await work({
      signal: controller.signal,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        else bar.update(done);
        started = true;
      },
    });
  } catch (err) {
    if (err instanceof ExportCancelled) {
      bar?.stop();
      started = false;
      process.stderr.write('gan-lab: export cancelled; nothing was written\n');
      throw new ExitWith(EXIT_CANCELLED, 'export cancelled');
    }
    throw err;
  } finally {
    if (started) bar?.stop();
    stopListening();
  }
}

export async function exportCommand(store: RunStore, ref: string, flags: ExportFlags, io: ExportIo = defaultIo(flags)): Promise<void> {
  const run = requireRun(store, ref);
  const req = defined({ figure: flags.figure, step: flags.step, phase: flags.phase, layers: flags.layers, smoothing: flags.smoothing, logScale: flags.logScale });
  const style = ExportStyleSchema.parse(defined({ scale: flags.scale, background: flags.background, fps: flags.fps, width: flags.width, height: flags.height }));
  const { figure, format } = flags;

  if (flags.allSteps) {
    if (format === 'gif') throw new UserError('--all-steps writes one file per step; a GIF already holds every step (leave out --all-steps)');
    const root = path.resolve(flags.outDir ?? '.');
    const { directory, files } = await asJob(io, (options) => exportFigureBatch(store, run, { ...req, figure }, format, style, root, options));
    if (flags.json) printJson({ directory, files, figure, format });
    else console.log(`wrote ${files} files to ${directory}`);
    return;
  }
  if (flags.outDir !== undefined) throw new UserError('--out-dir is for --all-steps; name one file with --out');
  if (format === 'gif' && flags.step !== undefined) throw new UserError('a GIF shows every snapshot step; leave out --step');

  const file = format === 'gif' ? await asJob(io, (options) => exportGif(store, run, { ...req, figure }, style, options)) : exportFigure(store, run, { ...req, figure }, format, style);
  if (flags.out === '-') {
    process.stdout.write(file.bytes);
    return;
  }
  const out = flags.out ?? file.fileName;
  try {
    writeFileSync(out, file.bytes);
  } catch (err) {
    throw new UserError(`cannot write "${out}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (flags.json) printJson({ out: path.resolve(out), figure, format, bytes: file.bytes.length });
  else console.log(`wrote ${out}`);
}
