/**
 * The generator and discriminator (engine/model.ts): shapes, the tutorial's parameter counts,
 * TensorFlow 1's initial values, determinism from the seed, batch norm, dropout and activations.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../src/main/engine/backend.js';
import { Discriminator, Mlp, makeGenerator, newScope, type LayerSpec } from '../src/main/engine/model.js';
import { Rng } from '../src/main/engine/rng.js';

const spec = (units: number, over: Partial<LayerSpec> = {}): LayerSpec => ({
  units,
  activation: 'leakyRelu',
  alpha: 0.2,
  dropout: 0,
  batchNorm: false,
  ...over,
});
const TUTORIAL_HIDDEN = [spec(16), spec(16)];

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const disposers: Array<{ dispose(): void }> = [];
function track<T extends { dispose(): void }>(x: T): T {
  disposers.push(x);
  return x;
}

function setWeights(mlp: Mlp | Discriminator['body'], key: string, data: number[][] | number[]): void {
  const v = mlp.named.find(([k]) => k === key)?.[1];
  if (!v) throw new Error(`no variable ${key}`);
  tf.tidy(() => v.assign(tf.tensor(data as number[], v.shape)));
}

describe.each(['cpu', 'wasm'] as BackendName[])('model on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterEach(() => {
    while (disposers.length) disposers.pop()!.dispose();
  });

  describe('memory', () => {
    it('a forward pass in training or inference mode leaves no tensor behind but its outputs', () => {
      const g = track(makeGenerator(2, [spec(8, { batchNorm: true, dropout: 0.3 }), spec(8)], 2, new Rng('m'), newScope()));
      const d = track(new Discriminator(2, [spec(8, { batchNorm: true, dropout: 0.3 })], 2, new Rng('m'), newScope()));
      const x = tf.ones([4, 2]);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        d.forward(g.forward(x, { training: true, dropoutSeed: () => 1 }), { training: true, dropoutSeed: () => 2 });
        d.forward(g.forward(x, { training: false }), { training: false });
      });
      g.commitBatchStats();
      d.discardBatchStats();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('dispose() frees every tensor and byte a network allocated (initial values included)', () => {
      const before = tf.memory();
      const g = makeGenerator(2, [spec(16, { batchNorm: true }), spec(16)], 2, new Rng('m'), newScope());
      const d = new Discriminator(2, [spec(16), spec(16)], 2, new Rng('m'), newScope());
      g.dispose();
      d.dispose();
      const after = tf.memory();
      expect(after.numBytes - before.numBytes).toBe(0);
      expect(after.numTensors - before.numTensors).toBe(0);
    });
  });

  describe('shapes', () => {
    it('G maps [n, noiseDim] to [n, 2]', () => {
      for (const noiseDim of [1, 2, 7]) {
        const g = track(makeGenerator(noiseDim, TUTORIAL_HIDDEN, 2, new Rng('g'), newScope()));
        const out = tf.tidy(() => g.forward(tf.zeros([5, noiseDim]), { training: false }));
        expect(out.shape).toEqual([5, 2]);
        expect(g.outputDim).toBe(2);
        out.dispose();
      }
    });

    it.each([2, 5])('D returns a logit [n] and features [n, %i]', (w) => {
      const d = track(new Discriminator(2, TUTORIAL_HIDDEN, w, new Rng('d'), newScope()));
      const { logit, features } = d.forward(tf.ones([3, 2]), { training: false });
      expect(logit.shape).toEqual([3]);
      expect(features.shape).toEqual([3, w]);
      // The logit is the head applied to the features: D(x) = head(h3(x)).
      const again = d.head.forward(features, { training: false });
      expect(values(again)).toEqual(values(logit));
      tf.dispose([logit, features, again]);
    });
  });

  describe('the tutorial networks', () => {
    it('parameter counts: G 2*16+16 + 16*16+16 + 16*2+2 = 354; D adds the 2*1+1 logit: 357', () => {
      const rng = new Rng('count');
      const scope = newScope();
      const g = track(makeGenerator(2, TUTORIAL_HIDDEN, 2, rng, scope));
      const d = track(new Discriminator(2, TUTORIAL_HIDDEN, 2, rng, scope));
      expect(g.parameterCount).toBe(2 * 16 + 16 + (16 * 16 + 16) + (16 * 2 + 2));
      expect(g.parameterCount).toBe(354);
      expect(d.parameterCount).toBe(354 + 2 * 1 + 1);
      expect(d.parameterCount).toBe(357);
    });

    it('variables have stable, scope-free names in a fixed order (the checkpoint keys)', () => {
      const scope = newScope();
      const g = track(makeGenerator(2, TUTORIAL_HIDDEN, 2, new Rng('n'), scope));
      const d = track(new Discriminator(2, TUTORIAL_HIDDEN, 2, new Rng('n'), scope));
      expect(g.named.map(([k]) => k)).toEqual(['G.0.kernel', 'G.0.bias', 'G.1.kernel', 'G.1.bias', 'G.2.kernel', 'G.2.bias']);
      expect(d.named.map(([k]) => k)).toEqual([
        'D.0.kernel',
        'D.0.bias',
        'D.1.kernel',
        'D.1.bias',
        'D.2.kernel',
        'D.2.bias',
        'D.logit.0.kernel',
        'D.logit.0.bias',
      ]);
      expect(d.named.map(([, v]) => v.shape)).toEqual([[2, 16], [16], [16, 16], [16], [16, 2], [2], [2, 1], [1]]);
      expect(d.trainable).toHaveLength(8);
      for (const [, v] of [...g.named, ...d.named]) expect(v.name.startsWith(`${scope}/`)).toBe(true);
    });

    it('two networks built in one process do not collide (scopes keep variable names apart)', () => {
      const a = track(makeGenerator(2, TUTORIAL_HIDDEN, 2, new Rng('s'), newScope()));
      const b = track(makeGenerator(2, TUTORIAL_HIDDEN, 2, new Rng('s'), newScope()));
      expect(a.named.map(([k]) => k)).toEqual(b.named.map(([k]) => k));
      expect(a.trainable[0]!.name).not.toBe(b.trainable[0]!.name);
    });

    it('kernels are Glorot-uniform within ±sqrt(6/(fanIn+fanOut)) and fill that range; biases are zero', () => {
      const d = track(new Discriminator(2, TUTORIAL_HIDDEN, 2, new Rng('glorot'), newScope()));
      for (const [key, v] of d.named) {
        const data = values(v);
        if (key.endsWith('.bias')) {
          expect(data.every((x) => x === 0)).toBe(true);
          continue;
        }
        const [fanIn, fanOut] = v.shape as [number, number];
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        expect(Math.max(...data.map(Math.abs))).toBeLessThanOrEqual(limit);
        if (data.length >= 16) {
          // A uniform draw of 16+ values reaches well into the range on both sides.
          expect(Math.max(...data)).toBeGreaterThan(limit / 3);
          expect(Math.min(...data)).toBeLessThan(-limit / 3);
        }
        expect(new Set(data).size).toBe(data.length);
      }
    });

    it('the mean square of a large Glorot kernel is limit^2/3 (uniform, not normal or scaled)', () => {
      const m = track(new Mlp('W', 200, [spec(200)], new Rng('wide'), newScope()));
      const data = values(m.trainable[0]!);
      const limit = Math.sqrt(6 / 400);
      const meanSquare = data.reduce((s, x) => s + x * x, 0) / data.length;
      expect(meanSquare).toBeCloseTo((limit * limit) / 3, 4);
    });

    it('the same seed gives identical initial weights; a different seed gives different ones', () => {
      const build = (seed: string) => {
        const rng = new Rng(seed);
        const scope = newScope();
        const g = track(makeGenerator(2, TUTORIAL_HIDDEN, 2, rng, scope));
        const d = track(new Discriminator(2, TUTORIAL_HIDDEN, 2, rng, scope));
        return [...g.named, ...d.named].map(([k, v]) => [k, values(v)] as const);
      };
      const a = build('7:init');
      const b = build('7:init');
      const c = build('8:init');
      expect(b).toEqual(a);
      expect(c.map(([k]) => k)).toEqual(a.map(([k]) => k));
      expect(c[0]![1]).not.toEqual(a[0]![1]);
    });
  });

  describe('batch norm', () => {
    const bnSpec = spec(3, { activation: 'linear', batchNorm: true });

    it('adds trainable gamma/beta and non-trainable moving statistics', () => {
      const m = track(new Mlp('B', 2, [bnSpec], new Rng('bn'), newScope()));
      expect(m.named.map(([k]) => k)).toEqual(['B.0.kernel', 'B.0.bias', 'B.0.gamma', 'B.0.beta', 'B.0.movingMean', 'B.0.movingVar']);
      expect(m.trainable.map((v) => v.name.split('/')[1])).toEqual(['B.0.kernel', 'B.0.bias', 'B.0.gamma', 'B.0.beta']);
      const byKey = Object.fromEntries(m.named);
      expect(byKey['B.0.gamma']!.trainable).toBe(true);
      expect(byKey['B.0.beta']!.trainable).toBe(true);
      expect(byKey['B.0.movingMean']!.trainable).toBe(false);
      expect(byKey['B.0.movingVar']!.trainable).toBe(false);
      expect(values(byKey['B.0.gamma']!)).toEqual([1, 1, 1]);
      expect(values(byKey['B.0.beta']!)).toEqual([0, 0, 0]);
      expect(values(byKey['B.0.movingMean']!)).toEqual([0, 0, 0]);
      expect(values(byKey['B.0.movingVar']!)).toEqual([1, 1, 1]);
      expect(m.parameterCount).toBe(2 * 3 + 3 + 3 + 3);
    });

    it('inference mode normalises with the moving statistics: gamma (h - mean)/sqrt(var + 1e-3) + beta', () => {
      const m = track(new Mlp('B', 2, [bnSpec], new Rng('bn'), newScope()));
      setWeights(m, 'B.0.kernel', [[1, 0, 2], [0, 1, -1]]);
      setWeights(m, 'B.0.bias', [0.5, 0, 0]);
      setWeights(m, 'B.0.movingMean', [1, -2, 0.25]);
      setWeights(m, 'B.0.movingVar', [4, 0.5, 9]);
      setWeights(m, 'B.0.gamma', [2, 1, -1]);
      setWeights(m, 'B.0.beta', [0, 3, 0.5]);
      const x = [[1, 2], [-3, 0.5]];
      const out = tf.tidy(() => m.forward(tf.tensor2d(x), { training: false }));
      const expected = x.flatMap(([a, b]) => {
        const h = [a! + 0.5, b!, 2 * a! - b!];
        return [2 * (h[0]! - 1) / Math.sqrt(4 + 1e-3), (h[1]! + 2) / Math.sqrt(0.5 + 1e-3) + 3, -(h[2]! - 0.25) / Math.sqrt(9 + 1e-3) + 0.5];
      });
      values(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      out.dispose();
    });

    it('training mode uses the batch statistics; commit moves the running averages by 1%, discard leaves them', () => {
      const m = track(new Mlp('B', 2, [bnSpec], new Rng('bn'), newScope()));
      setWeights(m, 'B.0.kernel', [[1, 0, 0], [0, 1, 0]]);
      const x = tf.tensor2d([[1, 10], [3, 10], [5, 16]]); // column means 3, 12; population variances 8/3, 8
      const out = m.forward(x, { training: true });
      const o = values(out);
      // Column 0: (x - 3)/sqrt(8/3 + 1e-3); column 2 is constant 0 -> 0.
      expect(o[0]!).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-3), 5);
      expect(o[3]!).toBeCloseTo(0, 6);
      expect(o[6]!).toBeCloseTo(2 / Math.sqrt(8 / 3 + 1e-3), 5);
      expect(o[7]!).toBeCloseTo(4 / Math.sqrt(8 + 1e-3), 5);
      const byKey = Object.fromEntries(m.named);
      m.discardBatchStats();
      expect(values(byKey['B.0.movingMean']!)).toEqual([0, 0, 0]);
      m.forward(x, { training: true }).dispose();
      m.commitBatchStats();
      const mean = values(byKey['B.0.movingMean']!);
      const variance = values(byKey['B.0.movingVar']!);
      [0.03, 0.12, 0].forEach((e, i) => expect(mean[i]!).toBeCloseTo(e, 6));
      [0.99 + 0.01 * (8 / 3), 0.99 + 0.01 * 8, 0.99].forEach((e, i) => expect(variance[i]!).toBeCloseTo(e, 6));
      tf.dispose([x, out]);
    });
  });

  describe('dropout', () => {
    const dropSpec = spec(400, { activation: 'linear', dropout: 0.5 });
    const input = () => tf.ones([2, 1]);

    function net() {
      const m = track(new Mlp('Drop', 1, [dropSpec], new Rng('drop'), newScope()));
      setWeights(m, 'Drop.0.kernel', [new Array(400).fill(1)]);
      return m;
    }

    it('is off in inference mode: every unit passes unscaled, call after call', () => {
      const m = net();
      const x = input();
      const a = m.forward(x, { training: false });
      const b = m.forward(x, { training: false });
      expect(values(a).every((v) => v === 1)).toBe(true);
      expect(values(b)).toEqual(values(a));
      tf.dispose([x, a, b]);
    });

    it('in training mode drops units and scales survivors by 1/(1 - rate)', () => {
      const m = net();
      const x = input();
      const out = m.forward(x, { training: true, dropoutSeed: () => 1234 });
      const o = values(out);
      expect(new Set(o)).toEqual(new Set([0, 2]));
      const kept = o.filter((v) => v === 2).length / o.length;
      expect(kept).toBeGreaterThan(0.4);
      expect(kept).toBeLessThan(0.6);
      tf.dispose([x, out]);
    });

    it('the mask is a function of the seed drawn: same seed same mask, other seed other mask', () => {
      const m = net();
      const x = input();
      const a = m.forward(x, { training: true, dropoutSeed: () => 42 });
      const b = m.forward(x, { training: true, dropoutSeed: () => 42 });
      const c = m.forward(x, { training: true, dropoutSeed: () => 43 });
      expect(values(b)).toEqual(values(a));
      expect(values(c)).not.toEqual(values(a));
      tf.dispose([x, a, b, c]);
    });

    it('draws its seed from the seeded source, once per dropout layer per pass', () => {
      const m = track(new Mlp('Drop2', 1, [spec(8, { dropout: 0.5 }), spec(8, { dropout: 0.5 }), spec(1, { activation: 'linear' })], new Rng('d2'), newScope()));
      let draws = 0;
      const x = input();
      m.forward(x, { training: true, dropoutSeed: () => ++draws }).dispose();
      expect(draws).toBe(2);
      x.dispose();
    });

    it('refuses to train with dropout without a seeded source (no unseeded randomness)', () => {
      const m = net();
      const x = input();
      expect(() => tf.tidy(() => m.forward(x, { training: true }))).toThrow(/dropout in training needs a seeded source/);
      x.dispose();
    });
  });

  describe('activations on hand-set weights', () => {
    const xs = [-2, -0.5, 0, 0.75, 3];
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const cases: Array<[LayerSpec['activation'], number, (z: number) => number]> = [
      ['leakyRelu', 0.2, (z) => (z > 0 ? z : 0.2 * z)],
      ['leakyRelu', 0.05, (z) => (z > 0 ? z : 0.05 * z)],
      ['tanh', 0, Math.tanh],
      ['relu', 0, (z) => Math.max(0, z)],
      ['elu', 0, (z) => (z > 0 ? z : Math.exp(z) - 1)],
      ['sigmoid', 0, sigmoid],
      ['linear', 0, (z) => z],
    ];

    it.each(cases)('%s (alpha %f) applied to W x + b', (activation, alpha, f) => {
      const m = track(new Mlp('A', 1, [spec(2, { activation, alpha })], new Rng('act'), newScope()));
      setWeights(m, 'A.0.kernel', [[1, -3]]);
      setWeights(m, 'A.0.bias', [0, 0.5]);
      const out = tf.tidy(() => m.forward(tf.tensor2d(xs, [xs.length, 1]), { training: false }));
      const expected = xs.flatMap((x) => [f(x), f(-3 * x + 0.5)]);
      values(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      out.dispose();
    });

    it('the last layer of G and the feature layer and logit of D are linear whatever the hidden activation', () => {
      const g = track(makeGenerator(1, [spec(1, { activation: 'sigmoid' })], 2, new Rng('lin'), newScope()));
      setWeights(g, 'G.0.kernel', [[1]]);
      setWeights(g, 'G.1.kernel', [[-5, 5]]);
      setWeights(g, 'G.1.bias', [-1, 2]);
      const out = tf.tidy(() => g.forward(tf.tensor2d([[0]]), { training: false }));
      const o = values(out);
      expect(o[0]!).toBeCloseTo(-5 * 0.5 - 1, 6); // negative: not squashed, not rectified
      expect(o[1]!).toBeCloseTo(5 * 0.5 + 2, 6);
      out.dispose();

      const d = track(new Discriminator(2, [spec(2, { activation: 'relu' })], 2, new Rng('lin'), newScope()));
      setWeights(d.body, 'D.0.kernel', [[1, 0], [0, 1]]);
      setWeights(d.body, 'D.1.kernel', [[-2, 0], [0, -3]]);
      setWeights(d.body, 'D.1.bias', [0, -1]);
      setWeights(d.head, 'D.logit.0.kernel', [[1], [1]]);
      setWeights(d.head, 'D.logit.0.bias', [-0.5]);
      const { logit, features } = tf.tidy(() => d.forward(tf.tensor2d([[1, 2]]), { training: false }));
      expect(values(features)).toEqual([-2, -7]);
      expect(values(logit)).toEqual([-9.5]);
      tf.dispose([logit, features]);
    });
  });
});
