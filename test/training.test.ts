/**
 * The service joining engine and store: same seed -> same history to the bit; a run stopped and
 * resumed (or killed and recovered) has exactly the history of one that never stopped; a run
 * whose loss turns NaN ends as diverged with what came before kept.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/shared/validate.js';
import { initBackend } from '../src/main/engine/backend.js';
import { simdAvailable } from '../src/main/engine/fused/simd.js';
import { openStore, type RunStore } from '../src/main/store/index.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let n = 0;
const freshStore = (): RunStore => openStore(path.join(dir, `t${++n}.db`));

const small = (overrides: Record<string, unknown> = {}) =>
  resolveRunConfig({
    preset: 'article',
    overrides: {
      schedule: { iterations: 200, batchSize: 64 },
      recording: { lossEvery: 1, snapshotEvery: 50, checkpointEvery: 25, samples: 64, heatmapResolution: 8, manifoldResolution: 4 },
      seed: 7,
      ...overrides,
    },
  });

function snapshotBytes(store: RunStore, runId: number) {
  return store.snapshotSteps(runId).map((step) => {
    const s = store.snapshot(runId, step)!;
    return { step, metrics: s.metrics, arrays: s.arrays.map((a) => [a.name, a.shape, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64')]) };
  });
}

beforeAll(async () => {
  await initBackend('auto');
});

describe('training service', () => {
  it('gives the identical loss history, to the bit, for the same config and seed', async () => {
    const store = freshStore();
    const a = createRun(store, small());
    const b = createRun(store, small());
    await trainRun(store, a.id);
    await trainRun(store, b.id);
    const la = store.lossSeries(a.id);
    const lb = store.lossSeries(b.id);
    expect(la).toHaveLength(200);
    expect(lb).toEqual(la);
    expect(snapshotBytes(store, b.id)).toEqual(snapshotBytes(store, a.id));
    // and a different seed gives a different history
    const c = createRun(store, small({ seed: 8 }));
    await trainRun(store, c.id);
    expect(store.lossSeries(c.id)).not.toEqual(la);
    store.close();
  });

  it('200 iterations straight equal 100 then a resume to 200, losses and snapshots alike', async () => {
    const store = freshStore();
    const straight = createRun(store, small());
    const summary = await trainRun(store, straight.id);
    expect(summary).toMatchObject({ status: 'finished', iterations: 200 });

    const split = createRun(store, small());
    const first = await trainRun(store, split.id, { until: 100 });
    expect(first.status).toBe('stopped');
    expect(store.getRun(split.id)).toMatchObject({ status: 'stopped', iterationsDone: 100, lastCheckpoint: 100 });
    const second = await trainRun(store, split.id);
    expect(second).toMatchObject({ status: 'finished', iterations: 200 });

    expect(store.lossSeries(split.id)).toEqual(store.lossSeries(straight.id));
    expect(snapshotBytes(store, split.id)).toEqual(snapshotBytes(store, straight.id));
    expect(second.final).toEqual(summary.final);
    store.close();
  });

  it('a run left running by a crash is marked interrupted at the next open and resumes from its checkpoint without duplicates', async () => {
    const file = path.join(dir, 'crash.db');
    let store = openStore(file);
    const reference = createRun(store, small());
    await trainRun(store, reference.id);

    const crashed = createRun(store, small());
    // Train to 120 with checkpoints every 25, then fake a crash: status 'running', rows past the
    // last checkpoint (100) present, as a killed process leaves them.
    await trainRun(store, crashed.id, { until: 120 });
    store.updateRun(crashed.id, { status: 'running' });
    store.close();

    store = openStore(file);
    const row = store.getRun(crashed.id)!;
    expect(row.status).toBe('interrupted');
    expect(row.lastCheckpoint).toBe(120); // stopping keeps a checkpoint where it stopped
    // Drop that stop checkpoint to mimic a kill between checkpoints: the newest is then 100.
    store.rollbackTo(crashed.id, 100);
    store.writeRecords(crashed.id, { losses: [{ iteration: 100, dLoss: 99, gLoss: 99 }], iterationsDone: 101 });
    await trainRun(store, crashed.id);
    const resumed = store.lossSeries(crashed.id);
    expect(resumed.map((l) => l.iteration)).toEqual([...Array(200).keys()]);
    expect(resumed).toEqual(store.lossSeries(reference.id));
    expect(store.getRun(crashed.id)!.status).toBe('finished');
    store.close();
  });

  it('refuses to resume a run that is already at its target', async () => {
    const store = freshStore();
    const run = createRun(store, small({ schedule: { iterations: 30, batchSize: 32 } }));
    await trainRun(store, run.id);
    await expect(trainRun(store, run.id)).rejects.toThrow(/already has 30 iterations/);
    // ...but --until past the plan extends it, and the history continues
    const more = await trainRun(store, run.id, { until: 40 });
    expect(more).toMatchObject({ status: 'finished', iterations: 40 });
    expect(store.getRun(run.id)).toMatchObject({ iterationsPlanned: 40, iterationsDone: 40 });
    expect(store.lossSeries(run.id)).toHaveLength(40);
    store.close();
  });

  it('ends a run whose loss turns NaN as diverged at that iteration, keeping what came before', async () => {
    const store = freshStore();
    const config = small({
      optimizer: { generator: { kind: 'sgd', lr: 1e12 }, discriminator: { kind: 'sgd', lr: 1e12 } },
      loss: { kind: 'leastSquares' },
    });
    const run = createRun(store, config);
    const summary = await trainRun(store, run.id);
    expect(summary.status).toBe('diverged');
    expect(summary.error).toMatch(/^diverged at iteration \d+: (generator|discriminator) loss (is (NaN|Infinity|-Infinity)|\S+ is past the bound 1e12)$/);
    const at = Number(/iteration (\d+)/.exec(summary.error!)![1]);
    const losses = store.lossSeries(run.id);
    expect(losses.map((l) => l.iteration)).toEqual([...Array(at).keys()]);
    expect(losses.every((l) => Number.isFinite(l.dLoss) && Number.isFinite(l.gLoss))).toBe(true);
    expect(store.getRun(run.id)).toMatchObject({ status: 'diverged', error: summary.error });
    store.close();
  });

  it('stores every snapshot array of all three phases, and the backend that trained the run', async () => {
    const store = freshStore();
    const run = createRun(store, small({ schedule: { iterations: 60, batchSize: 32 } }));
    const summary = await trainRun(store, run.id);
    expect(store.snapshotSteps(run.id)).toEqual([0, 50, 59]);
    const names = store.snapshot(run.id, 50)!.arrays.map((a) => a.name).sort();
    for (const phase of ['before-d', 'after-d', 'after-g']) {
      for (const set of ['real', 'fake']) {
        expect(names).toContain(`features.${set}.${phase}`);
        expect(names).toContain(`dOut.${set}.${phase}`);
      }
    }
    for (const name of ['real', 'fake', 'centroids', 'heatmap', 'heatmapBounds', 'manifold', 'arrows']) expect(names).toContain(name);
    expect(Object.keys(store.snapshot(run.id, 50)!.metrics).sort()).toEqual(['claim.centroidGapAfterG', 'claim.centroidGapBeforeG', 'claim.dOutFake', 'claim.dOutReal', 'claim.featureSpread', 'claim.realShiftAcrossG', 'mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']);
    expect(store.getRun(run.id)!.backend).toBe(summary.backend);
    expect(['tensorflow', 'wasm', 'cpu', 'fused-js', 'fused-simd']).toContain(summary.backend);
    store.close();
  });
});

describe('the tfjs engine, chosen explicitly', () => {
  it('is deterministic and resumes exactly too', async () => {
    const store = freshStore();
    const a = createRun(store, small({ schedule: { iterations: 80, batchSize: 32 } }));
    const b = createRun(store, small({ schedule: { iterations: 80, batchSize: 32 } }));
    const sa = await trainRun(store, a.id, { engine: 'tfjs' });
    expect(['tensorflow', 'wasm', 'cpu']).toContain(sa.backend);
    await trainRun(store, b.id, { engine: 'tfjs', until: 40 });
    await trainRun(store, b.id, { engine: 'tfjs' });
    expect(store.lossSeries(b.id)).toEqual(store.lossSeries(a.id));
    expect(snapshotBytes(store, b.id)).toEqual(snapshotBytes(store, a.id));
    // and the fused engine (the default where it applies) says so in the run's backend
    const c = createRun(store, small({ schedule: { iterations: 10, batchSize: 32 } }));
    // fused-simd where WebAssembly SIMD is there, fused-js where not (or GAN_LAB_FUSED_SIMD=0): the README promises both
    expect((await trainRun(store, c.id)).backend).toBe(simdAvailable() ? 'fused-simd' : 'fused-js');
    store.close();
  });
});

