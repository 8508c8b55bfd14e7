/** Seed sweeps: several seeds of one configuration, stored as runs grouped by a sweep id. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUESTS } from '../src/shared/contract.js';
import { resolveRunConfig } from '../src/shared/validate.js';
import { createApp } from '../src/main/app.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { createSweep, parseSeeds, trainSweep } from '../src/main/service/sweep.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();

describe('parseSeeds', () => {
  it('reads ranges and lists, in order, without repeats', () => {
    expect(parseSeeds('1-8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseSeeds('3, 1, 2-4')).toEqual([3, 1, 2, 4]);
  });
  it('refuses what is not a list of at least two seeds, saying why', () => {
    expect(() => parseSeeds('a-b')).toThrow(/expected a list like 1-8/);
    expect(() => parseSeeds('5-2')).toThrow(/empty or longer than 64/);
    expect(() => parseSeeds('4')).toThrow(/at least two seeds/);
  });
});

describe('a sweep', () => {
  const app = createApp({ dbPath: path.join(dir, 'sweep.db'), transport: 'browser', spawnWorker: spawnNodeWorker });
  afterAll(() => app.close());
  const config = resolveRunConfig({
    preset: 'article',
    overrides: { schedule: { iterations: 120, batchSize: 64 }, recording: { lossEvery: 1, snapshotEvery: 60, checkpointEvery: 60, samples: 64, heatmapResolution: 8, manifoldResolution: 4 } },
  });

  it('stores one run per seed under one sweep id, and each member matches that seed trained alone', async () => {
    const { sweepId, runs } = createSweep(app.store, config, [1, 2, 3], 'tiny');
    expect(runs.map((r) => [r.name, r.seed, r.sweepId])).toEqual([
      ['tiny · seed 1', 1, sweepId],
      ['tiny · seed 2', 2, sweepId],
      ['tiny · seed 3', 3, sweepId],
    ]);
    await trainSweep(app.host, app.subscribe, runs.map((r) => r.id), { parallel: 2 });
    for (const r of runs) expect(app.store.getRun(r.id)).toMatchObject({ status: 'finished', iterationsDone: 120 });

    const alone = createRun(app.store, { ...config, seed: 2 });
    await trainRun(app.store, alone.id);
    const member = app.store.lossSeries(runs[1]!.id);
    const reference = app.store.lossSeries(alone.id);
    expect(member).toHaveLength(120);
    member.forEach((l, i) => {
      const ref = reference[i]!;
      expect(l.iteration).toBe(ref.iteration);
      expect(Math.abs(l.dLoss - ref.dLoss)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(ref.dLoss), 1e-3));
      expect(Math.abs(l.gLoss - ref.gLoss)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(ref.gLoss), 1e-3));
    });
    // different seeds, different histories
    expect(app.store.lossSeries(runs[0]!.id)).not.toEqual(member);
  });

  it('runs.createSweep starts a sweep from the contract and answers with its runs', async () => {
    const reply = await app.dispatch('runs.createSweep', { config: { ...config, schedule: { ...config.schedule, iterations: 30 } }, seeds: [4, 5], name: 'ui sweep' });
    const parsed = REQUESTS['runs.createSweep'].response.parse(reply);
    expect(parsed.runs.map((r) => [r.name, r.seed, r.sweepId])).toEqual([
      ['ui sweep · seed 4', 4, parsed.sweepId],
      ['ui sweep · seed 5', 5, parsed.sweepId],
    ]);
    await expect
      .poll(() => parsed.runs.map((r) => app.store.getRun(r.id)!.status), { timeout: 60_000, interval: 200 })
      .toEqual(['finished', 'finished']);
  });
});

