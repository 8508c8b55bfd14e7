/** The data set preview's legend counts what it drew (it always said "500 samples"). */
import { describe, expect, it } from 'vitest';
import { DatasetSchema } from '../src/shared/config.js';
import { previewLabel } from '../src/renderer/lib/form/preview-label.js';

const draws = (pts: Array<[number, number]>, n: number) => Array.from({ length: n }, (_, i) => ({ x: pts[i % pts.length]![0], y: pts[i % pts.length]![1] }));

describe('the preview legend', () => {
  it('names hand-drawn points by their number, and how many distinct dots 500 draws make', () => {
    const ds = DatasetSchema.parse({ kind: 'points', points: [[0, 0], [1, 1], [2, 4]] });
    const label = previewLabel(ds, draws([[0, 0], [1, 1], [2, 4]], 500));
    expect(label).toBe('real data: your 3 points (500 draws, 3 distinct)');
    expect(label).not.toMatch(/500 samples/);
  });
  it('says jittered draws are samples from the points', () => {
    const ds = DatasetSchema.parse({ kind: 'points', points: [[0, 0], [1, 1]], jitter: 0.5 });
    expect(previewLabel(ds, draws([[0, 0], [1, 1]], 500))).toBe('real data: 500 samples from your 2 points, jitter 0.5');
  });
  it('counts the samples actually drawn for the other sets', () => {
    const ds = DatasetSchema.parse({ kind: 'ring' });
    expect(previewLabel(ds, draws([[1, 2]], 42))).toBe('real data (42 samples)');
  });
});
