/**
 * GAN losses (engine/losses.ts) against arithmetic done by hand, their numerical stability, the
 * balance values, and a short training run with every loss kind (engine/trainer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../src/main/engine/backend.js';
import { balanceValues, discriminatorLoss, generatorLoss, type LossKind } from '../src/main/engine/losses.js';
import { Trainer } from '../src/main/engine/trainer.js';
import { ACTIVATIONS, LOSS_KINDS } from '../src/shared/config.js';
import { resolveRunConfig } from '../src/shared/validate.js';

const softplus = (x: number) => Math.log(1 + Math.exp(x));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function dLoss(kind: LossKind, r: number[], f: number[]): number {
  return tf.tidy(() => discriminatorLoss(kind, tf.tensor1d(r), tf.tensor1d(f)).dataSync()[0]!);
}
function gLoss(kind: LossKind, f: number[]): number {
  return tf.tidy(() => generatorLoss(kind, tf.tensor1d(f)).dataSync()[0]!);
}
/** Relative float32 tolerance. */
function expectNear(actual: number, expected: number, rel = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

const R = [2, -1];
const F = [0.5, -3];

describe.each(['cpu', 'wasm'] as BackendName[])('losses on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  describe('hand-computed values for r = [2, -1], f = [0.5, -3]', () => {
    it('nonSaturating D: mean(log(1+e^-r)) + mean(log(1+e^f)) (the tutorial\'s sigmoid cross-entropy)', () => {
      const expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(1))) / 2 + (Math.log(1 + Math.exp(0.5)) + Math.log(1 + Math.exp(-3))) / 2;
      expectNear(dLoss('nonSaturating', R, F), expected);
    });

    it('nonSaturating G: mean(log(1+e^-f)) = mean(CE(f, 1))', () => {
      const expected = (Math.log(1 + Math.exp(-0.5)) + Math.log(1 + Math.exp(3))) / 2;
      expectNear(gLoss('nonSaturating', F), expected);
    });

    it('minimax D equals the nonSaturating D loss', () => {
      expectNear(dLoss('minimax', R, F), dLoss('nonSaturating', R, F));
    });

    it('minimax G: mean(log(1 - sigmoid(f))) = -mean(log(1+e^f))', () => {
      const expected = (Math.log(1 - 1 / (1 + Math.exp(-0.5))) + Math.log(1 - 1 / (1 + Math.exp(3)))) / 2;
      expectNear(gLoss('minimax', F), expected);
      expectNear(gLoss('minimax', F), -(Math.log(1 + Math.exp(0.5)) + Math.log(1 + Math.exp(-3))) / 2);
    });

    it('leastSquares D: 0.5 mean((r-1)^2) + 0.5 mean(f^2) = 0.5*(1+4)/2 + 0.5*(0.25+9)/2 = 3.5625', () => {
      const expected = 0.5 * (((2 - 1) ** 2 + (-1 - 1) ** 2) / 2) + 0.5 * ((0.5 ** 2 + (-3) ** 2) / 2);
      expect(expected).toBe(3.5625);
      expectNear(dLoss('leastSquares', R, F), expected);
    });

    it('leastSquares G: 0.5 mean((f-1)^2) = 0.5*(0.25+16)/2 = 4.0625', () => {
      const expected = 0.5 * (((0.5 - 1) ** 2 + (-3 - 1) ** 2) / 2);
      expect(expected).toBe(4.0625);
      expectNear(gLoss('leastSquares', F), expected);
    });

    it('hinge D: mean(max(0, 1-r)) + mean(max(0, 1+f)) = (0+2)/2 + (1.5+0)/2 = 1.75', () => {
      const expected = (Math.max(0, 1 - 2) + Math.max(0, 1 + 1)) / 2 + (Math.max(0, 1 + 0.5) + Math.max(0, 1 - 3)) / 2;
      expect(expected).toBe(1.75);
      expectNear(dLoss('hinge', R, F), expected);
    });

    it('hinge G: -mean(f) = 1.25', () => {
      expectNear(gLoss('hinge', F), -(0.5 - 3) / 2);
    });

    it('wganGp D (without the penalty, which the trainer adds): mean(f) - mean(r) = -1.25 - 0.5 = -1.75', () => {
      expectNear(dLoss('wganGp', R, F), (0.5 - 3) / 2 - (2 - 1) / 2);
    });

    it('wganGp G: -mean(f) = 1.25', () => {
      expectNear(gLoss('wganGp', F), 1.25);
    });

    it('averages over the batch: real and generated batches of different sizes weigh as halves', () => {
      const r = [1, 2, 3, 4];
      const f = [-1];
      const expected = mean(r.map((x) => softplus(-x))) + mean(f.map(softplus));
      expectNear(dLoss('nonSaturating', r, f), expected);
    });
  });

  describe('gradients point the right way', () => {
    it('nonSaturating G: dL/df_i = -sigmoid(-f_i)/n (pushes generated logits up)', () => {
      const g = tf.tidy(() => tf.grad((f: tf.Tensor) => generatorLoss('nonSaturating', f))(tf.tensor1d(F)).arraySync() as number[]);
      F.forEach((f, i) => expectNear(g[i]!, -1 / (1 + Math.exp(f)) / F.length));
    });

    it('minimax G: dL/df_i = -sigmoid(f_i)/n (vanishes where D rejects, as the tutorial warns)', () => {
      const g = tf.tidy(() => tf.grad((f: tf.Tensor) => generatorLoss('minimax', f))(tf.tensor1d(F)).arraySync() as number[]);
      F.forEach((f, i) => expectNear(g[i]!, -1 / (1 + Math.exp(-f)) / F.length));
    });

    it('D losses fall as real logits rise and generated logits fall', () => {
      for (const kind of LOSS_KINDS) {
        expect(dLoss(kind, [0.5, 0.5], [-0.5, -0.5])).toBeLessThan(dLoss(kind, [0, 0], [0, 0]));
      }
    });
  });

  describe('numerical stability', () => {
    it('nonSaturating/minimax stay finite and exact at logits of ±100 (no log(0))', () => {
      const big = [100, -100];
      // softplus(100) = 100 to float32 precision; softplus(-100) = e^-100 ≈ 0.
      expectNear(dLoss('nonSaturating', big, big), (softplus(-100) + softplus(100)) / 2 + (softplus(100) + softplus(-100)) / 2);
      expectNear(dLoss('nonSaturating', big, big), 100);
      expectNear(gLoss('nonSaturating', [-100, -100]), 100); // a naive -log(sigmoid(f)) gives Infinity
      expect(gLoss('nonSaturating', [100, 100])).toBeGreaterThanOrEqual(0);
      expect(gLoss('nonSaturating', [100, 100])).toBeLessThan(1e-30);
      expectNear(dLoss('nonSaturating', [-100], [100]), 200);
      expectNear(gLoss('minimax', [100, 100]), -100);
      expect(gLoss('minimax', [-100, -100])).toBeLessThanOrEqual(0);
      expect(gLoss('minimax', [-100, -100])).toBeGreaterThan(-1e-30);
    });

    it('every loss kind is finite at ±100 and ±1e4', () => {
      for (const kind of LOSS_KINDS) {
        for (const v of [100, 1e4]) {
          expect(Number.isFinite(dLoss(kind, [v, -v], [v, -v]))).toBe(true);
          expect(Number.isFinite(gLoss(kind, [v, -v]))).toBe(true);
        }
      }
    });

    it('the gradient of the nonSaturating losses is finite and saturates to ∓1/n at ±100', () => {
      const g = tf.tidy(() => tf.grad((f: tf.Tensor) => generatorLoss('nonSaturating', f))(tf.tensor1d([-100, 100])).arraySync() as number[]);
      expectNear(g[0]!, -0.5);
      expect(Math.abs(g[1]!)).toBeLessThan(1e-30);
    });
  });

  describe('balance values', () => {
    it('nonSaturating: {d: 2 ln 2, g: ln 2}, which the losses give at logit 0 (D(x) = 1/2)', () => {
      expect(balanceValues('nonSaturating')).toEqual({ d: 2 * Math.LN2, g: Math.LN2 });
      expectNear(dLoss('nonSaturating', [0, 0, 0], [0, 0]), 2 * Math.LN2);
      expectNear(gLoss('nonSaturating', [0, 0]), Math.LN2);
    });

    it('minimax: {d: 2 ln 2, g: -ln 2} at logit 0', () => {
      expect(balanceValues('minimax')).toEqual({ d: 2 * Math.LN2, g: -Math.LN2 });
      expectNear(dLoss('minimax', [0], [0]), 2 * Math.LN2);
      expectNear(gLoss('minimax', [0]), -Math.LN2);
    });

    it('leastSquares: {d: 0.25, g: 0.125} where D outputs 1/2', () => {
      expect(balanceValues('leastSquares')).toEqual({ d: 0.25, g: 0.125 });
      expectNear(dLoss('leastSquares', [0.5], [0.5]), 0.25);
      expectNear(gLoss('leastSquares', [0.5]), 0.125);
    });

    it('hinge and wganGp have no balance value', () => {
      expect(balanceValues('hinge')).toBeUndefined();
      expect(balanceValues('wganGp')).toBeUndefined();
    });
  });

  it('losses are scalars and leave no intermediate tensors behind', () => {
    const r = tf.tensor1d(R);
    const f = tf.tensor1d(F);
    const before = tf.memory().numTensors;
    for (const kind of LOSS_KINDS) {
      const d = discriminatorLoss(kind, r, f);
      const g = generatorLoss(kind, f);
      expect(d.rank).toBe(0);
      expect(g.rank).toBe(0);
      tf.dispose([d, g]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([r, f]);
  });
});

