/**
 * A fused GAN engine in plain TypeScript over Float32Arrays, for the small networks where tfjs's
 * per-op overhead dominates the arithmetic. It computes what engine/trainer.ts's D and G steps
 * compute (same networks, losses and TensorFlow 1 optimizers, float32 storage), and its state uses
 * the tfjs path's variable and slot keys, so a run can move between the two engines.
 *
 * D's passes on the real and the generated batch are one pass over 2n rows: without batch norm
 * or dropout the rows are independent, and the gradients of the two passes simply add.
 */
import type { RunConfig } from '../../../shared/config.js';
import { activationCode, leakySlope, ACT_LINEAR } from './activations.js';
import { discriminatorLossGrad, generatorLossGrad, type FusedLossKind } from './losses.js';
import { FusedMlp, type FusedLayerSpec } from './mlp.js';
import { FusedOptimizer } from './optimizer.js';

const DATA_DIM = 2;

export type FusedSupport = { ok: true } | { ok: false; reason: string };

/** Whether FusedGan can train this configuration exactly as the tfjs path would. */
export function fusedSupport(config: RunConfig): FusedSupport {
  const nets = [
    ['generator', config.generator.hidden],
    ['discriminator', config.discriminator.hidden],
  ] as const;
  for (const [net, hidden] of nets) {
    for (const [i, layer] of hidden.entries()) {
      if (layer.batchNorm) return { ok: false, reason: `${net} layer ${i} uses batch norm` };
      if (layer.dropout > 0) return { ok: false, reason: `${net} layer ${i} uses dropout` };
    }
  }
  if (config.loss.kind === 'wganGp') return { ok: false, reason: 'the wganGp loss needs a gradient penalty (second-order gradients)' };
  return { ok: true };
}

const linear = (key: string, units: number): FusedLayerSpec => ({ key, units, act: ACT_LINEAR, alpha: 0 });

function hiddenSpecs(prefix: string, hidden: RunConfig['generator']['hidden']): FusedLayerSpec[] {
  return hidden.map((l, i) => ({ key: `${prefix}.${i}`, units: l.units, act: activationCode(l.activation), alpha: leakySlope(l) }));
}

export interface FusedState {
  arrays: Map<string, Float32Array>;
  steps: { generator: number; discriminator: number };
}

export class FusedGan {
  private readonly g: FusedMlp;
  private readonly d: FusedMlp;
  private readonly optG: FusedOptimizer;
  private readonly optD: FusedOptimizer;
  private readonly loss: FusedLossKind;
  private readonly noiseDim: number;
  /** D's input for a D step: the real batch, then the generated one. */
  private dInput = new Float32Array(0);
  private capacity = 0;
  /**
   * The noise whose G(z) the second half of dInput holds, for the current G weights and batch
   * size `fakeRows` (0: none). The published code's loop takes 50 D steps on one z without
   * changing G: all but the first reuse G(z) instead of recomputing it.
   */
  private fakeNoise = new Float32Array(0);
  private fakeRows = 0;

  constructor(readonly config: RunConfig) {
    const support = fusedSupport(config);
    if (!support.ok) throw new Error(`fused engine: ${support.reason}`);
    this.loss = config.loss.kind as FusedLossKind;
    this.noiseDim = config.noise.dim;
    const gHidden = config.generator.hidden;
    const dHidden = config.discriminator.hidden;
    this.g = new FusedMlp(this.noiseDim, [...hiddenSpecs('G', gHidden), linear(`G.${gHidden.length}`, DATA_DIM)]);
    this.d = new FusedMlp(DATA_DIM, [
      ...hiddenSpecs('D', dHidden),
      linear(`D.${dHidden.length}`, config.discriminator.featureWidth),
      linear('D.logit.0', 1),
    ]);
    this.optG = new FusedOptimizer('optG', config.optimizer.generator, this.g.params.length);
    this.optD = new FusedOptimizer('optD', config.optimizer.discriminator, this.d.params.length);
  }

