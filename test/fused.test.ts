/**
 * The fused engine (engine/fused) against the tfjs path: from the same initial weights and on the
 * same batches, every D and G step's loss and the final weights and optimizer slots agree, for
 * both presets, every supported loss and optimizer, and a deeper, wider net with other
 * activations; its state carries the tfjs path's keys both ways.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../src/main/engine/backend.js';
import { decodeState } from '../src/main/engine/checkpoint.js';
import { makeDataset } from '../src/main/engine/datasets.js';
import { FusedGan, fusedSupport } from '../src/main/engine/fused/index.js';
import { discriminatorLoss, generatorLoss } from '../src/main/engine/losses.js';
import { Discriminator, makeGenerator, newScope, type ForwardMode } from '../src/main/engine/model.js';
import { Optimizer } from '../src/main/engine/optimizers.js';
import { Rng, runStreams } from '../src/main/engine/rng.js';
import { Trainer } from '../src/main/engine/trainer.js';
import type { RunConfig } from '../src/shared/config.js';
import { resolveRunConfig } from '../src/shared/validate.js';

const DATA_DIM = 2;
const TRAIN: ForwardMode = { training: true };

/** The tfjs path's networks and optimizers, built as Trainer builds them, with its D and G steps. */
class TfjsReference {
  readonly generator;
  readonly discriminator;
  readonly optG;
  readonly optD;

  constructor(readonly config: RunConfig) {
    const init = runStreams(config.seed).init;
    const scope = newScope();
    this.generator = makeGenerator(config.noise.dim, config.generator.hidden, DATA_DIM, init, scope);
    this.discriminator = new Discriminator(DATA_DIM, config.discriminator.hidden, config.discriminator.featureWidth, init, scope);
    this.optG = new Optimizer('optG', config.optimizer.generator, this.generator.trainable);
    this.optD = new Optimizer('optD', config.optimizer.discriminator, this.discriminator.trainable);
  }

  dStep(x: Float32Array, z: Float32Array, n: number): number {
    const kind = this.config.loss.kind;
    const xt = tf.tensor2d(x, [n, DATA_DIM]);
    const zt = tf.tensor2d(z, [n, this.config.noise.dim]);
    const value = tf.tidy(() => {
      const fake = this.generator.forward(zt, TRAIN);
      const { value, grads } = tf.variableGrads(() => {
        const r = this.discriminator.forward(xt, TRAIN).logit;
        const f = this.discriminator.forward(fake, TRAIN).logit;
        return discriminatorLoss(kind, r, f);
      }, this.discriminator.trainable);
      this.optD.apply(this.discriminator.trainable.map((v) => grads[v.name]!));
      return value;
    });
    const loss = value.dataSync()[0]!;
    tf.dispose([xt, zt, value]);
    return loss;
  }

  gStep(z: Float32Array, n: number): number {
    const kind = this.config.loss.kind;
    const zt = tf.tensor2d(z, [n, this.config.noise.dim]);
    const value = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => generatorLoss(kind, this.discriminator.forward(this.generator.forward(zt, TRAIN), TRAIN).logit),
        this.generator.trainable,
      );
      this.optG.apply(this.generator.trainable.map((v) => grads[v.name]!));
      return value;
    });
    const loss = value.dataSync()[0]!;
    tf.dispose([zt, value]);
    return loss;
  }

  state(): { arrays: Map<string, Float32Array>; steps: { generator: number; discriminator: number } } {
    const named = [...this.generator.named, ...this.discriminator.named, ...this.optG.named, ...this.optD.named];
    return {
      arrays: new Map(named.map(([key, v]) => [key, (v.dataSync() as Float32Array).slice()])),
      steps: { generator: this.optG.step, discriminator: this.optD.step },
    };
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}

/** Real batches and noise as Trainer draws them (x then z for a D step, z for a G step). */
class Batches {
  private readonly dataset;
  constructor(
    private readonly config: RunConfig,
    private readonly rng: Rng,
  ) {
    this.dataset = makeDataset(config.dataset);
  }
  real(n: number): Float32Array {
    return this.dataset.sample(n, this.rng.next);
  }
  noise(n: number): Float32Array {
    const dim = this.config.noise.dim;
    return this.config.noise.distribution === 'uniform' ? this.rng.uniform(n * dim, -1, 1) : this.rng.normal(n * dim);
  }
}

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-3);

