/**
 * What a snapshot holds (see records.ts): the samples, D's feature layer at three moments of an
 * iteration with its centroids, D's heatmap, G's manifold, the gradient arrows and the quality
 * metrics. Everything is measured with dropout off and batch norm in inference mode, so that what
 * moves between two phases moved because of the update, not because of a random mask.
 */
import * as tf from '@tensorflow/tfjs';
import { CLAIM_MEASURES } from '../../shared/claims.js';
import type { RunConfig } from '../../shared/config.js';
import type { Dataset } from './datasets.js';
import { computeMetrics, mixtureMetrics, randomDirections } from './metrics.js';
import type { Discriminator, ForwardMode, Mlp } from './model.js';
import { PHASES, type NamedArray, type Phase, type SnapshotRecord } from './records.js';
import { drawNoise, type Rng } from './rng.js';

const INFERENCE: ForwardMode = { training: false };
/** docs/spec-notes.md, "Quality metrics": distances on 512 samples, mixture metrics on 2500. */
const METRIC_SAMPLES = 512;
const MIXTURE_SAMPLES = 2500;
const DIRECTIONS = 64;
/** The heatmap covers the real data's box plus this share of its span on each side. */
const HEATMAP_MARGIN = 0.1;

function copyOut(t: tf.Tensor): Float32Array {
  return (t.dataSync() as Float32Array).slice();
}

/** Column means of an [n, w] array. */
export function centroid(data: Float32Array, width: number): Float32Array {
  const n = data.length / width;
  const sums = new Float64Array(width);
  for (let i = 0; i < data.length; i++) sums[i % width]! += data[i]!;
  return Float32Array.from(sums, (s) => s / n);
}

export class Recorder {
  /** The fixed real batch (the tutorial's x_plot), drawn once. */
  readonly real: Float32Array;
  private readonly realT: tf.Tensor2D;
  private readonly noiseT: tf.Tensor2D;
  private readonly metricReal: Float32Array;
  private readonly metricNoiseT: tf.Tensor2D;
  private readonly directions: Float32Array;
  private readonly heatGridT: tf.Tensor2D;
  readonly heatmapBounds: Float32Array;
  private readonly manifoldT: tf.Tensor2D;
  private readonly manifoldShape: number[];
  private pending: { iteration: number; arrays: NamedArray[]; centroids: Float32Array[] } | undefined;