describe('training with every loss kind (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const tiny = (sets: string[], preset = 'article') =>
    resolveRunConfig({
      preset,
      sets: [
        'schedule.batchSize=32',
        'schedule.iterations=5',
        'recording.samples=64',
        'recording.heatmapResolution=8',
        'recording.manifoldResolution=4',
        'recording.snapshotEvery=2',
        'recording.lossEvery=1',
        ...sets,
      ],
    });

  function run(sets: string[], iterations = 5): Array<{ d: number; g: number }> {
    const t = new Trainer(tiny(sets));
    try {
      const out: Array<{ d: number; g: number }> = [];
      for (let i = 0; i < iterations; i++) {
        const r = t.runIteration();
        expect(r.diverged).toBeUndefined();
        out.push({ d: r.dLoss, g: r.gLoss });
      }
      return out;
    } finally {
      t.dispose();
    }
  }

  it.each(LOSS_KINDS)('%s trains 5 iterations of the article\'s networks (leaky ReLU) with finite losses', (kind) => {
    const losses = run([`loss.kind=${kind}`, 'dataset={"kind":"ring"}']);
    expect(losses).toHaveLength(5);
    for (const { d, g } of losses) {
      expect(Number.isFinite(d)).toBe(true);
      expect(Number.isFinite(g)).toBe(true);
    }
  });

  // WGAN-GP differentiates D's input gradient again (second order): every activation must support it.
  it.each(ACTIVATIONS.filter((a) => a !== 'leakyRelu'))('wganGp trains with a %s discriminator (second-order gradients)', (activation) => {
    const losses = run([
      'loss.kind=wganGp',
      'dataset={"kind":"ring"}',
      `discriminator.hidden.0.activation=${activation}`,
      `discriminator.hidden.1.activation=${activation}`,
    ]);
    for (const { d, g } of losses) expect(Number.isFinite(d) && Number.isFinite(g)).toBe(true);
  });

  it('wganGp with batch norm and dropout in D trains (tanh)', () => {
    const losses = run([
      'loss.kind=wganGp',
      'dataset={"kind":"ring"}',
      'discriminator.hidden=[{"units":16,"activation":"tanh","batchNorm":true,"dropout":0.2},{"units":16,"activation":"tanh"}]',
    ]);
    for (const { d, g } of losses) expect(Number.isFinite(d) && Number.isFinite(g)).toBe(true);
  });

  it('the gradient penalty is gpWeight (|grad_x D| - 1)^2, exact for a linear D', () => {
    const sets = (gp: number) => [
      'loss.kind=wganGp',
      `loss.gpWeight=${gp}`,
      'dataset={"kind":"ring"}',
      'discriminator.hidden.0.activation=linear',
      'discriminator.hidden.1.activation=linear',
      'schedule.iterations=1',
    ];
    // A linear D is x -> x W + b with W the product of its kernels; its input gradient is W everywhere.
    const t = new Trainer(tiny(sets(10)));
    const W = tf.tidy(() => {
      const kernels = t.discriminator.named.filter(([k]) => k.endsWith('kernel')).map(([, v]) => v as tf.Tensor2D);
      return Array.from(kernels.reduce((a, b) => tf.matMul(a, b)).dataSync());
    });
    const penalty = (Math.hypot(...W) - 1) ** 2;
    const withGp = t.runIteration().dLoss;
    t.dispose();
    const u = new Trainer(tiny(sets(0)));
    const withoutGp = u.runIteration().dLoss;
    u.dispose();
    // Same seed, same batches and interpolation draws: the losses differ by the penalty alone.
    expect(Math.abs(withGp - withoutGp - 10 * penalty)).toBeLessThan(1e-4 * Math.max(1, 10 * penalty));
  });

  it('minimax and nonSaturating differ only in G\'s loss: identical D losses at the first iteration', () => {
    const a = run(['loss.kind=minimax'], 1)[0]!;
    const b = run(['loss.kind=nonSaturating'], 1)[0]!;
    expect(a.d).toBe(b.d);
    expect(a.g).not.toBe(b.g);
  });
});
