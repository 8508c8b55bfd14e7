/**
 * The optimizers as TensorFlow 1 defines them (SPEC.md, engine/optimizers.ts), one step at a time
 * against updates computed by hand in double precision, on several multi-element variables.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../src/main/engine/backend.js';
import { newScope } from '../src/main/engine/model.js';
import { Optimizer } from '../src/main/engine/optimizers.js';
import { OptimizerSchema, type OptimizerConfig } from '../src/shared/config.js';

const f32 = (xs: number[]) => xs.map(Math.fround);

/** Initial values and two gradients for a [2,3] kernel `w` and a [3] bias `b`, float32-exact. */
const W0 = f32([0.5, -1.25, 0, 2, 0, -0.75]);
const B0 = f32([0, 1, -3]);
// Mixed magnitudes, including tiny ones where epsilon and the accumulator's start dominate.
const GW1 = f32([0.5, -0.25, 1e-6, 3, -2e-5, 0.125]);
const GB1 = f32([-1, 1e-7, 0.75]);
const GW2 = f32([-0.3, 0.6, 2e-6, -1, 0.2, 0]);
const GB2 = f32([0.5, -4, 1e-3]);

interface Setup {
  w: tf.Variable;
  b: tf.Variable;
  scope: string;
  dispose(): void;
}
function variables(w0 = W0, b0 = B0): Setup {
  const scope = newScope();
  const w = tf.variable(tf.tensor2d(w0, [2, 3]), true, `${scope}/w`);
  const b = tf.variable(tf.tensor1d(b0), true, `${scope}/b`);
  return { w, b, scope, dispose: () => tf.dispose([w, b]) };
}
function step(opt: Optimizer, gw: number[], gb: number[]): void {
  const grads = [tf.tensor2d(gw, [2, 3]), tf.tensor1d(gb)];
  opt.apply(grads);
  tf.dispose(grads);
}
const read = (v: tf.Tensor) => Array.from(v.dataSync());

/** |actual - expected| <= rel * |expected| (+ a float32 ulp of the starting value). */
function expectClose(actual: number[], expected: number[], start: number[], rel = 1e-6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const tol = rel * Math.abs(expected[i]!) + 2 ** -23 * Math.abs(start[i]!) + 1e-30;
    if (!(Math.abs(a - expected[i]!) <= tol)) {
      throw new Error(`element ${i}: got ${a}, expected ${expected[i]} (tolerance ${tol})`);
    }
  });
}

const config = (input: unknown) => OptimizerSchema.parse(input);

