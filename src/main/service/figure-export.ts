/**
 * A run's figures as files: CSV/JSON of exactly what a figure shows, PNG/SVG/PDF/GIF drawn from
 * its model. SKELETON — being written; signatures are fixed.
 */
import type { ExportStyle } from '../../shared/contract.js';
import type { RunRow, RunStore } from '../store/index.js';
import type { FigureRequest } from './figures.js';

export type ExportFormat = 'png' | 'svg' | 'pdf' | 'gif' | 'csv' | 'json';

export interface ExportedFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

export function exportFigure(_store: RunStore, _run: RunRow, _req: FigureRequest, _format: ExportFormat, _style: ExportStyle): ExportedFile {
  throw new Error('not implemented yet');
}

/** One file per snapshot step into a new folder under `root`. */
export function exportFigureBatch(
  _store: RunStore,
  _run: RunRow,
  _req: FigureRequest,
  _format: Exclude<ExportFormat, 'gif'>,
  _style: ExportStyle,
  _root: string,
): { directory: string; files: number } {
  throw new Error('not implemented yet');
}
