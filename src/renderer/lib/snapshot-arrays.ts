/**
 * Reading the engine's snapshot arrays (see src/main/engine/records.ts for names and shapes)
 * into chart points. Nothing is computed here that the engine already knows: centroids come
 * from the `centroids` array, not from averaging points.
 */
import type { SnapshotData } from '../../shared/contract.js';

export type SnapshotArray = SnapshotData['arrays'][number];
export interface XY {
  x: number;
  y: number;
}

/** Phases in the order of the `centroids` array's first axis. */
export const PHASE_INDEX = { 'before-d': 0, 'after-d': 1, 'after-g': 2 } as const;
/** Sets in the order of the `centroids` array's second axis. */
export const SET_INDEX = { real: 0, fake: 1 } as const;

export function findArray(snapshot: SnapshotData, name: string): SnapshotArray | undefined {
  return snapshot.arrays.find((a) => a.name === name);
}

/**
 * Rows of an [n, w] array as points: columns 0 and 1, or (w = 1) column 0 against 0.
 * Rows with a missing value are left out.
 */
export function rowsAsPoints(array: SnapshotArray | undefined): XY[] {
  if (!array) return [];
  const width = array.shape[1] ?? 1;
  const out: XY[] = [];
  for (let i = 0; i + width <= array.data.length; i += width) {
    const x = array.data[i];
    const y = width > 1 ? array.data[i + 1] : 0;
    if (x === null || x === undefined || y === null || y === undefined) continue;
    out.push({ x, y });
  }
  return out;
}

/** One centroid from `centroids` [3 phases, 2 sets, w], as a point (first two dimensions). */
export function centroidPoint(
  centroids: SnapshotArray | undefined,
  phase: keyof typeof PHASE_INDEX,
  set: keyof typeof SET_INDEX,
): XY | null {
  if (!centroids) return null;
  const width = centroids.shape[2] ?? 1;
  const offset = (PHASE_INDEX[phase] * 2 + SET_INDEX[set]) * width;
  const x = centroids.data[offset];
  const y = width > 1 ? centroids.data[offset + 1] : 0;
  if (x === null || x === undefined || y === null || y === undefined) return null;
  return { x, y };
}
