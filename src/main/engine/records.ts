/**
 * What the engine emits while it trains. The store persists these as they are; the renderer
 * reads them back through the service. Iterations are numbered from 0, as in the tutorial's
 * `for it in range(10001)`: losses are recorded at it % lossEvery == 0, snapshots at
 * it % snapshotEvery == 0 (and at the last iteration).
 */

/** The three moments at which D's feature layer is recorded within one iteration. */
export const PHASES = ['before-d', 'after-d', 'after-g'] as const;
export type Phase = (typeof PHASES)[number];

export interface LossRecord {
  iteration: number;
  /** D's loss at its last step of this iteration. */
  dLoss: number;
  /** G's loss at its last step of this iteration. */
  gLoss: number;
}

/** A dense float32 array with its shape (row-major). */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SnapshotRecord {
  iteration: number;
  /**
   * Arrays recorded at this step, by name:
   *  real [n,2], fake [n,2];
   *  features.real.<phase>, features.fake.<phase> [n,featureWidth];
   *  centroids [3 phases, 2 sets (real, fake), featureWidth];
   *  dOut.real.<phase>, dOut.fake.<phase> [n] (D's probability output);
   *  heatmap [res,res] (D's probability over a grid), heatmapBounds [4] (xMin,xMax,yMin,yMax);
   *  manifold [res,res,2] (G's image of a noise grid); arrows [n,2] (d D(x)/dx at each fake sample).
   */
  arrays: NamedArray[];
  /** Quality metrics (docs/spec-notes.md) at this step (names in engine/metrics.ts). */
  metrics: Record<string, number>;
}

export interface CheckpointRecord {
  /** Iterations completed when it was taken: resuming continues at this iteration index. */
  iteration: number;
  /** Weights, optimizer state, random state, encoded by engine/checkpoint.ts. */
  state: Uint8Array;
}
