/**
 * What a run records (engine/recorder.ts, records.ts, trainer.ts): every snapshot array with its
 * shape and meaning, the metrics, the tutorial's observations (real features do not move across a
 * G step), the recording schedule, and what happens when a run diverges.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/main/engine/backend.js';
import { runLoop } from '../src/main/engine/loop.js';
import { centroid } from '../src/main/engine/recorder.js';
import { PHASES, type NamedArray, type SnapshotRecord } from '../src/main/engine/records.js';
import { Trainer, type IterationResult } from '../src/main/engine/trainer.js';
import type { RunConfig } from '../src/shared/config.js';
import { resolveRunConfig } from '../src/shared/validate.js';

const N = 64; // recording.samples
const HR = 8; // heatmapResolution
const MR = 4; // manifoldResolution

const TINY = [
  'schedule.batchSize=32',
  'schedule.iterations=7',
  'recording.snapshotEvery=5',
  'recording.lossEvery=2',
  `recording.samples=${N}`,
  `recording.heatmapResolution=${HR}`,
  `recording.manifoldResolution=${MR}`,
];
const tiny = (sets: string[] = [], preset = 'article'): RunConfig => resolveRunConfig({ preset, sets: [...TINY, ...sets] });

/** D with dropout and batch norm, so that recording in training mode would show. */
const NOISY_D = [
  'discriminator.hidden=[{"units":16,"dropout":0.5,"batchNorm":true},{"units":16,"batchNorm":true,"dropout":0.3}]',
  'generator.hidden.0.batchNorm=true',
  'generator.hidden.0.dropout=0.2',
];

function runAll(config: RunConfig, iterations = config.schedule.iterations): IterationResult[] {
  const t = new Trainer(config);
  try {
    return Array.from({ length: iterations }, () => t.runIteration());
  } finally {
    t.dispose();
  }
}

function arr(s: SnapshotRecord, name: string): NamedArray {
  const a = s.arrays.find((x) => x.name === name);
  if (!a) throw new Error(`snapshot has no array ${name}`);
  return a;
}
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const all = (a: Float32Array, p: (x: number) => boolean) => a.every(p);

const EXPECTED_NAMES = [
  'real',
  'fake',
  ...['real', 'fake'].flatMap((set) => PHASES.flatMap((p) => [`features.${set}.${p}`, `dOut.${set}.${p}`])),
  'centroids',
  'heatmap',
  'heatmapBounds',
  'manifold',
  'arrows',
].sort();

