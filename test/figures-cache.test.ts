/**
 * The per-run figure cache (service/figures.ts): a run's PCA projection, centroid paths and shared
 * axes are worked out from every snapshot and kept, but a run that gains snapshots (a running run,
 * or one resumed) is measured again. Checked against a twin run, same config and seed, trained
 * straight through and asked for the first time, so its values come from no cache.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/main/engine/backend.js';
import { figureModel, runProjection } from '../src/main/service/figures.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { openStore } from '../src/main/store/index.js';
import { resolveRunConfig } from '../src/shared/validate.js';
import { tempDir } from './helpers/tmp.js';

const config = () =>
  resolveRunConfig({
    preset: 'article',
    overrides: {
      schedule: { iterations: 100, batchSize: 32 },
      recording: { lossEvery: 1, snapshotEvery: 20, checkpointEvery: 20, samples: 32, heatmapResolution: 4, manifoldResolution: 4 },
      discriminator: { featureWidth: 4 },
      seed: 5,
    },
  });

beforeAll(async () => {
  await initBackend('auto');
});

describe('the per-run figure cache', () => {
  it("measures a run again once it has new snapshots: projection, centroid paths and the run's axes", async () => {
    const store = openStore(path.join(tempDir(), 'cache.db'));
    const growing = createRun(store, config());
    await trainRun(store, growing.id, { until: 40 });
    const early = store.getRun(growing.id)!;
    expect(store.snapshotSteps(early.id)).toEqual([0, 20]);
    // First requests fill the cache with what two snapshots say.
    const earlyProjection = runProjection(store, early);
    const earlyCentroids = figureModel(store, early, { figure: 'centroids' });
    const earlyAxes = figureModel(store, early, { figure: 'features', step: 0, axes: 'run' }).bounds;
    expect(runProjection(store, early)).toBe(earlyProjection);

    await trainRun(store, growing.id);
    const grown = store.getRun(growing.id)!;
    const twin = createRun(store, config());
    await trainRun(store, twin.id);
    const fresh = store.getRun(twin.id)!;
    expect(store.snapshotSteps(grown.id)).toEqual(store.snapshotSteps(fresh.id));
    expect(store.snapshotSteps(grown.id).length).toBeGreaterThan(2);

    const projection = runProjection(store, grown);
    expect(projection).toEqual(runProjection(store, fresh));
    expect(projection).not.toEqual(earlyProjection);

    const centroids = figureModel(store, grown, { figure: 'centroids' });
    expect(centroids).toEqual(figureModel(store, fresh, { figure: 'centroids' }));
    expect(centroids).not.toEqual(earlyCentroids);

    const axes = figureModel(store, grown, { figure: 'features', step: 0, axes: 'run' }).bounds;
    expect(axes).toEqual(figureModel(store, fresh, { figure: 'features', step: 0, axes: 'run' }).bounds);
    expect(axes).not.toEqual(earlyAxes);
    store.close();
  });
});
