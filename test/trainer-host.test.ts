/**
 * The TrainerHost with real trainer processes: a run trains in a process of its own while the
 * host records everything it streams; pause, resume and stop reach the process; a stopped or
 * killed run resumes to exactly the history of one that never stopped; closing the app stops
 * its trainers cleanly.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, REQUESTS, type EventName, type RequestName, type RequestOf, type ResponseOf } from '../src/shared/contract.js';
import { resolveRunConfig } from '../src/shared/validate.js';
import { createApp, type GanLabApp } from '../src/main/app.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import type { SpawnWorker, WorkerHandle } from '../src/main/host/protocol.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { openStore, type RunStore } from '../src/main/store/index.js';
import type { LossRecord } from '../src/main/engine/records.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();

const config = (overrides: Record<string, unknown> = {}) =>
  resolveRunConfig({
    preset: 'article',
    overrides: {
      schedule: { iterations: 300, batchSize: 32 },
      recording: { lossEvery: 5, snapshotEvery: 100, checkpointEvery: 50, samples: 32, heatmapResolution: 8, manifoldResolution: 4 },
      seed: 11,
      ...overrides,
    },
  });
/** Long enough that it is still training whenever a test pauses, stops or closes it. */
const long = () => config({ schedule: { iterations: 200_000, batchSize: 32 } });
/**
 * Long enough to be stopped or killed halfway even on the SIMD engine (300 iterations end in a
 * tenth of a second there), short enough to train to the end again after resuming.
 */
const MID = 4000;
const mid = () =>
  config({
    schedule: { iterations: MID, batchSize: 32 },
    recording: { lossEvery: 5, snapshotEvery: 1000, checkpointEvery: 50, samples: 32, heatmapResolution: 8, manifoldResolution: 4 },
  });

interface Seen {
  name: EventName;
  payload: Record<string, unknown>;
}

/** An app whose trainer processes are real, with every event and every worker handle recorded. */
function openApp(file: string) {
  const workers: WorkerHandle[] = [];
  const spawn: SpawnWorker = () => {
    const w = spawnNodeWorker();
    workers.push(w);
    return w;
  };
  const app = createApp({ dbPath: path.join(dir, file), transport: 'browser', spawnWorker: spawn });
  const events: Seen[] = [];
  app.subscribe((name, payload) => {
    EVENTS[name].parse(payload); // every event has the contract's shape
    events.push({ name, payload: payload as Record<string, unknown> });
  });
  return { app, workers, events };
}

let app: GanLabApp;
let workers: WorkerHandle[];
let events: Seen[];
/** The loss history of the standard config trained in this process, without interruption. */
let reference: LossRecord[];
let midReference: typeof reference;
let midReferenceSnapshots: typeof referenceSnapshots;
let referenceSnapshots: ReturnType<typeof snapshotBytes>;

async function call<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const raw = await app.dispatch(name, payload);
  return REQUESTS[name].response.parse(raw) as ResponseOf<K>;
}

async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const of = (runId: number, name: EventName) => events.filter((e) => e.name === name && e.payload.runId === runId).map((e) => e.payload);
const statuses = (runId: number) => of(runId, 'run.status').map((p) => p.status);
const lastStatus = (runId: number) => statuses(runId).at(-1);
const progressed = (store: RunStore, runId: number, n: number) => () => store.getRun(runId)!.iterationsDone >= n;