describe('recording', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  describe('a snapshot\'s arrays', () => {
    let trainer: Trainer;
    let snap: SnapshotRecord;
    beforeAll(() => {
      trainer = new Trainer(tiny(['discriminator.featureWidth=3']));
      snap = trainer.runIteration().snapshot!;
      return () => trainer.dispose();
    });

    it('holds exactly the arrays records.ts names, each with data matching its shape', () => {
      expect(snap.iteration).toBe(0);
      expect(snap.arrays.map((a) => a.name).sort()).toEqual(EXPECTED_NAMES);
      for (const a of snap.arrays) {
        expect(a.data).toBeInstanceOf(Float32Array);
        expect(a.data.length).toBe(a.shape.reduce((p, d) => p * d, 1));
      }
    });

    it('shapes: real/fake/arrows [n,2], features [n,w], dOut [n], centroids [3,2,w], heatmap [r,r], bounds [4], manifold [m,m,2]', () => {
      const w = 3;
      expect(arr(snap, 'real').shape).toEqual([N, 2]);
      expect(arr(snap, 'fake').shape).toEqual([N, 2]);
      expect(arr(snap, 'arrows').shape).toEqual([N, 2]);
      for (const set of ['real', 'fake']) {
        for (const p of PHASES) {
          expect(arr(snap, `features.${set}.${p}`).shape).toEqual([N, w]);
          expect(arr(snap, `dOut.${set}.${p}`).shape).toEqual([N]);
        }
      }
      expect(arr(snap, 'centroids').shape).toEqual([3, 2, w]);
      expect(arr(snap, 'heatmap').shape).toEqual([HR, HR]);
      expect(arr(snap, 'heatmapBounds').shape).toEqual([4]);
      expect(arr(snap, 'manifold').shape).toEqual([MR, MR, 2]);
    });

    it('every value is finite; D\'s outputs and the heatmap are probabilities', () => {
      for (const a of snap.arrays) expect(all(a.data, Number.isFinite)).toBe(true);
      // On the tutorial's unnormalised data D's logits are large, so float32 sigmoid may reach 0 or 1.
      for (const name of EXPECTED_NAMES.filter((n) => n.startsWith('dOut.')).concat('heatmap')) {
        expect(all(arr(snap, name).data, (x) => x >= 0 && x <= 1)).toBe(true);
      }
    });

    it('centroids[phase][set] are the column means of features.<set>.<phase> (phases before-d, after-d, after-g; sets real, fake)', () => {
      const c = arr(snap, 'centroids').data;
      PHASES.forEach((p, pi) => {
        ['real', 'fake'].forEach((set, si) => {
          const f = arr(snap, `features.${set}.${p}`).data;
          for (let j = 0; j < 3; j++) {
            let s = 0;
            for (let i = 0; i < N; i++) s += f[i * 3 + j]!;
            const expected = s / N;
            expect(Math.abs(c[(pi * 2 + si) * 3 + j]! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
          }
        });
      });
    });

    it('heatmapBounds (xMin, xMax, yMin, yMax) contain the data box with a 10% margin, and every real sample', () => {
      const [x0, x1, y0, y1] = Array.from(arr(snap, 'heatmapBounds').data) as [number, number, number, number];
      const b = trainer.dataset.bounds;
      expect(x0).toBeLessThan(b.xMin);
      expect(x1).toBeGreaterThan(b.xMax);
      expect(y0).toBeLessThan(b.yMin);
      expect(y1).toBeGreaterThan(b.yMax);
      expect(x1 - x0).toBeCloseTo(1.2 * (b.xMax - b.xMin), 3);
      const real = arr(snap, 'real').data;
      for (let i = 0; i < N; i++) {
        expect(real[2 * i]!).toBeGreaterThanOrEqual(x0);
        expect(real[2 * i]!).toBeLessThanOrEqual(x1);
        expect(real[2 * i + 1]!).toBeGreaterThanOrEqual(y0);
        expect(real[2 * i + 1]!).toBeLessThanOrEqual(y1);
      }
    });

    it('the real batch is drawn from the data set (on the tutorial\'s curve y = 10 + x^2, x in [-50, 50))', () => {
      const real = arr(snap, 'real').data;
      for (let i = 0; i < N; i++) {
        const x = real[2 * i]!;
        expect(x).toBeGreaterThanOrEqual(-50);
        expect(x).toBeLessThan(50);
        expect(real[2 * i + 1]!).toBeCloseTo(Math.fround(10 + x * x), 2);
      }
    });

    it('the manifold is G\'s image of the noise grid [-1, 1]^2, rows sweeping the first noise dimension', () => {
      const m = arr(snap, 'manifold').data;
      const grid: number[][] = [];
      for (let i = 0; i < MR; i++) for (let j = 0; j < MR; j++) grid.push([-1 + (2 * i) / (MR - 1), -1 + (2 * j) / (MR - 1)]);
      const g = tf.tidy(() => Array.from(trainer.generator.forward(tf.tensor2d(grid), { training: false }).dataSync()));
      g.forEach((v, k) => expect(m[k]!).toBeCloseTo(v, 5));
    });

    it('arrows are d sigmoid(D(x))/dx at each generated sample (inference mode)', () => {
      const fake = arr(snap, 'fake').data;
      const expected = tf.tidy(() => {
        const f = (x: tf.Tensor) => tf.sum(tf.sigmoid(trainer.discriminator.forward(x, { training: false }).logit));
        return Array.from(tf.grad(f)(tf.tensor2d(fake, [N, 2])).dataSync());
      });
      const arrows = arr(snap, 'arrows').data;
      expected.forEach((v, k) => expect(Math.abs(arrows[k]! - v)).toBeLessThanOrEqual(1e-6 * Math.max(1e-3, Math.abs(v))));
    });

    it('dOut after G\'s step is sigmoid of D\'s logit on the recorded samples (features recorded with the final weights)', () => {
      const real = arr(snap, 'real').data;
      const { probs, features } = tf.tidy(() => {
        const out = trainer.discriminator.forward(tf.tensor2d(real, [N, 2]), { training: false });
        return { probs: Array.from(tf.sigmoid(out.logit).dataSync()), features: Array.from(out.features.dataSync()) };
      });
      expect(Array.from(arr(snap, 'dOut.real.after-g').data)).toEqual(probs);
      expect(Array.from(arr(snap, 'features.real.after-g').data)).toEqual(features);
    });

    it('metrics for a curve set: exactly onCurveFraction, xCoverage, slicedWasserstein, mmd2, all finite', () => {
      expect(Object.keys(snap.metrics).sort()).toEqual(['claim.centroidGapAfterG', 'claim.centroidGapBeforeG', 'claim.dOutFake', 'claim.dOutReal', 'claim.featureSpread', 'claim.realShiftAcrossG', 'mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
      for (const v of Object.values(snap.metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(snap.metrics.onCurveFraction).toBeGreaterThanOrEqual(0);
      expect(snap.metrics.onCurveFraction).toBeLessThanOrEqual(1);
    });
  });

  it('metrics for a mixture set (ring) add highQualityFraction, modesCaptured and reverseKL; D\'s outputs are strictly in (0, 1)', () => {
    const snap = runAll(tiny(['dataset={"kind":"ring"}']), 1)[0]!.snapshot!;
    expect(Object.keys(snap.metrics).sort()).toEqual(['claim.centroidGapAfterG', 'claim.centroidGapBeforeG', 'claim.dOutFake', 'claim.dOutReal', 'claim.featureSpread', 'claim.modeCount', 'claim.realShiftAcrossG', 'highQualityFraction', 'mmd2', 'modesCaptured', 'reverseKL', 'slicedWasserstein']);
    for (const v of Object.values(snap.metrics)) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isInteger(snap.metrics.modesCaptured)).toBe(true);
    expect(snap.metrics.modesCaptured).toBeLessThanOrEqual(8);
    for (const a of snap.arrays.filter((x) => x.name.startsWith('dOut.') || x.name === 'heatmap')) {
      expect(all(a.data, (x) => x > 0 && x < 1)).toBe(true);
    }
  });

  it('metrics for two curves add the balance', () => {
    const snap = runAll(tiny(['dataset={"kind":"two-curves"}']), 1)[0]!.snapshot!;
    expect(Object.keys(snap.metrics).sort()).toEqual(['balance', 'claim.centroidGapAfterG', 'claim.centroidGapBeforeG', 'claim.dOutFake', 'claim.dOutReal', 'claim.featureSpread', 'claim.realShiftAcrossG', 'mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
  });

  describe('what moves between phases (D with dropout and batch norm: recorded in inference mode)', () => {
    let snaps: SnapshotRecord[];
    beforeAll(() => {
      snaps = runAll(tiny([...NOISY_D, 'recording.snapshotEvery=2', 'schedule.iterations=5']))
        .map((r) => r.snapshot)
        .filter((s): s is SnapshotRecord => s !== undefined);
    });

    it('snapshots at 0, 2 and the last iteration 4', () => {
      expect(snaps.map((s) => s.iteration)).toEqual([0, 2, 4]);
    });

    it('real features and D\'s outputs on real samples are identical after D\'s step and after G\'s step (D is unchanged by it)', () => {
      for (const s of snaps) {
        expect(bits(arr(s, 'features.real.after-g').data)).toEqual(bits(arr(s, 'features.real.after-d').data));
        expect(bits(arr(s, 'dOut.real.after-g').data)).toEqual(bits(arr(s, 'dOut.real.after-d').data));
        const c = arr(s, 'centroids').data;
        const w = 2;
        expect(Array.from(c.subarray(4 * w, 5 * w))).toEqual(Array.from(c.subarray(2 * w, 3 * w))); // real after-g == real after-d
      }
    });

    it('generated features move across G\'s step', () => {
      for (const s of snaps) {
        expect(bits(arr(s, 'features.fake.after-g').data)).not.toEqual(bits(arr(s, 'features.fake.after-d').data));
      }
    });

    it('real features move across D\'s step', () => {
      for (const s of snaps) {
        expect(bits(arr(s, 'features.real.after-d').data)).not.toEqual(bits(arr(s, 'features.real.before-d').data));
      }
    });
  });

  it('before-d of one iteration equals after-g of the previous one: nothing changes D or G between iterations', () => {
    const snaps = runAll(tiny([...NOISY_D, 'recording.snapshotEvery=1', 'schedule.iterations=3'])).map((r) => r.snapshot!);
    for (let k = 1; k < snaps.length; k++) {
      for (const set of ['real', 'fake']) {
        expect(bits(arr(snaps[k]!, `features.${set}.before-d`).data)).toEqual(bits(arr(snaps[k - 1]!, `features.${set}.after-g`).data));
        expect(bits(arr(snaps[k]!, `dOut.${set}.before-d`).data)).toEqual(bits(arr(snaps[k - 1]!, `dOut.${set}.after-g`).data));
      }
    }
  });

  it('the fixed real batch (x_plot) is the same in every snapshot and depends only on the seed', () => {
    const a = runAll(tiny()).filter((r) => r.snapshot).map((r) => arr(r.snapshot!, 'real').data);
    expect(a).toHaveLength(3);
    expect(bits(a[1]!)).toEqual(bits(a[0]!));
    expect(bits(a[2]!)).toEqual(bits(a[0]!));
    const sameSeed = runAll(tiny(['loss.kind=hinge']), 1)[0]!.snapshot!;
    expect(bits(arr(sameSeed, 'real').data)).toEqual(bits(a[0]!));
    const otherSeed = runAll(tiny(['seed=2']), 1)[0]!.snapshot!;
    expect(bits(arr(otherSeed, 'real').data)).not.toEqual(bits(a[0]!));
  });

  it('the schedule: snapshots at multiples of snapshotEvery and the last iteration, losses at multiples of lossEvery, a checkpoint at the end', () => {
    const results = runAll(tiny());
    expect(results.map((r) => r.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.filter((r) => r.snapshot).map((r) => r.snapshot!.iteration)).toEqual([0, 5, 6]);
    expect(results.filter((r) => r.losses).map((r) => r.losses!.iteration)).toEqual([0, 2, 4, 6]);
    for (const r of results.filter((x) => x.losses)) expect(r.losses).toEqual({ iteration: r.iteration, dLoss: r.dLoss, gLoss: r.gLoss });
    expect(results.filter((r) => r.checkpoint).map((r) => r.checkpoint!.iteration)).toEqual([7]);
  });

  it('training and recording leak no tensors from one iteration to the next', () => {
    const t = new Trainer(tiny([...NOISY_D, 'recording.snapshotEvery=2', 'schedule.iterations=10', 'recording.checkpointEvery=3']));
    t.runIteration();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) t.runIteration();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('the fused engine, syncing weights at snapshots and checkpoints, leaks no tensors either', () => {
    const t = new Trainer(tiny(['recording.snapshotEvery=2', 'schedule.iterations=10', 'recording.checkpointEvery=3']), { engine: 'fused' });
    expect(t.engine).toBe('fused');
    t.runIteration();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) t.runIteration();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  describe('divergence', () => {
    it('a run that blows up (SGD at lr 1e6, least squares) reports `diverged` naming the loss and iteration, and records nothing', () => {
      const config = tiny([
        'loss.kind=leastSquares',
        'optimizer.generator={"kind":"sgd","lr":1e6}',
        'optimizer.discriminator={"kind":"sgd","lr":1e6}',
        'recording.snapshotEvery=1',
        'recording.lossEvery=1',
        'recording.checkpointEvery=1',
      ]);
      const t = new Trainer(config);
      let r: IterationResult | undefined;
      for (let i = 0; i < 20 && !r?.diverged; i++) r = t.runIteration();
      const it = r!.iteration;
      expect(r!.diverged).toMatch(new RegExp(`^diverged at iteration ${it}: (generator|discriminator) loss (is (NaN|-?Infinity)|\\S+ is past the bound 1e12)$`));
      expect(r!.snapshot).toBeUndefined();
      expect(r!.losses).toBeUndefined();
      expect(r!.checkpoint).toBeUndefined();
      expect(t.iteration).toBe(it); // the diverged iteration does not count as completed
      t.dispose();
    });

    it('a NaN in D at iteration 3 ends the run there: diverged message, no snapshot, losses or checkpoint for it', () => {
      const config = tiny(['recording.snapshotEvery=1', 'recording.lossEvery=1', 'recording.checkpointEvery=1', 'schedule.iterations=10']);
      // The tfjs engine: its variables are the weights, so writing NaN into them reaches training.
      const t = new Trainer(config, { engine: 'tfjs' });
      for (let i = 0; i < 3; i++) {
        const ok = t.runIteration();
        expect(ok.diverged).toBeUndefined();
        expect(ok.snapshot && ok.losses && ok.checkpoint).toBeTruthy();
      }
      for (const [key, v] of t.discriminator.named) {
        if (key.endsWith('kernel')) tf.tidy(() => v.assign(tf.fill(v.shape, NaN)));
      }
      const r = t.runIteration();
      expect(r.iteration).toBe(3);
      expect(r.diverged).toBe('diverged at iteration 3: discriminator loss is NaN');
      expect(Number.isNaN(r.dLoss)).toBe(true);
      expect(r.snapshot).toBeUndefined();
      expect(r.losses).toBeUndefined();
      expect(r.checkpoint).toBeUndefined();
      expect(t.iteration).toBe(3);
      t.dispose();
    });

    it('the loop stops at a diverged iteration and reports it', async () => {
      const t = new Trainer(tiny(['recording.lossEvery=1', 'schedule.iterations=10']), { engine: 'tfjs' });
      const seen: IterationResult[] = [];
      const outcome = await runLoop(t, {
        onResult: (r) => {
          seen.push(r);
          if (r.iteration === 1) {
            for (const [key, v] of t.generator.named) if (key.endsWith('bias')) tf.tidy(() => v.assign(tf.fill(v.shape, Infinity)));
          }
        },
      });
      expect(outcome.end).toBe('diverged');
      expect(outcome.iterationsRun).toBe(2);
      expect(outcome.diverged).toMatch(/^diverged at iteration 2: (generator|discriminator) loss is (NaN|-?Infinity)$/);
      expect(seen.map((r) => r.iteration)).toEqual([0, 1, 2]);
      expect(seen[2]!.losses).toBeUndefined();
      t.dispose();
    });
  });

  it('centroid() is the column mean of an [n, w] array', () => {
    expect(Array.from(centroid(Float32Array.of(1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9), 3))).toEqual([4, 5, 6]);
    expect(Array.from(centroid(Float32Array.of(1, -1, 2, -2), 2))).toEqual([1.5, -1.5]);
  });
});
