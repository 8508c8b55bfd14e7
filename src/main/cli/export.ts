/** `gan-lab export`: a run's figure as an image, an animation, its data, or one file per step. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExportStyleSchema, type ExportStyle } from '../../shared/contract.js';
import type { FigureKind, Layers, PhaseChoice } from '../../shared/figures/model.js';
import { exportFigure, exportFigureBatch, type ExportFormat } from '../service/figure-export.js';
import { requireRun, UserError } from '../service/runs.js';
import type { RunStore } from '../store/index.js';
import { printJson } from './output.js';

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

export function exportCommand(store: RunStore, ref: string, flags: ExportFlags): void {
  const run = requireRun(store, ref);
  const req = defined({ figure: flags.figure, step: flags.step, phase: flags.phase, layers: flags.layers, smoothing: flags.smoothing, logScale: flags.logScale });
  const style = ExportStyleSchema.parse(defined({ scale: flags.scale, background: flags.background, fps: flags.fps, width: flags.width, height: flags.height }));
  const { figure, format } = flags;

  if (flags.allSteps) {
    if (format === 'gif') throw new UserError('--all-steps writes one file per step; a GIF already holds every step (leave out --all-steps)');
    const { directory, files } = exportFigureBatch(store, run, { ...req, figure }, format, style, path.resolve(flags.outDir ?? '.'));
    if (flags.json) printJson({ directory, files, figure, format });
    else console.log(`wrote ${files} files to ${directory}`);
    return;
  }
  if (flags.outDir !== undefined) throw new UserError('--out-dir is for --all-steps; name one file with --out');
  if (format === 'gif' && flags.step !== undefined) throw new UserError('a GIF shows every snapshot step; leave out --step');

  const file = exportFigure(store, run, { ...req, figure }, format, style);
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