  /** Every array of the state by its tfjs key, as views into the engine's own buffers. */
  private named(): Array<[string, Float32Array]> {
    const gVars = this.g.variables();
    const dVars = this.d.variables();
    return [...gVars, ...dVars, ...this.optG.named(gVars), ...this.optD.named(dVars)];
  }

  /** Copies weights and optimizer slots (by the tfjs path's keys) and both optimizers' step counts. */
  importState(arrays: Map<string, Float32Array>, steps: { generator: number; discriminator: number }): void {
    const named = this.named();
    const expected = new Set(named.map(([key]) => key));
    for (const key of arrays.keys()) {
      if (!expected.has(key)) throw new Error(`fused engine: state does not match this configuration (unexpected array ${key})`);
    }
    for (const [key, target] of named) {
      const source = arrays.get(key);
      if (!source || source.length !== target.length) {
        throw new Error(`fused engine: state does not match this configuration (array ${key})`);
      }
    }
    for (const [key, target] of named) target.set(arrays.get(key)!);
    this.fakeRows = 0;
    this.optG.step = steps.generator;
    this.optD.step = steps.discriminator;
  }

  /** A copy of the whole state, keyed as the tfjs path keys it. */
  exportState(): FusedState {
    return {
      arrays: new Map(this.named().map(([key, v]) => [key, v.slice()])),
      steps: { generator: this.optG.step, discriminator: this.optD.step },
    };
  }

  private reserve(n: number): void {
    if (n <= this.capacity) return;
    this.g.reserve(n);
    this.d.reserve(2 * n);
    this.dInput = new Float32Array(2 * n * DATA_DIM);
    this.fakeNoise = new Float32Array(n * this.noiseDim);
    this.fakeRows = 0;
    this.capacity = n;
  }

  private check(x: Float32Array | null, z: Float32Array, n: number): void {
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`fused engine: batch size ${n} is not a positive integer`);
    if (x && x.length < n * DATA_DIM) throw new Error(`fused engine: x holds ${x.length} values, ${n * DATA_DIM} needed`);
    if (z.length < n * this.noiseDim) throw new Error(`fused engine: z holds ${z.length} values, ${n * this.noiseDim} needed`);
  }

  /** One D update on x [n, 2] and z [n, noiseDim]; returns D's loss before the update. */
  dStep(x: Float32Array, z: Float32Array, n: number): number {
    this.check(x, z, n);
    this.reserve(n);
    const input = this.dInput;
    const half = n * DATA_DIM;
    if (!this.holdsFakeFor(z, n)) {
      const fake = this.g.forward(z, n);
      for (let i = 0; i < half; i++) input[half + i] = fake[i]!;
      const zLen = n * this.noiseDim;
      const noise = this.fakeNoise;
      for (let i = 0; i < zLen; i++) noise[i] = z[i]!;
      this.fakeRows = n;
    }
    for (let i = 0; i < half; i++) input[i] = x[i]!;
    const d = this.d;
    const logits = d.forward(input, 2 * n);
    const loss = discriminatorLossGrad(this.loss, logits, n, d.outputDelta);
    d.backward(input, 2 * n, true, null);
    this.optD.apply(d.params, d.grads);
    return loss;
  }

  /** Whether dInput's second half is G(z) for these n rows of z and the current G. */
  private holdsFakeFor(z: Float32Array, n: number): boolean {
    if (this.fakeRows !== n) return false;
    const noise = this.fakeNoise;
    const zLen = n * this.noiseDim;
    for (let i = 0; i < zLen; i++) if (noise[i] !== z[i]) return false;
    return true;
  }

  /** One G update on z [n, noiseDim]; returns G's loss before the update. */
  gStep(z: Float32Array, n: number): number {
    this.check(null, z, n);
    this.reserve(n);
    const g = this.g;
    const d = this.d;
    const fake = g.forward(z, n);
    const logits = d.forward(fake, n);
    const loss = generatorLossGrad(this.loss, logits, n, d.outputDelta);
    d.backward(fake, n, false, g.outputDelta);
    g.backward(z, n, true, null);
    this.optG.apply(g.params, g.grads);
    this.fakeRows = 0;
    return loss;
  }
}