function expectStatesClose(
  actual: Map<string, Float32Array>,
  expected: Map<string, Float32Array>,
  rel: number,
): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    expect(got.length, key).toBe(want.length);
    // Relative to each element, with a floor of the array's own scale for elements near zero.
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < want.length; i++) {
      const tol = rel * Math.max(Math.abs(got[i]!), Math.abs(want[i]!), 1e-2 * scale) + 1e-12;
      if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
        throw new Error(`${key}[${i}]: fused ${got[i]}, tfjs ${want[i]} (tolerance ${tol})`);
      }
    }
  }
}

const TOTAL_D_STEPS = 200;

const base = (preset: 'article' | 'published-code', overrides: Record<string, unknown> = {}) =>
  resolveRunConfig({ preset, overrides: { seed: 3, ...overrides } });

const layer = (units: number, activation: string, over: Record<string, unknown> = {}) => ({ units, activation, ...over });

const CASES: Array<[string, RunConfig]> = [
  ['article preset (leaky ReLU, RMSProp)', base('article')],
  ['published-code preset (tanh, Adam, 50:50 on one batch)', base('published-code')],
  ['minimax loss', base('article', { loss: { kind: 'minimax' } })],
  // On the ring data: on the tutorial's curve D's unbounded least-squares logits blow up (D loss
  // 17 -> 134 within 50 steps), which magnifies rounding until tfjs's own backends differ by 5e-5.
  ['least-squares loss', base('article', { dataset: { kind: 'ring' }, loss: { kind: 'leastSquares' } })],
  ['hinge loss', base('published-code', { loss: { kind: 'hinge' }, schedule: { dSteps: 1, gSteps: 1, freshBatchPerStep: true } })],
  [
    // Small rates: the tutorial's data (y up to 2500, not normalized) makes larger ones diverge
    // or turn chaotic within 200 steps, where even tfjs's cpu and wasm backends part ways.
    'sgd with momentum',
    base('article', {
      optimizer: { generator: { kind: 'sgd', lr: 1e-5, momentum: 0.9 }, discriminator: { kind: 'sgd', lr: 1e-6, momentum: 0.5 } },
    }),
  ],
  ['plain sgd', base('article', { dataset: { kind: 'ring' }, optimizer: { generator: { kind: 'sgd', lr: 0.01 }, discriminator: { kind: 'sgd', lr: 0.01 } } })],
  [
    'rmsprop with momentum',
    base('article', {
      optimizer: {
        generator: { kind: 'rmsprop', lr: 0.0001, momentum: 0.9 },
        discriminator: { kind: 'rmsprop', lr: 0.0002, momentum: 0.5, decay: 0.8, initialAccumulator: 0.1 },
      },
    }),
  ],
  [
    'deeper, wider net (3x32, features 5, noise 4; elu, sigmoid, relu, linear)',
    base('article', {
      noise: { dim: 4, distribution: 'normal' },
      generator: { hidden: [layer(32, 'elu'), layer(32, 'sigmoid'), layer(32, 'relu')] },
      discriminator: { hidden: [layer(32, 'relu'), layer(32, 'linear'), layer(32, 'elu')], featureWidth: 5 },
      optimizer: { generator: { kind: 'adam', lr: 0.001 }, discriminator: { kind: 'rmsprop', lr: 0.001 } },
      schedule: { batchSize: 100 },
    }),
  ],
  [
    'leaky ReLU 0.1, sigmoid and tanh mixed, odd widths',
    base('article', {
      generator: { hidden: [layer(7, 'leakyRelu', { alpha: 0.1 }), layer(5, 'tanh')] },
      discriminator: { hidden: [layer(9, 'sigmoid'), layer(3, 'leakyRelu', { alpha: 0.1 })], featureWidth: 3 },
      schedule: { batchSize: 37 },
    }),
  ],
  [
    'no hidden layers, minimax, adam',
    base('article', {
      generator: { hidden: [] },
      discriminator: { hidden: [], featureWidth: 2 },
      loss: { kind: 'minimax' },
      optimizer: { generator: { kind: 'adam', lr: 0.01 }, discriminator: { kind: 'adam', lr: 0.01 } },
      schedule: { batchSize: 64 },
    }),
  ],
];

