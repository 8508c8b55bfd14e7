/** Finished runs to look at: small, seeded, trained in-process (shared by figure, compare and e2e tests). */
import { initBackend } from '../../src/main/engine/backend.js';
import { createRun } from '../../src/main/service/runs.js';
import { trainRun } from '../../src/main/service/training.js';
import type { RunRow, RunStore } from '../../src/main/store/index.js';
import { resolveRunConfig } from '../../src/shared/validate.js';

export interface SmallRun {
  preset?: 'article' | 'published-code';
  iterations?: number;
  snapshotEvery?: number;
  seed?: number;
  name?: string;
  /** Overrides merged last (e.g. { discriminator: { featureWidth: 4 } }). */
  overrides?: Record<string, unknown>;
}

/** A finished run: by default the article preset, 200 iterations, a snapshot every 50 (5 snapshots). */
export async function finishedRun(store: RunStore, options: SmallRun = {}): Promise<RunRow> {
  await initBackend('auto');
  const iterations = options.iterations ?? 200;
  const config = resolveRunConfig({
    preset: options.preset ?? 'article',
    overrides: {
      schedule: { iterations, batchSize: 64 },
      recording: { lossEvery: 1, snapshotEvery: options.snapshotEvery ?? 50, checkpointEvery: iterations, samples: 64, heatmapResolution: 12, manifoldResolution: 6 },
      seed: options.seed ?? 7,
      ...(options.overrides ?? {}),
    },
  });
  const run = createRun(store, config, options.name);
  await trainRun(store, run.id);
  return store.getRun(run.id)!;
}
