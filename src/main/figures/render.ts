/**
 * Draws FigureModels into files in Node (PNG, SVG, PDF, GIF) through the same Chart.js
 * configuration the screen uses (shared/figures/chart-config.ts).
 * SKELETON — being written; signatures are fixed.
 */
import type { ExportStyle } from '../../shared/contract.js';
import type { FigureModel } from '../../shared/figures/model.js';

export function renderFigure(_model: FigureModel, _format: 'png' | 'svg' | 'pdf', _style: ExportStyle): Buffer {
  throw new Error('not implemented yet');
}

/** One frame per model, `style.fps` frames per second, looping. */
export function renderGif(_models: FigureModel[], _style: ExportStyle): Buffer {
  throw new Error('not implemented yet');
}