describe.each(['cpu', 'wasm'] as BackendName[])('optimizers on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  /** Runs `steps` updates with the given config and returns the final w, b (and disposes). */
  function runSteps(c: OptimizerConfig, grads: Array<[number[], number[]]>): { w: number[]; b: number[] } {
    const v = variables();
    const opt = new Optimizer('opt', c, [v.w, v.b]);
    for (const [gw, gb] of grads) step(opt, gw, gb);
    const out = { w: read(v.w), b: read(v.b) };
    opt.dispose();
    v.dispose();
    return out;
  }

  describe('sgd', () => {
    it('without momentum: w -= lr g', () => {
      const lr = 0.1;
      const out = runSteps(config({ kind: 'sgd', lr }), [[GW1, GB1]]);
      expectClose(out.w, W0.map((w, i) => w - lr * GW1[i]!), W0);
      expectClose(out.b, B0.map((b, i) => b - lr * GB1[i]!), B0);
    });

    it('with momentum (TF1 MomentumOptimizer), two steps: a = m a + g; w -= lr a', () => {
      const lr = 0.1;
      const m = 0.9;
      const out = runSteps(config({ kind: 'sgd', lr, momentum: m }), [[GW1, GB1], [GW2, GB2]]);
      const hand = (x0: number[], g1: number[], g2: number[]) =>
        x0.map((x, i) => {
          const a1 = g1[i]!;
          const x1 = x - lr * a1;
          const a2 = m * a1 + g2[i]!;
          return x1 - lr * a2;
        });
      expectClose(out.w, hand(W0, GW1, GW2), W0);
      expectClose(out.b, hand(B0, GB1, GB2), B0);
    });
  });

  describe('adam (TF1: bias correction folded into the rate, epsilon 1e-8 outside the root)', () => {
    const lr = 0.1;
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-8;
    const hand = (x0: number[], gs: number[][]) =>
      x0.map((x, i) => {
        let m = 0;
        let v = 0;
        gs.forEach((g, k) => {
          const t = k + 1;
          const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
          m = b1 * m + (1 - b1) * g[i]!;
          v = b2 * v + (1 - b2) * g[i]! ** 2;
          x = x - (lrT * m) / (Math.sqrt(v) + eps);
        });
        return x;
      });

    it('step 1: lr_t = lr sqrt(1-b2)/(1-b1); w -= lr_t m/(sqrt(v)+eps)', () => {
      const out = runSteps(config({ kind: 'adam', lr }), [[GW1, GB1]]);
      expectClose(out.w, hand(W0, [GW1]), W0);
      expectClose(out.b, hand(B0, [GB1]), B0);
    });

    it('step 2: lr_t uses t = 2 and the moments accumulate', () => {
      const out = runSteps(config({ kind: 'adam', lr }), [[GW1, GB1], [GW2, GB2]]);
      expectClose(out.w, hand(W0, [GW1, GW2]), W0);
      expectClose(out.b, hand(B0, [GB1, GB2]), B0);
    });

    it('epsilon 1e-8 is used, not tfjs\'s 1e-7: a 1e-7 gradient moves by lr_t * 0.1g/(0.0316|g| + 1e-8)', () => {
      // Tiny gradient: sqrt(v) = 3.16e-9, so epsilon dominates the denominator.
      const g = Math.fround(1e-7);
      const out = runSteps(config({ kind: 'adam', lr }), [[[g, 0, 0, 0, 0, 0], [0, 0, 0]]]);
      const lrT = (lr * Math.sqrt(1 - b2)) / (1 - b1);
      const expected = W0[0]! - (lrT * (1 - b1) * g) / (Math.sqrt(1 - b2) * g + 1e-8);
      const withTfjsEps = W0[0]! - (lrT * (1 - b1) * g) / (Math.sqrt(1 - b2) * g + 1e-7);
      expectClose([out.w[0]!], [expected], [W0[0]!]);
      expect(Math.abs(out.w[0]! - withTfjsEps)).toBeGreaterThan(1e-3);
    });
  });

  describe('rmsprop (TF1: accumulator starts at 1, epsilon 1e-10 inside the square root)', () => {
    const lr = 0.01;
    const hand = (x0: number[], gs: number[][], o: { decay?: number; momentum?: number; eps?: number; init?: number } = {}) => {
      const { decay = 0.9, momentum = 0, eps = 1e-10, init = 1 } = o;
      return x0.map((x, i) => {
        let ms = init;
        let mom = 0;
        for (const g of gs) {
          ms = decay * ms + (1 - decay) * g[i]! ** 2;
          mom = momentum * mom + (lr * g[i]!) / Math.sqrt(ms + eps);
          x = x - mom;
        }
        return x;
      });
    };

    it('one step: ms = 0.9*1 + 0.1 g^2; w -= lr g / sqrt(ms + 1e-10)', () => {
      const out = runSteps(config({ kind: 'rmsprop', lr }), [[GW1, GB1]]);
      expectClose(out.w, hand(W0, [GW1]), W0);
      expectClose(out.b, hand(B0, [GB1]), B0);
      // The accumulator starting at 1 makes the first step about lr*g (tfjs's start at 0 gives about lr*g/sqrt(0.1|g|^2)).
      expect(out.w[0]! - W0[0]!).toBeCloseTo(-lr * 0.5 / Math.sqrt(0.9 + 0.1 * 0.25), 6);
    });

    it('two steps accumulate the mean square', () => {
      const out = runSteps(config({ kind: 'rmsprop', lr }), [[GW1, GB1], [GW2, GB2]]);
      expectClose(out.w, hand(W0, [GW1, GW2]), W0);
      expectClose(out.b, hand(B0, [GB1, GB2]), B0);
    });

    it('with momentum 0.5: mom = 0.5 mom + lr g/sqrt(ms + eps); w -= mom (two steps)', () => {
      const out = runSteps(config({ kind: 'rmsprop', lr, momentum: 0.5 }), [[GW1, GB1], [GW2, GB2]]);
      expectClose(out.w, hand(W0, [GW1, GW2], { momentum: 0.5 }), W0);
      expectClose(out.b, hand(B0, [GB1, GB2], { momentum: 0.5 }), B0);
    });

    it('epsilon sits inside the root: with the accumulator at 0, a 1e-6 gradient gives g/sqrt(0.1 g^2 + 1e-10)', () => {
      const c = config({ kind: 'rmsprop', lr, initialAccumulator: 0, decay: 0.9 });
      const out = runSteps(c, [[GW1, GB1]]);
      expectClose(out.w, hand(W0, [GW1], { init: 0 }), W0);
      const g = GW1[2]!; // 1e-6: 0.1 g^2 = 1e-13, negligible beside 1e-10
      const insideRoot = -(lr * g) / Math.sqrt(0.1 * g * g + 1e-10);
      const outsideRoot = -(lr * g) / (Math.sqrt(0.1 * g * g) + 1e-10);
      expectClose([out.w[2]!], [insideRoot], [0]);
      expect(Math.abs(insideRoot - outsideRoot)).toBeGreaterThan(1e-4);
    });

    it('other decay values are honoured', () => {
      const out = runSteps(config({ kind: 'rmsprop', lr, decay: 0.5 }), [[GW1, GB1], [GW2, GB2]]);
      expectClose(out.w, hand(W0, [GW1, GW2], { decay: 0.5 }), W0);
    });
  });

  describe('slots and state', () => {
    const keysOf = (c: unknown) => {
      const v = variables();
      const opt = new Optimizer('optG', config(c), [v.w, v.b]);
      const keys = opt.named.map(([k]) => k);
      const values = opt.named.map(([, s]) => read(s));
      opt.dispose();
      v.dispose();
      return { keys, values };
    };

    it('slots have stable scope-free names: <variable>.<optimizer>.<slot>, per kind', () => {
      expect(keysOf({ kind: 'sgd' }).keys).toEqual([]);
      expect(keysOf({ kind: 'sgd', momentum: 0.9 }).keys).toEqual(['w.optG.momentum', 'b.optG.momentum']);
      expect(keysOf({ kind: 'adam' }).keys).toEqual(['w.optG.m', 'w.optG.v', 'b.optG.m', 'b.optG.v']);
      expect(keysOf({ kind: 'rmsprop' }).keys).toEqual(['w.optG.ms', 'b.optG.ms']);
      expect(keysOf({ kind: 'rmsprop', momentum: 0.5 }).keys).toEqual(['w.optG.ms', 'w.optG.mom', 'b.optG.ms', 'b.optG.mom']);
    });

    it('the same configuration in two scopes gives the same keys (what checkpoints match on)', () => {
      expect(keysOf({ kind: 'adam' }).keys).toEqual(keysOf({ kind: 'adam' }).keys);
    });

    it('slots start at TF1\'s values: rmsprop ms = initialAccumulator, everything else 0', () => {
      expect(keysOf({ kind: 'rmsprop' }).values).toEqual([[1, 1, 1, 1, 1, 1], [1, 1, 1]]);
      expect(keysOf({ kind: 'rmsprop', initialAccumulator: 0.25 }).values).toEqual([[0.25, 0.25, 0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25]]);
      expect(keysOf({ kind: 'adam' }).values.flat().every((x) => x === 0)).toBe(true);
    });

    it('counts its steps (Adam\'s t)', () => {
      const v = variables();
      const opt = new Optimizer('o', config({ kind: 'adam' }), [v.w, v.b]);
      expect(opt.step).toBe(0);
      step(opt, GW1, GB1);
      step(opt, GW2, GB2);
      expect(opt.step).toBe(2);
      opt.dispose();
      v.dispose();
    });

    it('apply leaves no tensors behind', () => {
      const v = variables();
      const opt = new Optimizer('o', config({ kind: 'rmsprop', momentum: 0.5 }), [v.w, v.b]);
      const before = tf.memory().numTensors;
      step(opt, GW1, GB1);
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
      v.dispose();
    });

    it.each([
      ['adam', { kind: 'adam', lr: 0.1 }],
      ['rmsprop with momentum', { kind: 'rmsprop', lr: 0.01, momentum: 0.5 }],
      ['sgd with momentum', { kind: 'sgd', lr: 0.1, momentum: 0.9 }],
    ])('%s: restoring weights, slots (by key) and step count reproduces the next update bit for bit', (_name, c) => {
      const cfg = config(c);
      const a = variables();
      const optA = new Optimizer('opt', cfg, [a.w, a.b]);
      step(optA, GW1, GB1);
      step(optA, GW2, GB2);
      // What a checkpoint saves.
      const saved = new Map([
        ['w', read(a.w)],
        ['b', read(a.b)],
        ...optA.named.map(([k, s]) => [k, read(s)] as [string, number[]]),
      ]);
      const savedStep = optA.step;

      const b = variables(f32([9, 9, 9, 9, 9, 9]), f32([9, 9, 9]));
      const optB = new Optimizer('opt', cfg, [b.w, b.b]);
      for (const [k, v] of [['w', b.w], ['b', b.b], ...optB.named] as Array<[string, tf.Variable]>) {
        tf.tidy(() => v.assign(tf.tensor(saved.get(k)!, v.shape)));
      }
      optB.step = savedStep;

      step(optA, GB1.concat(GB2), GW1.slice(0, 3));
      step(optB, GB1.concat(GB2), GW1.slice(0, 3));
      expect(new Float32Array(read(b.w))).toEqual(new Float32Array(read(a.w)));
      expect(new Float32Array(read(b.b))).toEqual(new Float32Array(read(a.b)));
      expect(optB.named.map(([, s]) => read(s))).toEqual(optA.named.map(([, s]) => read(s)));

      if (cfg.kind === 'adam') {
        // The step count is part of the state: without it the bias correction differs.
        const c2 = variables();
        const optC = new Optimizer('opt', cfg, [c2.w, c2.b]);
        for (const [k, v] of [['w', c2.w], ['b', c2.b], ...optC.named] as Array<[string, tf.Variable]>) {
          tf.tidy(() => v.assign(tf.tensor(saved.get(k)!, v.shape)));
        }
        step(optC, GB1.concat(GB2), GW1.slice(0, 3));
        expect(read(c2.w)).not.toEqual(read(a.w));
        optC.dispose();
        c2.dispose();
      }
      optA.dispose();
      optB.dispose();
      a.dispose();
      b.dispose();
    });

    it('updates only the variables it was given', () => {
      const v = variables();
      const other = tf.variable(tf.tensor1d([1, 2, 3]), true, `${newScope()}/other`);
      const opt = new Optimizer('o', config({ kind: 'sgd', lr: 1 }), [v.w]);
      const grads = [tf.ones([2, 3])];
      opt.apply(grads);
      tf.dispose(grads);
      expect(read(other)).toEqual([1, 2, 3]);
      expect(read(v.b)).toEqual(B0);
      expect(read(v.w)).toEqual(W0.map((x) => x - 1));
      opt.dispose();
      v.dispose();
      other.dispose();
    });
  });
});
