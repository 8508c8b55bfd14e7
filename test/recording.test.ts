/**
 * Recording that fits the run: 'auto' snapshot and loss intervals follow the run's length, are
 * resolved once when the configuration is parsed, and an explicit number still wins.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunConfigSchema } from '../src/shared/config.js';
import { PRESETS } from '../src/shared/presets.js';
import { autoLossEvery, autoSnapshotEvery, floorOneTwoFive, recordedCounts } from '../src/shared/recording.js';
import { ConfigError, parseRunConfig, resolveRunConfig } from '../src/shared/validate.js';
import { initBackend } from '../src/main/engine/backend.js';
import { createRun, runConfig } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { openStore } from '../src/main/store/index.js';
import { tempDir } from './helpers/tmp.js';

const counts = (c: { schedule: { iterations: number }; recording: { snapshotEvery: number; lossEvery: number } }) => recordedCounts(c.schedule.iterations, c.recording);

describe('the auto rule', () => {
  it('rounds down to 1-2-5 numbers', () => {
    expect([0.3, 1, 1.9, 2, 4.99, 5, 9.9, 10, 30, 100.01, 1000.01, 7777].map(floorOneTwoFive)).toEqual([1, 1, 1, 2, 2, 5, 5, 10, 20, 100, 1000, 5000]);
  });

  it('snapshots about every iterations/100, capped at 1000; losses about every iterations/10 000', () => {
    expect([100_001, 10_001, 3000, 300, 1, 100_000_000].map(autoSnapshotEvery)).toEqual([1000, 100, 20, 2, 1, 1000]);
    expect([100_001, 10_001, 3000, 1, 100_000_000].map(autoLossEvery)).toEqual([10, 1, 1, 1, 10_000]);
  });

  it('counts what a run keeps: snapshots at multiples and at the last iteration, losses at multiples', () => {
    expect(recordedCounts(3000, { snapshotEvery: 20, lossEvery: 1 })).toEqual({ snapshots: 151, losses: 3000 });
    expect(recordedCounts(300, { snapshotEvery: 2, lossEvery: 1 })).toEqual({ snapshots: 151, losses: 300 });
    // the last iteration (100 000) is a multiple: no extra snapshot
    expect(recordedCounts(100_001, { snapshotEvery: 1000, lossEvery: 10 })).toEqual({ snapshots: 101, losses: 10_001 });
    expect(recordedCounts(45, { snapshotEvery: 20, lossEvery: 10 })).toEqual({ snapshots: 4, losses: 5 });
  });
});

describe("'auto' in the configuration", () => {
  it('the article at 3 000 iterations keeps at least 20 snapshots by default (151)', () => {
    const c = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: 3000 } } });
    expect(c.recording).toMatchObject({ snapshotEvery: 20, lossEvery: 1 });
    expect(counts(c).snapshots).toBeGreaterThanOrEqual(20);
    expect(counts(c)).toEqual({ snapshots: 151, losses: 3000 });
  });

  it('the published code at 300 iterations keeps at least 20 snapshots by default', () => {
    const c = resolveRunConfig({ preset: 'published-code', overrides: { schedule: { iterations: 300 } } });
    expect(c.recording.snapshotEvery).toBe(2);
    expect(counts(c).snapshots).toBeGreaterThanOrEqual(20);
  });

  it("at full length the article keeps the tutorial's 1000/10; the published code every 100/1 (a superset of the tutorial's frames)", () => {
    expect(resolveRunConfig({ preset: 'article' }).recording).toMatchObject({ snapshotEvery: 1000, lossEvery: 10 });
    const pc = resolveRunConfig({ preset: 'published-code' });
    expect(pc.recording).toMatchObject({ snapshotEvery: 100, lossEvery: 1 });
    expect(1000 % pc.recording.snapshotEvery).toBe(0);
    expect(PRESETS.article.recording).toMatchObject({ snapshotEvery: 'auto', lossEvery: 'auto' });
    expect(PRESETS['published-code'].recording).toMatchObject({ snapshotEvery: 'auto', lossEvery: 'auto' });
  });

  it('the schema itself defaults to auto (no preset, no recording section)', () => {
    expect(parseRunConfig({ schedule: { iterations: 3000 } }).recording).toMatchObject({ snapshotEvery: 20, lossEvery: 1 });
    expect(parseRunConfig({}).recording).toMatchObject({ snapshotEvery: 1000, lossEvery: 10 });
  });

  it('an explicit number wins over auto, in a file, in --set and in overrides', () => {
    expect(resolveRunConfig({ preset: 'article', file: { recording: { snapshotEvery: 50 } }, overrides: { schedule: { iterations: 3000 } } }).recording).toMatchObject({ snapshotEvery: 50, lossEvery: 1 });
    expect(resolveRunConfig({ preset: 'published-code', sets: ['recording.lossEvery=7', 'schedule.iterations=300'] }).recording).toMatchObject({ snapshotEvery: 2, lossEvery: 7 });
    expect(resolveRunConfig({ preset: 'article', overrides: { recording: { snapshotEvery: 1000 }, schedule: { iterations: 3000 } } }).recording.snapshotEvery).toBe(1000);
  });

  it("'auto' parses from a config file and from --set recording.snapshotEvery=auto", () => {
    const fromFile = resolveRunConfig({ file: JSON.parse('{"schedule":{"iterations":3000},"recording":{"snapshotEvery":"auto","lossEvery":"auto"}}') as Record<string, unknown> });
    expect(fromFile.recording).toMatchObject({ snapshotEvery: 20, lossEvery: 1 });
    const fromSet = resolveRunConfig({ file: { recording: { snapshotEvery: 5 } }, sets: ['recording.snapshotEvery=auto', 'schedule.iterations=300'] });
    expect(fromSet.recording.snapshotEvery).toBe(2);
  });

  it('the parsed configuration holds numbers only, and parsing it again changes nothing (stored configs)', () => {
    const c = resolveRunConfig({ preset: 'published-code', overrides: { schedule: { iterations: 300 } } });
    expect(typeof c.recording.snapshotEvery).toBe('number');
    expect(typeof c.recording.lossEvery).toBe('number');
    expect(RunConfigSchema.parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
    // a stored, resolved configuration keeps its intervals even if its length is changed afterwards
    expect(parseRunConfig({ ...c, schedule: { ...c.schedule, iterations: 100_001 } }).recording.snapshotEvery).toBe(2);
  });

  it('anything else is refused with a message naming auto and the range', () => {
    for (const bad of ['sometimes', 0, 1.5, null]) {
      const err = (() => {
        try {
          resolveRunConfig({ overrides: { recording: { snapshotEvery: bad } } });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/recording\.snapshotEvery/);
    }
    expect(() => resolveRunConfig({ sets: ['recording.lossEvery=sometimes'] })).toThrow(/recording\.lossEvery: .*auto/);
  });
});

describe('a run in the store', () => {
  beforeAll(async () => {
    await initBackend('auto');
  });

  it('a 300-iteration published-code run really keeps at least 20 snapshots, and its stored config says how often', async () => {
    const store = openStore(path.join(tempDir(), 'recording.db'));
    // small batch and recording sizes keep it quick; the intervals are left to auto
    const run = createRun(store, resolveRunConfig({ preset: 'published-code', overrides: { schedule: { iterations: 300, batchSize: 16 }, recording: { samples: 32, heatmapResolution: 4, manifoldResolution: 2 } } }));
    await trainRun(store, run.id);
    const steps = store.snapshotSteps(run.id);
    expect(steps.length).toBeGreaterThanOrEqual(20);
    expect(steps.length).toBe(151);
    expect(steps.slice(0, 3)).toEqual([0, 2, 4]);
    expect(steps[steps.length - 1]).toBe(299);
    expect(store.lossSeries(run.id)).toHaveLength(300);
    expect(runConfig(store.getRun(run.id)!).recording).toMatchObject({ snapshotEvery: 2, lossEvery: 1 });
    store.close();
  }, 120_000);
});
