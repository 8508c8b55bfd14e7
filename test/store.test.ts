import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotRecord } from '../src/main/engine/records.js';
import { openStore, type NewRun, type RunStore } from '../src/main/store/index.js';

let dir: string;
let file: string;
let store: RunStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-lab-store-'));
  file = join(dir, 'runs.sqlite');
  store = openStore(file);
});
afterEach(() => {
  try {
    store.close();
  } catch {
    // already closed by the test
  }
  rmSync(dir, { recursive: true, force: true });
});

const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  name: 'ring-8',
  config: { dataset: { kind: 'ring', modes: 8 }, seed: 5 },
  seed: 5,
  iterationsPlanned: 1000,
  appVersion: '0.1.0',
  ...over,
});

const snapshotAt = (iteration: number): SnapshotRecord => ({
  iteration,
  arrays: [
    { name: 'real', shape: [2, 2], data: new Float32Array([1e-38, -0, 3.5, -Infinity]) },
    { name: 'fake', shape: [3], data: new Float32Array([Infinity, 1.401298464324817e-45, 3.4028234663852886e38]) },
    { name: 'heatmapBounds', shape: [4], data: new Float32Array([-1, 1, -2, 2]) },
  ],
  metrics: { modeCoverage: 0.5, energy: Number.NaN, kl: Infinity },
});

/** Raw rows per table for one run, to check exactly what a call deleted. */
function counts(runId: number): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of ['losses', 'snapshots', 'snapshot_arrays', 'snapshot_metrics', 'checkpoints']) {
      out[t] = db.prepare(`SELECT COUNT(*) FROM ${t} WHERE run_id = ?`).pluck().get(runId) as number;
    }
    return out;
  } finally {
    db.close();
  }
}

