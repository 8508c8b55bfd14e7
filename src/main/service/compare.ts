/**
 * Comparing 2 to 4 runs: overlaid curves, a config diff, and a metrics table with training time
 * and stability. SKELETON — being written; signatures are fixed.
 */
import type { CompareSummary, ExportStyle, ParsedRequestOf } from '../../shared/contract.js';
import type { FigureModel } from '../../shared/figures/model.js';
import type { RunStore } from '../store/index.js';
import type { ExportedFile } from './figure-export.js';

export type CompareRequest = Omit<ParsedRequestOf<'compare.model'>, never>;

export function compareSummary(_store: RunStore, _runIds: number[]): CompareSummary {
  throw new Error('not implemented yet');
}

export function compareModel(_store: RunStore, _req: CompareRequest): FigureModel {
  throw new Error('not implemented yet');
}

export function compareExport(_store: RunStore, _req: CompareRequest, _format: 'png' | 'svg' | 'pdf' | 'csv' | 'json', _style: ExportStyle): ExportedFile {
  throw new Error('not implemented yet');
}