function snapshotBytes(store: RunStore, runId: number) {
  return store.snapshotSteps(runId).map((step) => {
    const s = store.snapshot(runId, step)!;
    return { step, metrics: s.metrics, arrays: s.arrays.map((a) => [a.name, a.shape, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64')]) };
  });
}

beforeAll(async () => {
  ({ app, workers, events } = openApp('host.db'));
  const ref = createRun(app.store, config(), 'reference');
  const summary = await trainRun(app.store, ref.id);
  expect(summary.status).toBe('finished');
  reference = app.store.lossSeries(ref.id);
  referenceSnapshots = snapshotBytes(app.store, ref.id);
  expect(reference).toHaveLength(60);
  const midRef = createRun(app.store, mid(), 'reference, mid-length');
  expect((await trainRun(app.store, midRef.id)).status).toBe('finished');
  midReference = app.store.lossSeries(midRef.id);
  midReferenceSnapshots = snapshotBytes(app.store, midRef.id);
  expect(midReference).toHaveLength(MID / 5);
});

afterAll(async () => {
  await app?.close();
});

describe('TrainerHost with trainer processes', () => {
  it('trains a run to the end, recording the whole history and reporting as it goes', async () => {
    const run = await call('runs.create', { config: config() });
    expect(run.status).toBe('running');
    await until('the run to finish', () => lastStatus(run.id) === 'finished');

    const row = app.store.getRun(run.id)!;
    expect(row).toMatchObject({ status: 'finished', iterationsDone: 300, lastCheckpoint: 300, error: null });
    expect(row.finishedAt).not.toBeNull();
    expect(row.msPerIteration).toBeGreaterThan(0);
    expect(['tensorflow', 'wasm', 'cpu', 'fused-js', 'fused-simd']).toContain(row.backend);

    const losses = app.store.lossSeries(run.id);
    expect(losses.map((l) => l.iteration)).toEqual(Array.from({ length: 60 }, (_, i) => i * 5));
    expect(losses).toEqual(reference); // a process of its own changes nothing in the history
    expect(app.store.snapshotSteps(run.id)).toEqual([0, 100, 200, 299]);
    expect(snapshotBytes(app.store, run.id)).toEqual(referenceSnapshots);
    expect(app.store.latestCheckpoint(run.id)!.iteration).toBe(300);

    // what was pushed: every loss once and in order, every snapshot, progress up to the end
    expect(of(run.id, 'run.losses').flatMap((p) => p.iterations as number[])).toEqual(losses.map((l) => l.iteration));
    expect(of(run.id, 'run.snapshot').map((p) => p.iteration)).toEqual([0, 100, 200, 299]);
    const progress = of(run.id, 'run.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ iterationsDone: 300, iterationsPlanned: 300 });
    expect(statuses(run.id)).toEqual(['running', 'finished']);
    expect(events.some((e) => e.name === 'runs.changed')).toBe(true);
    await until('the trainer process to exit', () => !app.host.isActive(run.id), 10_000);
  });

  it('as soon as a run is reported finished it is no longer training (it can be exported or extended at once)', async () => {
    const run = await call('runs.create', { config: config({ schedule: { iterations: 60, batchSize: 32 } }) });
    const outcome = await new Promise<string>((resolve) => {
      const off = app.subscribe((name, payload) => {
        const p = payload as { runId?: number; status?: string };
        if (name !== 'run.status' || p.runId !== run.id || p.status === 'running') return;
        off();
        // What a client does on hearing "finished": act on the run straight away.
        resolve(
          Promise.resolve()
            .then(() => app.dispatch('runs.exportBundle', { runId: run.id }))
            .then(
              () => 'exported',
              (err: Error) => err.message,
            ),
        );
      });
    });
    await until('the trainer process to exit', () => !app.host.isActive(run.id), 10_000);
    expect(outcome).toBe('exported');
  });

  it('pauses (iterations stop advancing) and resumes; a training run cannot be deleted or exported', async () => {
    const run = await call('runs.create', { config: long() });
    await until('some progress', progressed(app.store, run.id, 20));

    const paused = await call('runs.pause', { runId: run.id });
    expect(paused.status).toBe('paused');
    await sleep(300); // records already on their way still arrive
    const held = app.store.getRun(run.id)!.iterationsDone;
    await sleep(600);
    expect(app.store.getRun(run.id)!).toMatchObject({ status: 'paused', iterationsDone: held });
    expect(of(run.id, 'run.progress').every((p) => (p.iterationsDone as number) <= held)).toBe(true);

    for (const name of ['runs.delete', 'runs.exportBundle'] as const) {
      await expect(app.dispatch(name, { runId: run.id })).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/training/) });
    }
    const spawned = workers.length;
    expect((await call('runs.resume', { runId: run.id })).status).toBe('running');
    expect(workers).toHaveLength(spawned); // the same process continues; no second one starts

    await until('progress after resuming', progressed(app.store, run.id, held + 30));
    expect(app.store.getRun(run.id)!.status).toBe('running');

    const stopped = await call('runs.stop', { runId: run.id });
    expect(stopped.status).toBe('stopped');
    expect(statuses(run.id)).toEqual(['running', 'paused', 'running', 'stopped']);
    expect(app.host.isActive(run.id)).toBe(false);
  });

  it('stop keeps a checkpoint where it stopped, and a later resume gives the uninterrupted history', async () => {
    const run = await call('runs.create', { config: mid() });
    await until('some progress', progressed(app.store, run.id, 60));
    const stopped = await call('runs.stop', { runId: run.id });
    expect(stopped.status).toBe('stopped');
    expect(stopped.iterationsDone).toBeLessThan(MID);
    expect(stopped.lastCheckpoint).toBe(stopped.iterationsDone);
    expect(app.store.latestCheckpoint(run.id)!.iteration).toBe(stopped.iterationsDone);

    const resumed = await call('runs.resume', { runId: run.id });
    expect(resumed.status).toBe('running');
    await until('the resumed run to finish', () => lastStatus(run.id) === 'finished');
    expect(app.store.lossSeries(run.id)).toEqual(midReference);
    expect(snapshotBytes(app.store, run.id)).toEqual(midReferenceSnapshots);
    expect(app.store.getRun(run.id)).toMatchObject({ status: 'finished', iterationsDone: MID, lastCheckpoint: MID });
    await until('the trainer process to exit', () => !app.host.isActive(run.id), 10_000);
  });

  it('trains two runs at once, each to its own end', async () => {
    const a = await call('runs.create', { config: config() });
    const b = await call('runs.create', { config: config({ seed: 12 }) });
    expect(app.host.isActive(a.id) && app.host.isActive(b.id)).toBe(true);
    await until('both runs to finish', () => lastStatus(a.id) === 'finished' && lastStatus(b.id) === 'finished', 45_000);
    expect(app.store.lossSeries(a.id)).toEqual(reference);
    const lb = app.store.lossSeries(b.id);
    expect(lb.map((l) => l.iteration)).toEqual(reference.map((l) => l.iteration));
    expect(lb).not.toEqual(reference);
    await until('both trainer processes to exit', () => !app.host.isActive(a.id) && !app.host.isActive(b.id), 10_000);
  });

  it('a trainer process killed from outside leaves its run interrupted, and it resumes to the same history', async () => {
    const spawned = workers.length;
    const run = await call('runs.create', { config: mid() });
    expect(workers).toHaveLength(spawned + 1);
    await until('some progress', progressed(app.store, run.id, 60));
    workers.at(-1)!.kill();
    await until('the run to be marked interrupted', () => lastStatus(run.id) === 'interrupted', 10_000);

    const row = app.store.getRun(run.id)!;
    expect(row.status).toBe('interrupted');
    expect(row.error).toMatch(/trainer process/);
    expect(of(run.id, 'run.status').at(-1)).toMatchObject({ status: 'interrupted', error: row.error });
    expect(app.host.isActive(run.id)).toBe(false);

    await call('runs.resume', { runId: run.id });
    await until('the resumed run to finish', () => lastStatus(run.id) === 'finished');
    expect(app.store.lossSeries(run.id)).toEqual(midReference);
    expect(app.store.getRun(run.id)).toMatchObject({ status: 'finished', error: null, iterationsDone: MID });
    await until('the trainer process to exit', () => !app.host.isActive(run.id), 10_000);
  });

  it('closing the app stops its trainers cleanly: stopped with a checkpoint, not interrupted', async () => {
    const file = 'close.db';
    const other = openApp(file);
    const dispatch = other.app.dispatch;
    const a = (await dispatch('runs.create', { config: long() })) as { id: number };
    const b = (await dispatch('runs.create', { config: long() })) as { id: number };
    await until('both runs to train', () => progressed(other.app.store, a.id, 20)() && progressed(other.app.store, b.id, 20)());
    await dispatch('runs.pause', { runId: b.id });
    const c = (await dispatch('runs.create', { config: long() })) as { id: number }; // still starting when the app closes

    await other.app.close();
    const statusEvents = other.events.filter((e) => e.name === 'run.status').map((e) => e.payload.status);
    expect(statusEvents).not.toContain('interrupted');

    const store = openStore(path.join(dir, file));
    try {
      for (const id of [a.id, b.id, c.id]) {
        const row = store.getRun(id)!;
        expect(row, `run ${id}`).toMatchObject({ status: 'stopped', error: null });
        expect(row.lastCheckpoint, `run ${id}`).toBe(row.iterationsDone);
      }
      expect(store.getRun(a.id)!.iterationsDone).toBeGreaterThanOrEqual(20);
    } finally {
      store.close();
    }
  });
});