describe('connection', () => {
  it('uses WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Per-connection settings are checked through the store's own connection.
    const s = store as unknown as { db: Database.Database };
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('opens read-only alongside a writer and sees its commits', () => {
    const run = store.createRun(newRun());
    const reader = openStore(file, { readonly: true });
    expect(reader.getRun(run.id)?.name).toBe('ring-8');
    store.writeRecords(run.id, { losses: [{ iteration: 0, dLoss: 1, gLoss: 2 }] });
    expect(reader.lossSeries(run.id)).toHaveLength(1);
    expect(() => reader.createRun(newRun())).toThrow(/readonly/);
    reader.close();
  });
});

describe('runs', () => {
  it('creates with defaults and reads back', () => {
    const run = store.createRun(newRun({ tags: ['x', 'y'], sweepId: 'sweep-1', backend: 'wasm' }));
    expect(run).toMatchObject({
      name: 'ring-8',
      config: { dataset: { kind: 'ring', modes: 8 }, seed: 5 },
      status: 'created',
      backend: 'wasm',
      seed: 5,
      iterationsPlanned: 1000,
      iterationsDone: 0,
      finishedAt: null,
      appVersion: '0.1.0',
      error: null,
      msPerIteration: null,
      tags: ['x', 'y'],
      sweepId: 'sweep-1',
      lastCheckpoint: null,
    });
    expect(new Date(run.createdAt).toISOString()).toBe(run.createdAt);
    expect(run.updatedAt).toBe(run.createdAt);
    expect(store.getRun(run.id)).toEqual(run);
    expect(store.getRun(run.id + 100)).toBeUndefined();
  });

  it('finds by id or by name (newest of that name) and lists newest first', () => {
    const a = store.createRun(newRun({ name: 'same' }));
    const b = store.createRun(newRun({ name: 'other' }));
    const c = store.createRun(newRun({ name: 'same' }));
    expect(store.findRun(String(b.id))?.id).toBe(b.id);
    expect(store.findRun('same')?.id).toBe(c.id);
    expect(store.findRun('missing')).toBeUndefined();
    expect(store.listRuns().map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    const numeric = store.createRun(newRun({ name: '999' }));
    expect(store.findRun('999')?.id).toBe(numeric.id);
  });

  it('updates only the given fields', async () => {
    const run = store.createRun(newRun({ tags: ['keep'] }));
    await new Promise((r) => setTimeout(r, 5));
    const updated = store.updateRun(run.id, { status: 'failed', error: 'boom', msPerIteration: 2.5, tags: ['a'] });
    expect(updated).toMatchObject({ status: 'failed', error: 'boom', msPerIteration: 2.5, tags: ['a'], name: 'ring-8' });
    expect(updated.updatedAt > run.updatedAt).toBe(true);
    const cleared = store.updateRun(run.id, { error: null, finishedAt: '2025-01-01T00:00:00.000Z', name: 'renamed' });
    expect(cleared).toMatchObject({ error: null, finishedAt: '2025-01-01T00:00:00.000Z', name: 'renamed', status: 'failed' });
    expect(store.updateRun(run.id, { error: undefined }).finishedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(() => store.updateRun(12345, { status: 'running' })).toThrow('unknown run 12345');
  });

  it('deletes a run and, by cascade, all its rows, leaving other runs alone', () => {
    const a = store.createRun(newRun());
    const b = store.createRun(newRun());
    for (const id of [a.id, b.id]) {
      store.writeRecords(id, {
        losses: [{ iteration: 0, dLoss: 1, gLoss: 1 }],
        snapshots: [snapshotAt(0)],
        checkpoint: { iteration: 1, state: new Uint8Array([9]) },
      });
    }
    expect(store.deleteRun(a.id)).toBe(true);
    expect(store.deleteRun(a.id)).toBe(false);
    expect(store.getRun(a.id)).toBeUndefined();
    expect(counts(a.id)).toEqual({ losses: 0, snapshots: 0, snapshot_arrays: 0, snapshot_metrics: 0, checkpoints: 0 });
    expect(counts(b.id)).toEqual({ losses: 1, snapshots: 1, snapshot_arrays: 3, snapshot_metrics: 3, checkpoints: 1 });
  });
});

describe('records', () => {
  it('round-trips losses, upserting and keeping NaN and infinities', () => {
    const run = store.createRun(newRun());
    store.writeRecords(run.id, {
      losses: [
        { iteration: 20, dLoss: Number.NaN, gLoss: Infinity },
        { iteration: 0, dLoss: 0.693147, gLoss: -Infinity },
        { iteration: 10, dLoss: 1, gLoss: 2 },
      ],
      iterationsDone: 21,
    });
    store.writeRecords(run.id, { losses: [{ iteration: 10, dLoss: 3, gLoss: 4 }] });
    expect(store.lossSeries(run.id)).toEqual([
      { iteration: 0, dLoss: 0.693147, gLoss: -Infinity },
      { iteration: 10, dLoss: 3, gLoss: 4 },
      { iteration: 20, dLoss: Number.NaN, gLoss: Infinity },
    ]);
    expect(Number.isNaN(store.lossSeries(run.id)[2]!.dLoss)).toBe(true);
    expect(store.lossSeries(run.id, { from: 10 }).map((l) => l.iteration)).toEqual([10, 20]);
    expect(store.lossSeries(run.id, { from: 5, to: 10 }).map((l) => l.iteration)).toEqual([10]);
    expect(store.getRun(run.id)!.iterationsDone).toBe(21);
  });

  it('round-trips snapshot arrays bit-exact, in order, as aligned copies', () => {
    const run = store.createRun(newRun());
    const snap = snapshotAt(1000);
    store.writeRecords(run.id, { snapshots: [snap, snapshotAt(0)] });
    expect(store.snapshotSteps(run.id)).toEqual([0, 1000]);
    const back = store.snapshot(run.id, 1000)!;
    expect(back.iteration).toBe(1000);
    expect(back.arrays.map((a) => a.name)).toEqual(['real', 'fake', 'heatmapBounds']);
    back.arrays.forEach((a, i) => {
      const want = snap.arrays[i]!;
      expect(a.shape).toEqual(want.shape);
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(a.data.byteOffset).toBe(0);
      expect(Buffer.from(a.data.buffer)).toEqual(Buffer.from(want.data.buffer));
    });
    expect(Object.is(back.arrays[0]!.data[1], -0)).toBe(true);
    expect(back.metrics).toEqual({ modeCoverage: 0.5, energy: Number.NaN, kl: Infinity });
    expect(store.snapshot(run.id, 5)).toBeUndefined();
  });

  it('stores a view into a larger buffer as just its own bytes', () => {
    const run = store.createRun(newRun());
    const big = new Float32Array([7, 8, 9, 10]);
    store.writeRecords(run.id, {
      snapshots: [{ iteration: 0, arrays: [{ name: 'v', shape: [2], data: big.subarray(1, 3) }], metrics: {} }],
      checkpoint: { iteration: 1, state: new Uint8Array([0, 1, 2, 3, 4]).subarray(2) },
    });
    expect(Array.from(store.snapshot(run.id, 0)!.arrays[0]!.data)).toEqual([8, 9]);
    expect(Array.from(store.latestCheckpoint(run.id)!.state)).toEqual([2, 3, 4]);
  });

  it('returns a subset of arrays by name and replaces a rewritten step whole', () => {
    const run = store.createRun(newRun());
    store.writeRecords(run.id, { snapshots: [snapshotAt(0)] });
    const sub = store.snapshot(run.id, 0, ['heatmapBounds', 'real', 'nope'])!;
    expect(sub.arrays.map((a) => a.name)).toEqual(['real', 'heatmapBounds']);
    expect(store.snapshot(run.id, 0, [])!.arrays).toEqual([]);
    store.writeRecords(run.id, {
      snapshots: [{ iteration: 0, arrays: [{ name: 'fake', shape: [1], data: new Float32Array([5]) }], metrics: { m: 1 } }],
    });
    const again = store.snapshot(run.id, 0)!;
    expect(again.arrays.map((a) => a.name)).toEqual(['fake']);
    expect(again.metrics).toEqual({ m: 1 });
  });

  it('gives metric series by step', () => {
    const run = store.createRun(newRun());
    store.writeRecords(run.id, {
      snapshots: [
        { iteration: 0, arrays: [], metrics: { a: 1, b: 2 } },
        { iteration: 1000, arrays: [], metrics: { a: Number.NaN } },
        { iteration: 2000, arrays: [], metrics: {} },
      ],
    });
    expect(store.metricSeries(run.id)).toEqual([
      { iteration: 0, metrics: { a: 1, b: 2 } },
      { iteration: 1000, metrics: { a: Number.NaN } },
    ]);
    expect(store.snapshotSteps(run.id)).toEqual([0, 1000, 2000]);
  });

  it('keeps checkpoints byte-exact and reports the newest', () => {
    const run = store.createRun(newRun());
    expect(store.latestCheckpoint(run.id)).toBeUndefined();
    const state = new Uint8Array(4099).map((_, i) => (i * 131) & 0xff);
    store.writeRecords(run.id, { checkpoint: { iteration: 1000, state } });
    store.writeRecords(run.id, { checkpoint: { iteration: 500, state: new Uint8Array([1]) } });
    const back = store.latestCheckpoint(run.id)!;
    expect(back.iteration).toBe(1000);
    expect(back.state).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.state).equals(Buffer.from(state))).toBe(true);
    expect(store.getRun(run.id)!.lastCheckpoint).toBe(1000);
    store.writeRecords(run.id, { checkpoint: { iteration: 1000, state: new Uint8Array([2, 2]) } });
    expect(Array.from(store.latestCheckpoint(run.id)!.state)).toEqual([2, 2]);
  });

  it('rejects records for an unknown run', () => {
    expect(() => store.writeRecords(42, { losses: [{ iteration: 0, dLoss: 0, gLoss: 0 }] })).toThrow('unknown run 42');
    expect(() => store.writeRecords(42, {})).toThrow('unknown run 42');
    expect(() => store.rollbackTo(42, 0)).toThrow('unknown run 42');
  });

  it('writes a batch in one transaction: all or nothing', () => {
    const run = store.createRun(newRun());
    const db = new Database(file);
    db.exec(`CREATE TRIGGER no_checkpoints BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'nope'); END`);
    db.close();
    expect(() =>
      store.writeRecords(run.id, {
        losses: [{ iteration: 0, dLoss: 1, gLoss: 1 }],
        snapshots: [snapshotAt(0)],
        checkpoint: { iteration: 1, state: new Uint8Array([1]) },
        iterationsDone: 1,
      }),
    ).toThrow(/nope/);
    expect(counts(run.id)).toEqual({ losses: 0, snapshots: 0, snapshot_arrays: 0, snapshot_metrics: 0, checkpoints: 0 });
    expect(store.getRun(run.id)!.iterationsDone).toBe(0);
  });
});

describe('rollbackTo', () => {
  function seed(): { id: number; other: number } {
    const id = store.createRun(newRun()).id;
    const other = store.createRun(newRun()).id;
    for (const runId of [id, other]) {
      store.writeRecords(runId, {
        losses: [0, 10, 20, 30, 40].map((iteration) => ({ iteration, dLoss: iteration, gLoss: -iteration })),
        snapshots: [snapshotAt(0), snapshotAt(20), snapshotAt(40)],
        iterationsDone: 45,
      });
      for (const iteration of [20, 40]) store.writeRecords(runId, { checkpoint: { iteration, state: new Uint8Array([iteration]) } });
    }
    return { id, other };
  }

  it('removes exactly the rows recorded after the checkpoint', () => {
    const { id, other } = seed();
    const before = counts(other);
    store.rollbackTo(id, 20);
    expect(store.lossSeries(id).map((l) => l.iteration)).toEqual([0, 10]);
    expect(store.snapshotSteps(id)).toEqual([0]);
    expect(store.metricSeries(id).map((m) => m.iteration)).toEqual([0]);
    expect(store.latestCheckpoint(id)).toEqual({ iteration: 20, state: new Uint8Array([20]) });
    expect(store.getRun(id)).toMatchObject({ iterationsDone: 20, lastCheckpoint: 20 });
    expect(counts(id)).toEqual({ losses: 2, snapshots: 1, snapshot_arrays: 3, snapshot_metrics: 3, checkpoints: 1 });
    expect(counts(other)).toEqual(before);
    expect(store.getRun(other)!.iterationsDone).toBe(45);
  });

  it('changes nothing if any part fails', () => {
    const { id } = seed();
    const before = counts(id);
    const db = new Database(file);
    // The last statement of the rollback, setting iterations_done, will fail.
    db.exec(`CREATE TRIGGER frozen BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'frozen'); END`);
    db.close();
    expect(() => store.rollbackTo(id, 20)).toThrow(/frozen/);
    expect(counts(id)).toEqual(before);
    expect(store.getRun(id)!.iterationsDone).toBe(45);
  });
});

describe('recoverInterrupted', () => {
  it('marks runs a crash left running or paused as interrupted on reopen', () => {
    const running = store.createRun(newRun({ status: 'running' }));
    const paused = store.createRun(newRun({ status: 'paused' }));
    const finished = store.createRun(newRun({ status: 'finished' }));
    store.close(); // the "crash": nobody updated the statuses

    const observer = openStore(file, { recoverInterrupted: false });
    expect(observer.getRun(running.id)!.status).toBe('running');
    observer.close();

    store = openStore(file);
    expect(store.getRun(running.id)!.status).toBe('interrupted');
    expect(store.getRun(paused.id)!.status).toBe('interrupted');
    expect(store.getRun(finished.id)!.status).toBe('finished');
    expect(store.recoverInterrupted()).toEqual([]);
    store.updateRun(finished.id, { status: 'running' });
    expect(store.recoverInterrupted()).toEqual([finished.id]);
  });
});
