/**
 * The generator and discriminator as plain tfjs variables and ops (no tf.layers), so that the
 * initial values and optimizer details can follow TensorFlow 1 exactly (docs/spec-notes.md) and every
 * variable can be checkpointed by name.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerConfig } from '../../shared/config.js';
import type { Rng } from './rng.js';

export type LayerSpec = Pick<LayerConfig, 'units' | 'activation' | 'alpha' | 'dropout' | 'batchNorm'>;

const linear = (units: number): LayerSpec => ({ units, activation: 'linear', alpha: 0, dropout: 0, batchNorm: false });

/** How a forward pass runs: training (batch statistics, dropout on) or inference (recording). */
export interface ForwardMode {
  training: boolean;
  /** Draws a seed for each dropout mask; required when training with dropout. */
  dropoutSeed?: () => number;
}

let scopeCounter = 0;
/** tfjs variable names are global to the process; a scope keeps two trainers' variables apart. */
export function newScope(): string {
  scopeCounter += 1;
  return `t${scopeCounter}`;
}

/** A variable holding `initial`, which is then released (tf.variable keeps its own reference). */
export function variableFrom(initial: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}

/** Strips the process-unique scope: the stable key used by checkpoints. */
export const variableKey = (v: tf.Variable): string => v.name.slice(v.name.indexOf('/') + 1);

interface Dense {
  spec: LayerSpec;
  kernel: tf.Variable;
  bias: tf.Variable;
  bn?: { gamma: tf.Variable; beta: tf.Variable; movingMean: tf.Variable; movingVar: tf.Variable };
}

const BN_MOMENTUM = 0.99;
const BN_EPSILON = 1e-3;

function activate(x: tf.Tensor, spec: LayerSpec, secondOrder: boolean): tf.Tensor {
  switch (spec.activation) {
    case 'leakyRelu':
      // relu(x) - alpha*relu(-x) gives the same values, and its gradient is itself differentiable
      // (tf.leakyRelu's is not), which WGAN-GP's gradient penalty needs; it costs 4 ops, not 1.
      return secondOrder ? tf.sub(tf.relu(x), tf.mul(spec.alpha, tf.relu(tf.neg(x)))) : tf.leakyRelu(x, spec.alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'elu':
      // relu(x) + exp(-relu(-x)) - 1: twice differentiable, for the same reason as above.
      return secondOrder ? tf.sub(tf.add(tf.relu(x), tf.exp(tf.neg(tf.relu(tf.neg(x))))), 1) : tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
  }
}

/** Glorot-uniform kernel, as TensorFlow 1's dense layers initialise it. */
function glorotUniform(fanIn: number, fanOut: number, rng: Rng): tf.Tensor2D {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.tensor2d(rng.uniform(fanIn * fanOut, -limit, limit), [fanIn, fanOut]);
}

/** A stack of dense layers; the last layer's output is returned with the input to it. */
export class Mlp {
  private readonly layers: Dense[];
  /** Batch-norm statistics measured in training passes, applied after the optimizer step. */
  private pendingStats: Array<{ layer: Dense; mean: tf.Tensor; variance: tf.Tensor }> = [];

  constructor(
    readonly name: string,
    readonly inputDim: number,
    specs: LayerSpec[],
    rng: Rng,
    scope: string,
    /** Build activations whose gradients are differentiable again (for gradient penalties). */
    private readonly secondOrder = false,
  ) {
    let fanIn = inputDim;
    this.layers = specs.map((spec, i) => {
      const id = `${scope}/${name}.${i}`;
      const layer: Dense = {
        spec,
        kernel: variableFrom(glorotUniform(fanIn, spec.units, rng), true, `${id}.kernel`),
        bias: variableFrom(tf.zeros([spec.units]), true, `${id}.bias`),
      };
      if (spec.batchNorm) {
        layer.bn = {
          gamma: variableFrom(tf.ones([spec.units]), true, `${id}.gamma`),
          beta: variableFrom(tf.zeros([spec.units]), true, `${id}.beta`),
          movingMean: variableFrom(tf.zeros([spec.units]), false, `${id}.movingMean`),
          movingVar: variableFrom(tf.ones([spec.units]), false, `${id}.movingVar`),
        };
      }
      fanIn = spec.units;
      return layer;
    });
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1]!.spec.units;
  }

  /** Trainable variables, in a fixed order (the optimizer's and the checkpoint's). */
  get trainable(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias, ...(l.bn ? [l.bn.gamma, l.bn.beta] : [])]);
  }

  /** Every variable with its stable key, trainable or not: what a checkpoint holds. */
  get named(): Array<[string, tf.Variable]> {
    return this.layers
      .flatMap((l) => [l.kernel, l.bias, ...(l.bn ? Object.values(l.bn) : [])])
      .map((v) => [variableKey(v), v]);
  }

  get parameterCount(): number {
    return this.trainable.reduce((n, v) => n + v.size, 0);
  }

  forward(x: tf.Tensor, mode: ForwardMode): tf.Tensor {
    let h = x;
    for (const layer of this.layers) {
      h = tf.add(tf.matMul(h, layer.kernel), layer.bias);
      if (layer.bn) h = this.batchNorm(h, layer, mode);
      h = activate(h, layer.spec, this.secondOrder);
      if (mode.training && layer.spec.dropout > 0) {
        if (!mode.dropoutSeed) throw new Error('dropout in training needs a seeded source');
        h = tf.dropout(h, layer.spec.dropout, undefined, mode.dropoutSeed());
      }
    }
    return h;
  }

  private batchNorm(h: tf.Tensor, layer: Dense, mode: ForwardMode): tf.Tensor {
    const bn = layer.bn!;
    if (!mode.training) return tf.batchNorm(h, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, BN_EPSILON);
    const { mean, variance } = tf.moments(h, 0);
    this.pendingStats.push({ layer, mean: tf.keep(tf.clone(mean)), variance: tf.keep(tf.clone(variance)) });
    return tf.batchNorm(h, mean, variance, bn.beta, bn.gamma, BN_EPSILON);
  }

  /** Moves the batch-norm running statistics toward the batches seen since the last call. */
  commitBatchStats(): void {
    for (const { layer, mean, variance } of this.pendingStats) {
      const bn = layer.bn!;
      tf.tidy(() => {
        bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
        bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, BN_MOMENTUM), tf.mul(variance, 1 - BN_MOMENTUM)));
      });
      mean.dispose();
      variance.dispose();
    }
    this.pendingStats = [];
  }

  /** Drops statistics of passes that must not move the running averages (the other network's step). */
  discardBatchStats(): void {
    for (const p of this.pendingStats) tf.dispose([p.mean, p.variance]);
    this.pendingStats = [];
  }

  dispose(): void {
    for (const [, v] of this.named) v.dispose();
    for (const p of this.pendingStats) tf.dispose([p.mean, p.variance]);
    this.pendingStats = [];
  }
}

