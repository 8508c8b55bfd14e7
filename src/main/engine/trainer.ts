/**
 * One GAN run on tfjs: the tutorial's networks, losses and both loop styles (docs/spec-notes.md), with the
 * recording that lets a person see how it learns. It takes a config (and optionally a saved
 * state) and emits records; it knows nothing of SQLite, Electron or charts.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../shared/config.js';
import { decodeState, encodeState, type TrainerState } from './checkpoint.js';
import { makeDataset, type Dataset } from './datasets.js';
import { dataReach, divergedAt, lossDivergence, sampleDivergence, weightDivergence, type DataReach } from './divergence.js';
import { discriminatorLoss, generatorLoss } from './losses.js';
import { FusedGan, fusedSupport } from './fused/index.js';
import { simdAvailable } from './fused/simd.js';
import { Discriminator, makeGenerator, newScope, type ForwardMode, type Mlp } from './model.js';
import { Optimizer } from './optimizers.js';
import type { CheckpointRecord, LossRecord, SnapshotRecord } from './records.js';
import { Recorder } from './recorder.js';
import { drawNoise, Rng, runStreams } from './rng.js';

export const DATA_DIM = 2;

/** auto: the fused engine where it supports the config, else tfjs. GAN_LAB_ENGINE overrides auto. */
export type EngineChoice = 'auto' | 'fused' | 'tfjs';
export const ENGINES = ['auto', 'fused', 'tfjs'] as const;

export function engineFromEnv(choice: EngineChoice = 'auto'): EngineChoice {
  const env = process.env.GAN_LAB_ENGINE;
  return choice === 'auto' && (env === 'fused' || env === 'tfjs') ? env : choice;
}

/**
 * What is stored as a run's backend: the tfjs backend, or when the fused engine computed the
 * training steps `fused-simd` (its WebAssembly SIMD kernels) or `fused-js` (its TypeScript
 * tiles); the tfjs backend then only records snapshots.
 */
export function backendLabel(trainer: Trainer, tfjsBackend: string): string {
  if (trainer.engine !== 'fused') return tfjsBackend;
  return simdAvailable() ? 'fused-simd' : 'fused-js';
}

export interface IterationResult {
  iteration: number;
  losses?: LossRecord;
  snapshot?: SnapshotRecord;
  checkpoint?: CheckpointRecord;
  /**
   * Set when this iteration crossed the divergence rule (engine/divergence.ts): the run ends
   * here, this iteration unrecorded, so the last snapshot and checkpoint kept are good ones.
   */
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
  /** The real data's centre and spread, which generated samples are held to (divergence.ts). */
  private readonly reach: DataReach;
  private readonly train: ForwardMode;
  /** Index of the next iteration to run (= iterations completed). */
  iteration = 0;
  /**
   * The fused engine trains when it supports the config (engine/fused): the tfjs variables then
   * hold the weights only at recording and checkpoint time, when they are synced from it.
   */
  private readonly fused: FusedGan | undefined;
  /** Whether the tfjs variables already hold the fused engine's current weights. */
  private synced = true;

  /** The iteration count the run is planned for (a resume may extend the config's). */
  readonly plannedIterations: number;

  constructor(
    readonly config: RunConfig,
    options: { state?: Uint8Array; plannedIterations?: number; engine?: EngineChoice } = {},
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
    this.reach = dataReach(this.recorder.real);
    if (saved) {
      try {
        this.restore(saved);
      } catch (err) {
        this.dispose();
        throw err;
      }
    }
    const engine = engineFromEnv(options.engine);
    const support = fusedSupport(config);
    if (engine === 'fused' && !support.ok) {
      this.dispose();
      throw new Error(`the fused engine cannot train this configuration: ${support.reason}`);
    }
    if (engine !== 'tfjs' && support.ok) {
      this.fused = new FusedGan(config);
      this.pushToFused();
    }
  }

  /** Which engine computes the training steps. */
  get engine(): 'fused' | 'tfjs' {
    return this.fused ? 'fused' : 'tfjs';
  }

  /** tfjs variables -> fused engine (after creation or a restore). */
  private pushToFused(): void {
    const arrays = new Map(this.namedVariables().map(([name, v]) => [name, v.dataSync() as Float32Array]));
    this.fused!.importState(arrays, { generator: this.optG.step, discriminator: this.optD.step });
  }

  /** Fused engine -> tfjs variables, so the recorder and checkpoints see the current weights. */
  private pullFromFused(): void {
    if (!this.fused || this.synced) return;
    const { arrays, steps } = this.fused.exportState();
    tf.tidy(() => {
      for (const [name, v] of this.namedVariables()) v.assign(tf.tensor(arrays.get(name)!, v.shape));
    });
    this.optG.step = steps.generator;
    this.optD.step = steps.discriminator;
    this.synced = true;
  }

