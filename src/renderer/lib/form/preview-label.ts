/**
 * The data set preview's legend: what the dots are, counted from what was drawn. A 'points' set is
 * resampled with replacement, so 500 draws from 12 hand-drawn points without jitter are 12 dots;
 * the legend says so instead of "500 samples" (which read as 500 distinct points).
 */
import type { DatasetConfig } from '../../../shared/config.js';

export function previewLabel(dataset: DatasetConfig, drawn: ReadonlyArray<{ x: number; y: number }>): string {
  const distinct = new Set(drawn.map((p) => `${p.x},${p.y}`)).size;
  if (dataset.kind === 'points') {
    const n = dataset.points.length;
    const from = `${n} point${n === 1 ? '' : 's'}`;
    return dataset.jitter > 0
      ? `real data: ${drawn.length} samples from your ${from}, jitter ${dataset.jitter}`
      : `real data: your ${from} (${drawn.length} draws, ${distinct} distinct)`;
  }
  return `real data (${drawn.length} sample${drawn.length === 1 ? '' : 's'})`;
}