/** G(Z): hidden layers, then a linear layer to the data's dimension. */
export function makeGenerator(noiseDim: number, hidden: LayerSpec[], dataDim: number, rng: Rng, scope: string): Mlp {
  return new Mlp('G', noiseDim, [...hidden, linear(dataDim)], rng, scope);
}

/** D(X) -> (logit, h): hidden layers, the linear feature layer h, then a linear logit. */
export class Discriminator {
  readonly body: Mlp;
  readonly head: Mlp;

  constructor(dataDim: number, hidden: LayerSpec[], featureWidth: number, rng: Rng, scope: string, secondOrder = false) {
    this.body = new Mlp('D', dataDim, [...hidden, linear(featureWidth)], rng, scope, secondOrder);
    this.head = new Mlp('D.logit', featureWidth, [linear(1)], rng, scope, secondOrder);
  }

  get trainable(): tf.Variable[] {
    return [...this.body.trainable, ...this.head.trainable];
  }

  get named(): Array<[string, tf.Variable]> {
    return [...this.body.named, ...this.head.named];
  }

  get parameterCount(): number {
    return this.body.parameterCount + this.head.parameterCount;
  }

  forward(x: tf.Tensor, mode: ForwardMode): { logit: tf.Tensor; features: tf.Tensor } {
    const features = this.body.forward(x, mode);
    const logit = tf.reshape(this.head.forward(features, mode), [-1]);
    return { logit, features };
  }

  commitBatchStats(): void {
    this.body.commitBatchStats();
  }

  discardBatchStats(): void {
    this.body.discardBatchStats();
  }

  dispose(): void {
    this.body.dispose();
    this.head.dispose();
  }
}