describe('fusedSupport', () => {
  it('accepts both presets and every loss but wganGp', () => {
    expect(fusedSupport(base('article'))).toEqual({ ok: true });
    expect(fusedSupport(base('published-code'))).toEqual({ ok: true });
    for (const kind of ['minimax', 'leastSquares', 'hinge']) expect(fusedSupport(base('article', { loss: { kind } })).ok).toBe(true);
  });

  it('refuses batch norm, dropout and wganGp, saying why', () => {
    const bn = fusedSupport(base('article', { discriminator: { hidden: [layer(16, 'leakyRelu', { batchNorm: true })] } }));
    expect(bn).toEqual({ ok: false, reason: expect.stringMatching(/batch norm/) });
    const dropout = fusedSupport(base('article', { generator: { hidden: [layer(16, 'tanh', { dropout: 0.5 })] } }));
    expect(dropout).toEqual({ ok: false, reason: expect.stringMatching(/dropout/) });
    const gp = fusedSupport(base('article', { loss: { kind: 'wganGp' } }));
    expect(gp).toEqual({ ok: false, reason: expect.stringMatching(/wganGp/) });
    expect(() => new FusedGan(base('article', { loss: { kind: 'wganGp' } }))).toThrow(/wganGp/);
  });
});

describe('fused state', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('exports what it imported, exactly, under the tfjs keys and order', () => {
    for (const [, config] of CASES) {
      const ref = new TfjsReference(config);
      // Perturb the slots so the round trip is tested on values that are not their initial fill.
      const state = ref.state();
      let k = 0;
      for (const a of state.arrays.values()) for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]! + 0.001 * ++k);
      const gan = new FusedGan(config);
      gan.importState(state.arrays, { generator: 7, discriminator: 11 });
      const out = gan.exportState();
      expect([...out.arrays.keys()]).toEqual([...state.arrays.keys()]);
      for (const [key, a] of state.arrays) expect(out.arrays.get(key), key).toEqual(a);
      expect(out.steps).toEqual({ generator: 7, discriminator: 11 });
      // The export is a copy: changing it leaves the engine alone.
      out.arrays.get('G.0.kernel')![0] = 1234;
      expect(gan.exportState().arrays.get('G.0.kernel')![0]).not.toBe(1234);
      ref.dispose();
    }
  });

  it('refuses a batch its arrays do not hold', () => {
    const gan = new FusedGan(base('article'));
    const x = new Float32Array(2 * 8);
    const z = new Float32Array(2 * 8);
    expect(() => gan.dStep(x, z, 9)).toThrow(/x holds 16 values, 18 needed/);
    expect(() => gan.gStep(z, 9)).toThrow(/z holds 16 values, 18 needed/);
    expect(() => gan.gStep(z, 0)).toThrow(/not a positive integer/);
    expect(Number.isFinite(gan.dStep(x, z, 8))).toBe(true);
  });

  it('refuses a state with a missing, mis-sized or unknown array', () => {
    const config = base('article');
    const ref = new TfjsReference(config);
    const { arrays, steps } = ref.state();
    ref.dispose();
    const gan = new FusedGan(config);
    const missing = new Map(arrays);
    missing.delete('D.logit.0.bias.optD.ms');
    expect(() => gan.importState(missing, steps)).toThrow(/D\.logit\.0\.bias\.optD\.ms/);
    const resized = new Map(arrays).set('G.1.kernel', new Float32Array(3));
    expect(() => gan.importState(resized, steps)).toThrow(/G\.1\.kernel/);
    const extra = new Map(arrays).set('D.0.gamma', new Float32Array(16));
    expect(() => gan.importState(extra, steps)).toThrow(/D\.0\.gamma/);
  });
});