  constructor(
    private readonly config: RunConfig,
    private readonly dataset: Dataset,
    evaluation: Rng,
    private readonly generator: Mlp,
    private readonly discriminator: Discriminator,
  ) {
    const { samples, heatmapResolution: hr, manifoldResolution: mr } = config.recording;
    const dim = config.noise.dim;
    // Fixed draw order: the evaluation stream yields the same sets on every resume.
    this.real = dataset.sample(samples, evaluation.next);
    this.realT = tf.tensor2d(this.real, [samples, 2]);
    this.noiseT = tf.tensor2d(drawNoise(config.noise, samples, evaluation), [samples, dim]);
    this.metricReal = dataset.sample(METRIC_SAMPLES, evaluation.next);
    const metricN = dataset.mixture ? MIXTURE_SAMPLES : METRIC_SAMPLES;
    this.metricNoiseT = tf.tensor2d(drawNoise(config.noise, metricN, evaluation), [metricN, dim]);
    this.directions = randomDirections(DIRECTIONS, evaluation.next);

    const b = dataset.bounds;
    const padX = (b.xMax - b.xMin || 1) * HEATMAP_MARGIN;
    const padY = (b.yMax - b.yMin || 1) * HEATMAP_MARGIN;
    this.heatmapBounds = Float32Array.of(b.xMin - padX, b.xMax + padX, b.yMin - padY, b.yMax + padY);
    const grid = new Float32Array(hr * hr * 2);
    const [x0, x1, y0, y1] = this.heatmapBounds;
    for (let row = 0; row < hr; row++) {
      for (let col = 0; col < hr; col++) {
        const k = (row * hr + col) * 2;
        grid[k] = x0! + ((x1! - x0!) * (col + 0.5)) / hr; // cell centres; rows run from yMin up
        grid[k + 1] = y0! + ((y1! - y0!) * (row + 0.5)) / hr;
      }
    }
    this.heatGridT = tf.tensor2d(grid, [hr * hr, 2]);

    // G's image of a noise grid: the first two noise dimensions swept, the others held at 0.
    const span = config.noise.distribution === 'uniform' ? 1 : 2;
    const cols = dim >= 2 ? mr : 1;
    const noise = new Float32Array(mr * cols * dim);
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < cols; j++) {
        const k = (i * cols + j) * dim;
        noise[k] = -span + (2 * span * i) / (mr - 1);
        if (dim >= 2) noise[k + 1] = -span + (2 * span * j) / (mr - 1);
      }
    }
    this.manifoldT = tf.tensor2d(noise, [mr * cols, dim]);
    this.manifoldShape = [mr, cols, 2];
  }

  /** Starts a snapshot at `iteration`, recording the before-D-step phase. */
  beginSnapshot(iteration: number): void {
    this.pending = { iteration, arrays: [], centroids: [] };
    this.recordPhase('before-d');
  }

  recordPhase(phase: Phase): void {
    const p = this.pending;
    if (!p) return;
    const n = this.real.length / 2;
    const w = this.config.discriminator.featureWidth;
    const [fr, ff, pr, pf] = tf.tidy(() => {
      const r = this.discriminator.forward(this.realT, INFERENCE);
      const f = this.discriminator.forward(this.generator.forward(this.noiseT, INFERENCE), INFERENCE);
      return [r.features, f.features, tf.sigmoid(r.logit), tf.sigmoid(f.logit)];
    });
    const featReal = copyOut(fr!);
    const featFake = copyOut(ff!);
    p.arrays.push(
      { name: `features.real.${phase}`, shape: [n, w], data: featReal },
      { name: `features.fake.${phase}`, shape: [n, w], data: featFake },
      { name: `dOut.real.${phase}`, shape: [n], data: copyOut(pr!) },
      { name: `dOut.fake.${phase}`, shape: [n], data: copyOut(pf!) },
    );
    p.centroids.push(centroid(featReal, w), centroid(featFake, w));
    tf.dispose([fr!, ff!, pr!, pf!]);
  }

  abandonSnapshot(): void {
    this.pending = undefined;
  }

  /** Records the after-G-step phase and everything else of the snapshot. */
  finishSnapshot(): SnapshotRecord {
    this.recordPhase('after-g');
    const p = this.pending!;
    this.pending = undefined;
    const n = this.real.length / 2;
    const w = this.config.discriminator.featureWidth;
    const hr = this.config.recording.heatmapResolution;

    const out = tf.tidy(() => {
      const fake = this.generator.forward(this.noiseT, INFERENCE);
      // The direction in which D's output rises at each generated sample: where G is pushed.
      const arrows = tf.grad((x: tf.Tensor) => tf.sum(tf.sigmoid(this.discriminator.forward(x, INFERENCE).logit)))(fake);
      const heat = tf.sigmoid(this.discriminator.forward(this.heatGridT, INFERENCE).logit);
      const manifold = this.generator.forward(this.manifoldT, INFERENCE);
      const metricFake = this.generator.forward(this.metricNoiseT, INFERENCE);
      return { fake, arrows, heat, manifold, metricFake };
    });
    const fake = copyOut(out.fake);
    const metricFake = copyOut(out.metricFake);
    p.arrays.push(
      { name: 'real', shape: [n, 2], data: this.real.slice() },
      { name: 'fake', shape: [n, 2], data: fake },
      { name: 'centroids', shape: [PHASES.length, 2, w], data: concat(p.centroids) },
      { name: 'heatmap', shape: [hr, hr], data: copyOut(out.heat) },
      { name: 'heatmapBounds', shape: [4], data: this.heatmapBounds.slice() },
      { name: 'manifold', shape: this.manifoldShape, data: copyOut(out.manifold) },
      { name: 'arrows', shape: [n, 2], data: copyOut(out.arrows) },
    );
    tf.dispose(Object.values(out));

    const metrics = computeMetrics({
      dataset: this.dataset,
      real: this.metricReal,
      fake: metricFake.subarray(0, METRIC_SAMPLES * 2),
      directions: this.directions,
    });
    if (this.dataset.mixture) {
      Object.assign(metrics, mixtureMetrics(this.dataset.mixture, metricFake));
      metrics[CLAIM_MEASURES.modeCount] = this.dataset.mixture.modes.length;
    }
    Object.assign(metrics, claimMeasures(p.arrays, p.centroids, w));
    return { iteration: p.iteration, arrays: p.arrays, metrics };
  }

  dispose(): void {
    tf.dispose([this.realT, this.noiseT, this.metricNoiseT, this.heatGridT, this.manifoldT]);
  }
}

const distance = (a: Float32Array, b: Float32Array) => Math.hypot(...Array.from(a, (v, i) => v - b[i]!));
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * The quantities behind the tutorial's claims (shared/claims.ts): how far real features move
 * across the G step (D is unchanged by it, so: not at all), the real-to-generated centroid
 * distance before and after the G step, D's mean output on real and generated samples, and the
 * real features' spread before the G step (RMS distance from their centroid: the scale against
 * which a centroid-gap change counts as measurable).
 * centroids: [before-d real, before-d fake, after-d real, after-d fake, after-g real, after-g fake].
 */
export function claimMeasures(arrays: NamedArray[], centroids: Float32Array[], width: number): Record<string, number> {
  const get = (name: string) => arrays.find((a) => a.name === name)!.data;
  const realD = get('features.real.after-d');
  const realG = get('features.real.after-g');
  let shift = 0;
  let squares = 0;
  for (let i = 0; i < realD.length; i += width) {
    const row = realD.subarray(i, i + width);
    shift = Math.max(shift, distance(row, realG.subarray(i, i + width)));
    squares += distance(row, centroids[2]!) ** 2;
  }
  return {
    [CLAIM_MEASURES.featureSpread]: Math.sqrt(squares / (realD.length / width)),
    [CLAIM_MEASURES.realShiftAcrossG]: shift,
    [CLAIM_MEASURES.centroidGapBeforeG]: distance(centroids[2]!, centroids[3]!),
    [CLAIM_MEASURES.centroidGapAfterG]: distance(centroids[4]!, centroids[5]!),
    [CLAIM_MEASURES.dOutReal]: mean(get('dOut.real.after-g')),
    [CLAIM_MEASURES.dOutFake]: mean(get('dOut.fake.after-g')),
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
