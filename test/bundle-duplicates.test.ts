/**
 * Importing a `.ganrun` whose run is already in the library: the app says so instead of adding
 * it silently ('ask'), leaves it out ('skip') or adds it as a copy ('copy'); any import keeps the
 * run's original creation and finish dates, and a different run is never taken for a duplicate.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/main/service/bundle.js';
import { openStore, type RunRow, type RunStore } from '../src/main/store/index.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let source: RunStore;
let original: RunRow;
let bundle: Uint8Array;

beforeAll(async () => {
  source = openStore(path.join(dir, 'source.db'));
  original = await finishedRun(source, { name: 'to share', iterations: 60, snapshotEvery: 20 });
  bundle = exportBundle(source, original.id).bytes;
}, 120_000);

const count = (store: RunStore) => store.listRuns().length;

describe('importing a bundle', () => {
  it('into another library keeps the original creation and finish dates', () => {
    const other = openStore(path.join(dir, 'other.db'));
    const r = importBundle(other, bundle);
    if (r.outcome !== 'imported') throw new Error(r.outcome);
    expect(r.run.createdAt).toBe(original.createdAt);
    expect(r.run.finishedAt).toBe(original.finishedAt);
    expect(r.run.finishedAt).not.toBeNull();
    expect([r.run.name, r.run.seed, r.run.status, r.run.iterationsDone]).toEqual(['to share', original.seed, 'finished', 60]);
    other.close();
  });

  it('whose run is already there asks (imports nothing), and says which run it is', () => {
    const before = count(source);
    const r = importBundle(source, bundle);
    expect(r).toMatchObject({ outcome: 'duplicate', existing: { id: original.id }, bundleName: 'to share' });
    expect(count(source)).toBe(before);
    // 'ask' is the default
    expect(importBundle(source, bundle, 'ask').outcome).toBe('duplicate');
  });

  it('skips it when told to, and adds it as a copy with the original dates when told to', () => {
    const before = count(source);
    expect(importBundle(source, bundle, 'skip')).toMatchObject({ outcome: 'skipped', run: { id: original.id } });
    expect(count(source)).toBe(before);
    const copy = importBundle(source, bundle, 'copy');
    if (copy.outcome !== 'imported') throw new Error(copy.outcome);
    expect(count(source)).toBe(before + 1);
    expect(copy.run.id).not.toBe(original.id);
    expect(copy.run.name).toBe('to share (copy)');
    expect([copy.run.createdAt, copy.run.finishedAt]).toEqual([original.createdAt, original.finishedAt]);
    expect(source.lossSeries(copy.run.id)).toEqual(source.lossSeries(original.id));
  });

  it('an earlier import counts as already there too', () => {
    const other = openStore(path.join(dir, 'twice.db'));
    expect(importBundle(other, bundle).outcome).toBe('imported');
    expect(importBundle(other, bundle).outcome).toBe('duplicate');
    expect(count(other)).toBe(1);
    other.close();
  });

  it('a run with the same seed and configuration made at another time is not a duplicate', async () => {
    const other = openStore(path.join(dir, 'lookalike.db'));
    const lookalike = await finishedRun(other, { name: 'to share', iterations: 60, snapshotEvery: 20 });
    expect([lookalike.seed, lookalike.createdAt === original.createdAt]).toEqual([original.seed, false]);
    expect(importBundle(other, bundle).outcome).toBe('imported');
    other.close();
  }, 120_000);
});
