/**
 * One GAN run on tfjs: the tutorial's networks, losses and both loop styles (SPEC.md), with the
 * recording that lets a person see how it learns. It takes a config (and optionally a saved
 * state) and emits records; it knows nothing of SQLite, Electron or charts.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../shared/config.js';
import { decodeState, encodeState, type TrainerState } from './checkpoint.js';
import { makeDataset, type Dataset } from './datasets.js';
import { discriminatorLoss, generatorLoss } from './losses.js';
import { Discriminator, makeGenerator, newScope, type ForwardMode, type Mlp } from './model.js';
import { Optimizer } from './optimizers.js';
import type { CheckpointRecord, LossRecord, SnapshotRecord } from './records.js';
import { Recorder } from './recorder.js';
import { Rng, runStreams } from './rng.js';

export const DATA_DIM = 2;

export interface IterationResult {
  iteration: number;
  losses?: LossRecord;
  snapshot?: SnapshotRecord;
  checkpoint?: CheckpointRecord;
  /** Set when a loss became NaN or infinite: the run ends here, this iteration unrecorded. */
  diverged?: string;
  dLoss: number;
  gLoss: number;
}

export class Trainer {
  readonly dataset: Dataset;
  readonly generator: Mlp;
  readonly discriminator: Discriminator;
  private readonly optG: Optimizer;
  private readonly optD: Optimizer;
  private rng: Rng;
  private readonly recorder: Recorder;
  private readonly train: ForwardMode;
  /** Index of the next iteration to run (= iterations completed). */
  iteration = 0;

  /** The iteration count the run is planned for (a resume may extend the config's). */
  readonly plannedIterations: number;

  constructor(
    readonly config: RunConfig,
    options: { state?: Uint8Array; plannedIterations?: number } = {},
  ) {
    this.plannedIterations = options.plannedIterations ?? config.schedule.iterations;
    // Decode first: a corrupt checkpoint fails before any tensor is allocated.
    const saved = options.state ? decodeState(options.state) : undefined;
    this.dataset = makeDataset(config.dataset);
    const streams = runStreams(config.seed);
    const scope = newScope();
    this.generator = makeGenerator(config.noise.dim, config.generator.hidden, DATA_DIM, streams.init, scope);
    this.discriminator = new Discriminator(DATA_DIM, config.discriminator.hidden, config.discriminator.featureWidth, streams.init, scope, config.loss.kind === 'wganGp');
    this.optG = new Optimizer('optG', config.optimizer.generator, this.generator.trainable);
    this.optD = new Optimizer('optD', config.optimizer.discriminator, this.discriminator.trainable);
    this.rng = streams.train;
    this.train = { training: true, dropoutSeed: () => this.rng.int31() };
    this.recorder = new Recorder(config, this.dataset, streams.evaluation, this.generator, this.discriminator);
    if (saved) {
      try {
        this.restore(saved);
      } catch (err) {
        this.dispose();
        throw err;
      }
    }
  }

  private realBatch(): tf.Tensor2D {
    const n = this.config.schedule.batchSize;
    return tf.tensor2d(this.dataset.sample(n, this.rng.next), [n, DATA_DIM]);
  }

  noiseBatch(n: number, rng: Rng = this.rng): tf.Tensor2D {
    const dim = this.config.noise.dim;
    const values = this.config.noise.distribution === 'uniform' ? rng.uniform(n * dim, -1, 1) : rng.normal(n * dim);
    return tf.tensor2d(values, [n, dim]);
  }

  /** One D update on a real batch and a noise batch; returns the loss (a kept scalar). */
  private dStep(x: tf.Tensor, z: tf.Tensor): tf.Scalar {
    const { kind, gpWeight } = this.config.loss;
    const eps = kind === 'wganGp' ? this.rng.uniform(x.shape[0]!) : undefined;
    const value = tf.tidy(() => {
      const fake = this.generator.forward(z, this.train);
      const { value, grads } = tf.variableGrads(() => {
        const r = this.discriminator.forward(x, this.train).logit;
        const f = this.discriminator.forward(fake, this.train).logit;
        let l = discriminatorLoss(kind, r, f);
        if (eps) l = tf.add(l, tf.mul(gpWeight, this.gradientPenalty(x, fake, eps))) as tf.Scalar;
        return l;
      }, this.discriminator.trainable);
      this.optD.apply(this.discriminator.trainable.map((v) => grads[v.name]!));
      return value;
    });
    this.generator.discardBatchStats();
    this.discriminator.commitBatchStats();
    return value;
  }