describe.each(['cpu', 'wasm'] as BackendName[])('fused engine against tfjs on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it.each(CASES)('%s: every step\'s losses, then the final state, agree', (_name, config) => {
    const ref = new TfjsReference(config);
    const gan = new FusedGan(config);
    const initial = ref.state();
    gan.importState(initial.arrays, initial.steps);
    const batches = new Batches(config, new Rng('t'));
    const { batchSize: n, dSteps, gSteps, freshBatchPerStep } = config.schedule;
    const mismatches: string[] = [];
    const check = (what: string, a: number, b: number) => {
      if (!close(a, b, 1e-4)) mismatches.push(`${what}: fused ${a}, tfjs ${b}`);
    };
    let dCount = 0;
    let gCount = 0;
    while (dCount < TOTAL_D_STEPS) {
      let x = freshBatchPerStep ? undefined : batches.real(n);
      let z = freshBatchPerStep ? undefined : batches.noise(n);
      for (let s = 0; s < dSteps && dCount < TOTAL_D_STEPS; s++) {
        if (freshBatchPerStep) {
          x = batches.real(n);
          z = batches.noise(n);
        }
        check(`D step ${++dCount}`, gan.dStep(x!, z!, n), ref.dStep(x!, z!, n));
      }
      for (let s = 0; s < gSteps && gCount < TOTAL_D_STEPS; s++) {
        if (freshBatchPerStep) z = batches.noise(n);
        check(`G step ${++gCount}`, gan.gStep(z!, n), ref.gStep(z!, n));
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    const want = ref.state();
    const got = gan.exportState();
    expect(got.steps).toEqual({ generator: TOTAL_D_STEPS, discriminator: TOTAL_D_STEPS });
    expect(want.steps).toEqual(got.steps);
    expectStatesClose(got.arrays, want.arrays, 1e-3);
    ref.dispose();
  });

  it.each([
    ['article', 12],
    ['published-code', 2],
  ] as const)('continues a real %s Trainer (tfjs engine) from its checkpoint, iteration for iteration', (preset, iterations) => {
    const config = resolveRunConfig({ preset, overrides: { seed: 5, schedule: { iterations: 100 } } });
    const trainer = new Trainer(config, { engine: 'tfjs' });
    expect(trainer.engine).toBe('tfjs');
    trainer.runIteration(); // a first iteration on tfjs, so the slots and step counts are not initial
    const saved = decodeState(trainer.checkpoint().state);
    const gan = new FusedGan(config);
    gan.importState(new Map(saved.arrays.map((a) => [a.name, a.data])), saved.optimizerSteps);
    // Trainer's train stream, replayed from its saved state: the same x and z as the Trainer draws.
    const batches = new Batches(config, new Rng('', saved.rng));
    const { batchSize: n, dSteps, gSteps, freshBatchPerStep } = config.schedule;
    for (let it = 0; it < iterations; it++) {
      const result = trainer.runIteration();
      let x = freshBatchPerStep ? undefined : batches.real(n);
      let z = freshBatchPerStep ? undefined : batches.noise(n);
      let d = NaN;
      let g = NaN;
      for (let s = 0; s < dSteps; s++) {
        if (freshBatchPerStep) {
          x = batches.real(n);
          z = batches.noise(n);
        }
        d = gan.dStep(x!, z!, n);
      }
      for (let s = 0; s < gSteps; s++) {
        if (freshBatchPerStep) z = batches.noise(n);
        g = gan.gStep(z!, n);
      }
      expect(close(d, result.dLoss, 1e-4), `iteration ${result.iteration} D: fused ${d}, tfjs ${result.dLoss}`).toBe(true);
      expect(close(g, result.gLoss, 1e-4), `iteration ${result.iteration} G: fused ${g}, tfjs ${result.gLoss}`).toBe(true);
    }
    const final = decodeState(trainer.checkpoint().state);
    const got = gan.exportState();
    expect(got.steps).toEqual(final.optimizerSteps);
    expectStatesClose(got.arrays, new Map(final.arrays.map((a) => [a.name, a.data])), 1e-3);
    trainer.dispose();
  });
});
