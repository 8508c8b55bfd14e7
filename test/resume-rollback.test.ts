/**
 * Resuming rolls back to the checkpoint first (planSession -> RunStore.rollbackTo): rows recorded
 * after the checkpoint are gone before training continues, even where the resumed session would
 * not record the same iterations again. The other resume tests re-record identical rows over the
 * stale ones, so they pass whether or not anything was rolled back; here the stale rows differ
 * from what training records, and some sit where it records nothing.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/shared/validate.js';
import { initBackend } from '../src/main/engine/backend.js';
import type { SnapshotRecord } from '../src/main/engine/records.js';
import { openStore, type RunStore } from '../src/main/store/index.js';
import { createRun } from '../src/main/service/runs.js';
import { planSession } from '../src/main/service/session.js';
import { trainRun } from '../src/main/service/training.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let n = 0;
const freshStore = (): RunStore => openStore(path.join(dir, `r${++n}.db`));

const config = () =>
  resolveRunConfig({
    preset: 'article',
    overrides: {
      schedule: { iterations: 100, batchSize: 32 },
      recording: { lossEvery: 1, snapshotEvery: 25, checkpointEvery: 25, samples: 32, heatmapResolution: 4, manifoldResolution: 4 },
      seed: 11,
    },
  });

const bogusSnapshot = (iteration: number): SnapshotRecord => ({
  iteration,
  arrays: [
    { name: 'real', shape: [1, 2], data: new Float32Array([123, 456]) },
    { name: 'bogus', shape: [1], data: new Float32Array([7]) },
  ],
  metrics: { bogusMetric: 42 },
});

/** What a killed session could have left after its checkpoint at 50: rows that differ from a clean run's. */
function writeStaleRows(store: RunStore, runId: number): void {
  store.writeRecords(runId, {
    // at iterations training records again (they must end up as training records them) ...
    losses: [50, 51, 60, 75].map((iteration) => ({ iteration, dLoss: 999, gLoss: -999 })),
    snapshots: [bogusSnapshot(75), bogusSnapshot(63)], // ... and 63, where it records nothing
    iterationsDone: 80,
  });
  // ... and losses past the plan, which no resumed session writes over.
  store.writeRecords(runId, { losses: [150, 151].map((iteration) => ({ iteration, dLoss: 5, gLoss: 5 })) });
}

function snapshotBytes(store: RunStore, runId: number) {
  return store.snapshotSteps(runId).map((step) => {
    const s = store.snapshot(runId, step)!;
    return { step, metrics: s.metrics, arrays: s.arrays.map((a) => [a.name, a.shape, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64')]) };
  });
}

beforeAll(async () => {
  await initBackend('auto');
});

describe('resume rolls back to the checkpoint', () => {
  it('planSession removes every row recorded after the checkpoint, whatever it holds', async () => {
    const store = freshStore();
    const run = createRun(store, config());
    await trainRun(store, run.id, { until: 50 });
    expect(store.latestCheckpoint(run.id)?.iteration).toBe(50);
    writeStaleRows(store, run.id);
    store.updateRun(run.id, { status: 'interrupted' });

    const plan = planSession(store, run.id);
    expect(plan.startAt).toBe(50);
    expect(store.lossSeries(run.id).map((l) => l.iteration)).toEqual([...Array(50).keys()]);
    expect(store.snapshotSteps(run.id)).toEqual([0, 25]);
    expect(store.metricSeries(run.id).every((m) => !('bogusMetric' in m.metrics))).toBe(true);
    expect(store.getRun(run.id)).toMatchObject({ iterationsDone: 50 });
    store.close();
  });

  it('a run resumed over stale rows that differ has exactly the history of one that never stopped', async () => {
    const store = freshStore();
    const straight = createRun(store, config());
    await trainRun(store, straight.id);

    const resumed = createRun(store, config());
    await trainRun(store, resumed.id, { until: 50 });
    writeStaleRows(store, resumed.id);
    store.updateRun(resumed.id, { status: 'interrupted' });
    const summary = await trainRun(store, resumed.id);
    expect(summary).toMatchObject({ status: 'finished', iterations: 100 });

    expect(store.lossSeries(resumed.id)).toEqual(store.lossSeries(straight.id));
    expect(store.snapshotSteps(resumed.id)).toEqual(store.snapshotSteps(straight.id));
    expect(snapshotBytes(store, resumed.id)).toEqual(snapshotBytes(store, straight.id));
    expect(store.metricSeries(resumed.id)).toEqual(store.metricSeries(straight.id));
    store.close();
  });
});
