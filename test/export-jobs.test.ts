/**
 * Long exports as jobs: a GIF or one file per step reports frames done up to the total, stops
 * within one frame of a cancel and leaves nothing behind, comes back as one zip for a browser,
 * and draws the same bytes on a worker thread as in-process. Over the contract: export.progress
 * events carry the request's jobId and exports.cancel stops it.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type GanLabApp } from '../src/main/app.js';
import { ExportCancelled, renderInProcess } from '../src/main/figures/render-job.js';
import { workerRenderer } from '../src/main/figures/worker-renderer.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { exportFigure, exportFigureBatch, exportFigureZip, exportGif } from '../src/main/service/figure-export.js';
import type { RunRow } from '../src/main/store/index.js';
import { ApiError, ExportStyleSchema, REQUESTS } from '../src/shared/contract.js';
import { gifFrames } from './helpers/images.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let app: GanLabApp;
let run: RunRow; // snapshots at 0, 50, 100, 150, 199
const style = ExportStyleSchema.parse({ width: 320, height: 200 });
const STEPS = [0, 50, 100, 150, 199];

beforeAll(async () => {
  app = createApp({ dbPath: path.join(dir, 'jobs.db'), transport: 'browser', spawnWorker: spawnNodeWorker });
  run = await finishedRun(app.store, { name: 'long export' });
}, 120_000);

afterAll(() => app?.close());

describe('progress and cancel', () => {
  it('a GIF reports each frame done, counting up to the total, and is the one-call GIF byte for byte', async () => {
    const seen: Array<[number, number]> = [];
    const file = await exportGif(app.store, run, { figure: 'samples' }, style, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual(STEPS.map((_, i) => [i + 1, STEPS.length]));
    expect(gifFrames(file.bytes)).toHaveLength(STEPS.length);
    expect(Buffer.from(file.bytes).equals(Buffer.from(exportFigure(app.store, run, { figure: 'samples' }, 'gif', style).bytes))).toBe(true);
  });

  it('a cancel stops within one frame and writes no folder', async () => {
    const root = path.join(dir, 'cancelled');
    const controller = new AbortController();
    const seen: number[] = [];
    const job = exportFigureBatch(app.store, run, { figure: 'features' }, 'png', style, root, {
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 2) controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(ExportCancelled);
    expect(seen).toEqual([1, 2]);
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
  });

  it('every step as one zip: one file per snapshot, the same bytes as the folder', async () => {
    const zip = await exportFigureZip(app.store, run, { figure: 'centroids' }, 'svg', style);
    expect([zip.fileName, zip.mime, zip.files]).toEqual(['long-export-centroids-every-step-svg.zip', 'application/zip', STEPS.length]);
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual(STEPS.map((s) => `step-${String(s).padStart(6, '0')}.svg`));
    const folder = await exportFigureBatch(app.store, run, { figure: 'centroids' }, 'svg', style, path.join(dir, 'folder'));
    for (const name of readdirSync(folder.directory)) expect(Buffer.from(entries[name]!).toString('utf8')).toContain('<svg');
  });
});

describe('the export worker', () => {
  const render = workerRenderer();

  it('draws the same bytes as the in-process path, with the same progress', async () => {
    const models = [0, 100, 199].map((step) => exportFigure(app.store, run, { figure: 'samples', step }, 'json', style)).map((f) => JSON.parse(Buffer.from(f.bytes).toString('utf8')).model);
    for (const job of [
      { kind: 'gif' as const, models, style },
      { kind: 'files' as const, format: 'png' as const, models, infos: models.map(() => ({})), style },
    ]) {
      const seen: number[] = [];
      const inWorker = await render(job, { onProgress: (done) => seen.push(done) });
      const inProcess = await renderInProcess(job);
      expect(seen).toEqual([1, 2, 3]);
      expect(inWorker).toHaveLength(inProcess.length);
      for (const [i, part] of inWorker.entries()) expect(part.equals(inProcess[i]!), `${job.kind} part ${i}`).toBe(true);
    }
  }, 60_000);

  it('stops within one frame of a cancel', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const job = exportGif(app.store, run, { figure: 'features' }, style, {
      render,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 1) controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(ExportCancelled);
    // the worker may have finished the frame it was drawing when the cancel arrived
    expect(seen.length).toBeLessThanOrEqual(2);
  }, 60_000);
});

describe('over the contract', () => {
  it('export.progress events carry the jobId and count up to the total; a browser gets every step as a zip', async () => {
    const events: unknown[] = [];
    const off = app.subscribe((name, payload) => name === 'export.progress' && events.push(payload));
    const raw = await app.dispatch('figures.exportBatch', { runId: run.id, figure: 'samples', format: 'csv', jobId: 'job-1' });
    off();
    const reply = REQUESTS['figures.exportBatch'].response.parse(raw);
    expect(reply).toMatchObject({ fileName: 'long-export-samples-every-step-csv.zip', files: STEPS.length });
    expect('base64' in reply && Object.keys(unzipSync(Buffer.from(reply.base64, 'base64')))).toHaveLength(STEPS.length);
    expect(events).toEqual(STEPS.map((_, i) => ({ jobId: 'job-1', done: i + 1, total: STEPS.length })));
  });

  it('exports.cancel stops a GIF export: the request fails as cancelled', async () => {
    const off = app.subscribe((name, payload) => {
      if (name === 'export.progress' && (payload as { jobId: string }).jobId === 'job-2') void app.dispatch('exports.cancel', { jobId: 'job-2' });
    });
    const err = await app.dispatch('figures.export', { runId: run.id, figure: 'samples', format: 'gif', jobId: 'job-2' }).then(
      () => null,
      (e: unknown) => e,
    );
    off();
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).kind, (err as ApiError).message]).toEqual(['cancelled', 'export cancelled']);
    // cancelling a job that has ended (or never was) is not an error
    expect(await app.dispatch('exports.cancel', { jobId: 'job-2' })).toEqual({ ok: true });
  });
});

const BUILT_WORKER = path.resolve(import.meta.dirname, '../out/main/render-worker.js');

describe.skipIf(!existsSync(BUILT_WORKER))('the built export worker (electron-vite output)', () => {
  it('draws the same GIF as in-process from out/main/render-worker.js', async () => {
    const models = [0, 199].map((step) => exportFigure(app.store, run, { figure: 'features', step }, 'json', style)).map((f) => JSON.parse(Buffer.from(f.bytes).toString('utf8')).model);
    const job = { kind: 'gif' as const, models, style };
    const [built] = await workerRenderer(BUILT_WORKER)(job);
    const [own] = await renderInProcess(job);
    expect(built!.equals(own!)).toBe(true);
  }, 60_000);
});