  /** WGAN-GP: mean((|grad_x D(x_hat)| - 1)^2) at random points between real and generated samples. */
  private gradientPenalty(x: tf.Tensor, fake: tf.Tensor, eps: Float32Array): tf.Scalar {
    const e = tf.tensor2d(eps, [eps.length, 1]);
    const xHat = tf.add(tf.mul(e, x), tf.mul(tf.sub(1, e), fake));
    const gradX = tf.grad((p: tf.Tensor) => tf.sum(this.discriminator.forward(p, this.train).logit))(xHat);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradX), 1), 1e-12));
    return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
  }

  /** One G update on a noise batch; returns the loss (a kept scalar). */
  private gStep(z: tf.Tensor): tf.Scalar {
    const kind = this.config.loss.kind;
    const value = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => generatorLoss(kind, this.discriminator.forward(this.generator.forward(z, this.train), this.train).logit),
        this.generator.trainable,
      );
      this.optG.apply(this.generator.trainable.map((v) => grads[v.name]!));
      return value;
    });
    this.discriminator.discardBatchStats();
    this.generator.commitBatchStats();
    return value;
  }

  /** Runs iteration `this.iteration` and returns what it recorded. */
  runIteration(): IterationResult {
    const it = this.iteration;
    const { dSteps, gSteps, freshBatchPerStep, batchSize } = this.config.schedule;
    const rec = this.config.recording;
    const snapshotDue = it % rec.snapshotEvery === 0 || it === this.plannedIterations - 1;
    if (snapshotDue) this.recorder.beginSnapshot(it);

    let x: tf.Tensor | undefined;
    let z: tf.Tensor | undefined;
    if (!freshBatchPerStep) {
      x = this.realBatch();
      z = this.noiseBatch(batchSize);
    }
    let dLoss: tf.Scalar | undefined;
    let gLoss: tf.Scalar | undefined;
    for (let s = 0; s < dSteps; s++) {
      dLoss?.dispose();
      if (freshBatchPerStep) {
        tf.dispose([x!, z!].filter(Boolean));
        x = this.realBatch();
        z = this.noiseBatch(batchSize);
      }
      dLoss = this.dStep(x!, z!);
    }
    if (snapshotDue) this.recorder.recordPhase('after-d');
    for (let s = 0; s < gSteps; s++) {
      gLoss?.dispose();
      if (freshBatchPerStep) {
        z?.dispose();
        z = this.noiseBatch(batchSize);
      }
      gLoss = this.gStep(z!);
    }
    tf.dispose([x!, z!].filter(Boolean));
    const d = dLoss!.dataSync()[0]!;
    const g = gLoss!.dataSync()[0]!;
    tf.dispose([dLoss!, gLoss!]);

    const result: IterationResult = { iteration: it, dLoss: d, gLoss: g };
    if (!Number.isFinite(d) || !Number.isFinite(g)) {
      this.recorder.abandonSnapshot();
      result.diverged = `${!Number.isFinite(d) ? `D loss is ${d}` : `G loss is ${g}`} at iteration ${it}`;
      return result;
    }
    if (snapshotDue) result.snapshot = this.recorder.finishSnapshot();
    if (it % rec.lossEvery === 0) result.losses = { iteration: it, dLoss: d, gLoss: g };
    this.iteration = it + 1;
    if (this.iteration % rec.checkpointEvery === 0 || this.iteration === this.plannedIterations) {
      result.checkpoint = this.checkpoint();
    }
    return result;
  }

  /** The whole state after the iterations completed so far. */
  checkpoint(): CheckpointRecord {
    const state: TrainerState = {
      iteration: this.iteration,
      rng: this.rng.state(),
      optimizerSteps: { generator: this.optG.step, discriminator: this.optD.step },
      arrays: this.namedVariables().map(([name, v]) => ({ name, shape: v.shape, data: v.dataSync() as Float32Array })),
    };
    return { iteration: this.iteration, state: encodeState(state) };
  }

  private namedVariables(): Array<[string, tf.Variable]> {
    return [...this.generator.named, ...this.discriminator.named, ...this.optG.named, ...this.optD.named];
  }

  private restore(state: TrainerState): void {
    const byName = new Map(state.arrays.map((a) => [a.name, a]));
    const named = this.namedVariables();
    const expected = new Set(named.map(([name]) => name));
    const extra = state.arrays.find((a) => !expected.has(a.name));
    if (extra) throw new Error(`checkpoint does not match this configuration (unexpected variable ${extra.name})`);
    for (const [name, v] of named) {
      const saved = byName.get(name);
      if (!saved || saved.data.length !== v.size || saved.shape.join(',') !== v.shape.join(',')) {
        throw new Error(`checkpoint does not match this configuration (variable ${name})`);
      }
      tf.tidy(() => v.assign(tf.tensor(saved.data, v.shape)));
    }
    this.rng = new Rng('', state.rng);
    this.optG.step = state.optimizerSteps.generator;
    this.optD.step = state.optimizerSteps.discriminator;
    this.iteration = state.iteration;
  }

  dispose(): void {
    this.recorder.dispose();
    this.generator.dispose();
    this.discriminator.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
