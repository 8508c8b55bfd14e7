/**
 * The divergence rule (engine/divergence.ts): non-finite values, or losses, weights or generated
 * samples past the stated bounds, end a run `diverged` at that iteration with the reason stored;
 * what came before is kept, the diverged iteration is not. Issue 10 item 4: both learning rates at
 * 50 used to reach G loss ~8e16 and end `finished`.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/main/engine/backend.js';
import { dataReach, DIVERGENCE_BOUNDS, lossBound, lossDivergence, sampleDivergence, weightDivergence } from '../src/main/engine/divergence.js';
import { runLoop } from '../src/main/engine/loop.js';
import { Trainer, type IterationResult } from '../src/main/engine/trainer.js';
import { resolveRunConfig } from '../src/shared/validate.js';
import { openStore } from '../src/main/store/index.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { cli } from './helpers/cli.js';
import { tempDir as tmpDir } from './helpers/tmp.js';

const LR50 = ['optimizer.generator.lr=50', 'optimizer.discriminator.lr=50'];
const exploding = (sets: string[] = []) =>
  resolveRunConfig({
    preset: 'article',
    sets: [...LR50, 'schedule.iterations=3000', 'recording.snapshotEvery=20', 'recording.samples=64', 'recording.heatmapResolution=4', 'recording.manifoldResolution=4', ...sets],
  });

beforeAll(async () => {
  await initBackend('cpu');
});

describe('the bounds', () => {
  it('losses: non-finite or past 1e6 (cross-entropy), 1e12 (least squares) or 1e9 (hinge, WGAN-GP), named with the network', () => {
    expect(lossDivergence('nonSaturating', 1.38, 0.69)).toBeUndefined();
    expect(lossDivergence('nonSaturating', 140, 2)).toBeUndefined();
    expect(lossDivergence('nonSaturating', 1, 8.1e16)).toBe('generator loss 8.1e16 is past the bound 1e6');
    expect(lossDivergence('minimax', -2e6, 1)).toBe('discriminator loss -2e6 is past the bound 1e6');
    expect(lossDivergence('leastSquares', 2e4, 1)).toBeUndefined(); // quadratic in the logits: its own bound
    expect(lossDivergence('leastSquares', 2e12, 1)).toMatch(/past the bound 1e12/);
    expect(lossDivergence('minimax', NaN, 1)).toBe('discriminator loss is NaN');
    expect(lossDivergence('minimax', 1, -Infinity)).toBe('generator loss is -Infinity');
    // Critic values are unbounded by nature: a loss of 1e7 is not an explosion for them.
    expect(lossBound('hinge')).toBe(DIVERGENCE_BOUNDS.unboundedLoss);
    expect(lossDivergence('hinge', 3, -1e7)).toBeUndefined();
    expect(lossDivergence('wganGp', -1e7, 1e7)).toBeUndefined();
    expect(lossDivergence('wganGp', -2e9, 1)).toMatch(/past the bound 1e9/);
  });
  it('weights: any non-finite value or |w| past 1e6, named', () => {
    expect(weightDivergence([['G.0.kernel', Float32Array.of(0.5, -900)]])).toBeUndefined();
    expect(weightDivergence([['G.0.kernel', Float32Array.of(0.5)], ['D.1.bias', Float32Array.of(0, -3e6)]])).toBe('weight D.1.bias is -3e6, past the bound 1e6');
    expect(weightDivergence([['D.0.kernel', Float32Array.of(NaN)]])).toBe('weight D.0.kernel is NaN');
  });
  it("samples: farther than 1e3 times the real data's spread from its centre, or non-finite", () => {
    const real = dataReach(Float32Array.of(-1, 0, 1, 0, 0, -1, 0, 1)); // centre (0,0), spread 1
    expect(real).toEqual({ centre: [0, 0], spread: 1 });
    expect(sampleDivergence(Float32Array.of(0, 0, 999, 0), real)).toBeUndefined();
    expect(sampleDivergence(Float32Array.of(0, 0, -1.6e6, 8e7), real)).toMatch(/^a generated sample at \(-1\.6e6, 8e7\) is 8e7 times the real data's spread from its centre, past the bound 1e3$/);
    expect(sampleDivergence(Float32Array.of(NaN, 0), real)).toBe('a generated sample is (NaN, 0)');
  });
});

describe('a run past the bounds', () => {
  it('lr 50 for both networks ends diverged at its first iteration, naming the loss and the bound, with nothing recorded for it', async () => {
    const t = new Trainer(exploding());
    const seen: IterationResult[] = [];
    const outcome = await runLoop(t, { onResult: (r) => seen.push(r) });
    expect(outcome.end).toBe('diverged');
    expect(outcome.diverged).toMatch(/^diverged at iteration 0: generator loss \S+e\d+ is past the bound 1e6$/);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.snapshot ?? seen[0]!.losses ?? seen[0]!.checkpoint).toBeUndefined();
    expect(t.iteration).toBe(0);
    t.dispose();
  });

  it('lr 1 diverges a little later: the snapshots, losses and checkpoints before the diverged step are kept, that step is not', async () => {
    const t = new Trainer(exploding(['optimizer.generator.lr=1', 'optimizer.discriminator.lr=1', 'recording.snapshotEvery=1', 'recording.lossEvery=1', 'recording.checkpointEvery=1']));
    const seen: IterationResult[] = [];
    const outcome = await runLoop(t, { onResult: (r) => seen.push(r) });
    expect(outcome.end).toBe('diverged');
    const at = seen[seen.length - 1]!;
    expect(at.iteration).toBeGreaterThan(0);
    expect(outcome.diverged).toMatch(new RegExp(`^diverged at iteration ${at.iteration}: `));
    expect(at.snapshot ?? at.losses ?? at.checkpoint).toBeUndefined();
    const before = seen.slice(0, -1);
    expect(before.every((r) => !r.diverged && r.snapshot && r.losses && r.checkpoint)).toBe(true);
    expect(t.iteration).toBe(at.iteration);
    t.dispose();
  });

  it('generated samples past the bound at a snapshot end the run there even while the losses are within theirs', async () => {
    // hinge's loss bound is 1e9: with lr 50 the samples leave the data before the loss does.
    const t = new Trainer(exploding(['loss.kind=hinge']));
    const outcome = await runLoop(t, { onResult: () => {} });
    expect(outcome.end).toBe('diverged');
    expect(outcome.diverged).toMatch(/^diverged at iteration 0: a generated sample at \(\S+, \S+\) is \S+ times the real data's spread from its centre, past the bound 1e3$/);
    t.dispose();
  });

  it('a weight past 1e6 at a checkpoint ends the run even while losses and samples are within bounds', async () => {
    // tanh (the published code) saturates: a hidden bias of 5e6 leaves G's output, and so every loss and sample, ordinary.
    const config = resolveRunConfig({ preset: 'published-code', sets: ['schedule.iterations=10', 'recording.snapshotEvery=1000', 'recording.checkpointEvery=2', 'recording.samples=64'] });
    const t = new Trainer(config, { engine: 'tfjs' });
    expect(t.runIteration().diverged).toBeUndefined();
    const bias = t.generator.trainable.find((v) => v.name.includes('bias'))!;
    const data = bias.dataSync().slice();
    data[0] = 5e6;
    tf.tidy(() => bias.assign(tf.tensor(data, bias.shape)));
    const r = t.runIteration();
    expect(Math.abs(r.dLoss) + Math.abs(r.gLoss)).toBeLessThan(100);
    expect(r.diverged).toMatch(/^diverged at iteration 1: weight \S+ is 5e6, past the bound 1e6$/);
    expect(r.checkpoint).toBeUndefined();
    t.dispose();
  });

  it('trainRun stores status diverged with the reason in error; iterations done stop at the diverged step and every kept record is before it', async () => {
    const dir = tmpDir();
    const store = openStore(`${dir}/runs.db`);
    const run = createRun(store, exploding(['optimizer.generator.lr=1', 'optimizer.discriminator.lr=1', 'recording.snapshotEvery=1', 'recording.lossEvery=1']));
    const summary = await trainRun(store, run.id);
    expect(summary.status).toBe('diverged');
    expect(summary.error).toMatch(/^diverged at iteration [\d,]+: /);
    expect(store.getRun(run.id)).toMatchObject({ status: 'diverged', error: summary.error });
    const at = Number(/iteration ([\d,]+)/.exec(summary.error!)![1]!.replace(/,/g, ''));
    expect(at).toBeGreaterThan(0);
    expect(store.getRun(run.id)!.iterationsDone).toBe(at);
    expect(store.lossSeries(run.id).map((l) => l.iteration)).toEqual([...Array(at).keys()]);
    expect(store.snapshotSteps(run.id)).toEqual([...Array(at).keys()]);
    store.close();
  });
});

describe('gan-lab train', () => {
  it('exits 3 for a run that diverged, 0 for one that finished, and says so in --help', () => {
    const dir = tmpDir();
    const db = `${dir}/runs.db`;
    const bad = cli(['train', '--preset', 'article', '--set', LR50[0]!, '--set', LR50[1]!, '--iterations', '2000', '--db', db, '--json']);
    expect(bad.code).toBe(3);
    const summary = JSON.parse(bad.stdout) as { status: string; error: string };
    expect(summary.status).toBe('diverged');
    expect(summary.error).toMatch(/^diverged at iteration [\d,]+: generator loss \S+ is past the bound 1e6$/);
    const text = cli(['train', '--preset', 'article', '--set', LR50[0]!, '--set', LR50[1]!, '--iterations', '2000', '--db', db]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/diverged after [\d,]+ iterations/);
    const ok = cli(['train', '--preset', 'article', '--iterations', '20', '--db', db, '--json']);
    expect(ok.code).toBe(0);
    expect(cli(['train', '--help']).stdout).toMatch(/Exit codes:[\s\S]*3\s+the run diverged/);
  });
});