  private realBatch(): tf.Tensor2D {
    const n = this.config.schedule.batchSize;
    return tf.tensor2d(this.dataset.sample(n, this.rng.next), [n, DATA_DIM]);
  }

  noiseBatch(n: number, rng: Rng = this.rng): tf.Tensor2D {
    const dim = this.config.noise.dim;
    return tf.tensor2d(drawNoise(this.config.noise, n, rng), [n, dim]);
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

  /** The fused engine's iteration: the same draws from the same stream, in the same order. */
  private runFusedSteps(snapshotDue: boolean): { d: number; g: number } {
    const f = this.fused!;
    const { dSteps, gSteps, freshBatchPerStep, batchSize: n } = this.config.schedule;
    const noise = () => drawNoise(this.config.noise, n, this.rng);
    let x: Float32Array | undefined;
    let z: Float32Array | undefined;
    if (!freshBatchPerStep) {
      x = this.dataset.sample(n, this.rng.next);
      z = noise();
    }
    let d = NaN;
    let g = NaN;
    for (let s = 0; s < dSteps; s++) {
      if (freshBatchPerStep) {
        x = this.dataset.sample(n, this.rng.next);
        z = noise();
      }
      d = f.dStep(x!, z!, n);
      this.synced = false;
    }
    if (snapshotDue) {
      this.pullFromFused();
      this.recorder.recordPhase('after-d');
    }
    for (let s = 0; s < gSteps; s++) {
      if (freshBatchPerStep) z = noise();
      g = f.gStep(z!, n);
      this.synced = false;
    }
    if (snapshotDue) this.pullFromFused();
    return { d, g };
  }

  /** Runs iteration `this.iteration` and returns what it recorded. */
  runIteration(): IterationResult {
    if (this.fused) return this.finishIteration(this.iteration, this.beginIteration(), (due) => this.runFusedSteps(due));
    return this.finishIteration(this.iteration, this.beginIteration(), (due) => this.runTfjsSteps(due));
  }

  private beginIteration(): boolean {
    const it = this.iteration;
    const snapshotDue = it % this.config.recording.snapshotEvery === 0 || it === this.plannedIterations - 1;
    if (snapshotDue) {
      this.pullFromFused();
      this.recorder.beginSnapshot(it);
    }
    return snapshotDue;
  }

  private finishIteration(it: number, snapshotDue: boolean, steps: (snapshotDue: boolean) => { d: number; g: number }): IterationResult {
    const rec = this.config.recording;
    const { d, g } = steps(snapshotDue);
    const result: IterationResult = { iteration: it, dLoss: d, gLoss: g };
    const checkpointDue = (it + 1) % rec.checkpointEvery === 0 || it + 1 === this.plannedIterations;
    // Losses every iteration; weights and samples where they are read anyway (snapshot, checkpoint).
    let diverged = lossDivergence(this.config.loss.kind, d, g);
    let snapshot: SnapshotRecord | undefined;
    if (!diverged && snapshotDue) {
      snapshot = this.recorder.finishSnapshot();
      diverged = sampleDivergence(snapshot.arrays.find((a) => a.name === 'fake')!.data, this.reach) ?? this.weightDivergence();
    } else if (!diverged && checkpointDue) {
      diverged = this.weightDivergence();
    }
    if (diverged) {
      this.recorder.abandonSnapshot();
      result.diverged = divergedAt(it, diverged);
      return result;
    }
    if (snapshot) result.snapshot = snapshot;
    if (it % rec.lossEvery === 0) result.losses = { iteration: it, dLoss: d, gLoss: g };
    this.iteration = it + 1;
    if (checkpointDue) result.checkpoint = this.checkpoint();
    return result;
  }

  /** The tfjs engine's iteration. */
  private runTfjsSteps(snapshotDue: boolean): { d: number; g: number } {
    const { dSteps, gSteps, freshBatchPerStep, batchSize } = this.config.schedule;
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
    return { d, g };
  }

  /** Why the networks' trainable weights end the run (divergence.ts), or undefined. */
  private weightDivergence(): string | undefined {
    this.pullFromFused();
    const trainable = [...this.generator.trainable, ...this.discriminator.trainable];
    return weightDivergence(trainable.map((v) => [v.name, v.dataSync() as Float32Array] as const));
  }

  /** The whole state after the iterations completed so far. */
  checkpoint(): CheckpointRecord {
    this.pullFromFused();
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
