/**
 * The contract's handlers without any transport: every request is validated against the contract
 * before its handler runs, every failure is an ApiError a person can read, every happy-path
 * response has the contract's shape, and a run bundle round-trips exactly (or is refused whole).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, REQUEST_NAMES, REQUESTS, type RequestName, type RequestOf, type ResponseOf } from '../src/shared/contract.js';
import { PRESET_NAMES } from '../src/shared/presets.js';
import { parseRunConfig, resolveRunConfig } from '../src/shared/validate.js';
import { createApp, type GanLabApp } from '../src/main/app.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { trainRun } from '../src/main/service/training.js';
import type { RunStore } from '../src/main/store/index.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
let app: GanLabApp;

/** Names whose happy-path response was checked against the contract in this file. */
const validated = new Set<RequestName>();

/** A request through dispatch, its response parsed with the contract's response schema. */
async function call<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const raw = await app.dispatch(name, payload);
  const parsed = REQUESTS[name].response.safeParse(raw);
  if (!parsed.success) throw new Error(`${name}: response does not match the contract: ${parsed.error.message}`);
  validated.add(name);
  return raw as ResponseOf<K>;
}

/** The ApiError a dispatch is rejected with (fails the test if it resolves). */
async function refusal(name: string, payload: unknown): Promise<ApiError> {
  try {
    await app.dispatch(name, payload);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.message).not.toMatch(/\n\s+at /); // no stack in what crosses a transport
    return e;
  }
  throw new Error(`${name} was accepted: ${JSON.stringify(payload)}`);
}

const tiny = (overrides: Record<string, unknown> = {}) =>
  resolveRunConfig({
    preset: 'article',
    overrides: {
      schedule: { iterations: 30, batchSize: 32 },
      recording: { lossEvery: 1, snapshotEvery: 10, checkpointEvery: 10, samples: 32, heatmapResolution: 8, manifoldResolution: 4 },
      seed: 5,
      ...overrides,
    },
  });

const runCount = (store: RunStore) => store.listRuns().length;

beforeAll(() => {
  app = createApp({ dbPath: path.join(dir, 'handlers.db'), transport: 'browser', spawnWorker: spawnNodeWorker });
});

afterAll(async () => {
  await app.close();
});

describe('presets, config checks and dataset previews', () => {
  it('presets.list returns both presets, completed with their defaults, recording intervals left to auto', async () => {
    const presets = await call('presets.list', {});
    expect(presets.map((p) => p.name)).toEqual([...PRESET_NAMES]);
    expect(PRESET_NAMES).toEqual(['article', 'published-code']);
    for (const p of presets) {
      expect(p.description.length).toBeGreaterThan(10);
      // 'auto' stays, so a form that shortens the run keeps about 100 snapshots; a run made from it resolves them
      expect(p.config).toMatchObject({ recording: { snapshotEvery: 'auto', lossEvery: 'auto' } });
      expect(parseRunConfig(p.config)).toEqual(resolveRunConfig({ preset: p.name }));
      // resolved: fields the preset leaves out are present with their defaults
      expect(p.config).toMatchObject({ seed: 1, noise: { dim: 2, distribution: 'uniform' }, recording: { samples: 512 } });
    }
    // the handler table answers directly too, with the same value
    expect(await app.handlers['presets.list']({})).toEqual(presets);
  });

  it('app.info names the transport and the database file', async () => {
    const info = await call('app.info', {});
    expect(info).toMatchObject({ transport: 'browser', dbPath: path.join(dir, 'handlers.db') });
    expect(info.appVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("config.check accepts the tutorial's nets and reports their architecture (G 354 parameters, D 357)", async () => {
    const res = await call('config.check', { config: { dataset: { kind: 'quadratic' } } });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.architecture.generatorParameters).toBe(354);
    expect(res.architecture.discriminatorParameters).toBe(357);
    expect(res.architecture.generator.map((l) => [l.input, l.output])).toEqual([[2, 16], [16, 16], [16, 2]]);
    expect(res.architecture.discriminator.map((l) => [l.input, l.output])).toEqual([[2, 16], [16, 16], [16, 2], [2, 1]]);
    expect(res.config).toEqual(resolveRunConfig({ file: { dataset: { kind: 'quadratic' } } }));
  });

  it('config.check reports each bad value and unknown key at its field path', async () => {
    const res = await call('config.check', {
      config: { schedule: { batchSzie: 64, iterations: 0 }, seed: -3, generator: { hidden: [{ units: 'many' }] } },
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const byPath = new Map(res.errors.map((e) => [e.path, e.message]));
    expect(byPath.get('schedule.batchSzie')).toBe('unknown field');
    expect(byPath.get('schedule.iterations')).toBe('Iterations must be a whole number from 1 to 100 000 000');
    expect(byPath.has('seed')).toBe(true);
    expect(byPath.has('generator.hidden.0.units')).toBe(true);
    expect(res.errors).toHaveLength(4);
  });

  it("config.check reports a formula that cannot be sampled at path 'dataset'", async () => {
    const res = await call('config.check', { config: { dataset: { kind: 'formula', expression: '10 + x^' } } });
    expect(res).toMatchObject({ ok: false, errors: [{ path: 'dataset' }] });
    if (res.ok) return;
    expect(res.errors[0]!.message.length).toBeGreaterThan(5);
    // runs.create refuses the same config as invalid, before any run exists
    const before = runCount(app.store);
    const err = await refusal('runs.create', { config: { dataset: { kind: 'formula', expression: '10 + x^' } }, start: false });
    expect(err.kind).toBe('invalid');
    expect(runCount(app.store)).toBe(before);
  });

  it('dataset.preview returns count*2 numbers inside the bounds, the same for the same seed', async () => {
    const a = await call('dataset.preview', { dataset: { kind: 'quadratic' }, count: 300, seed: 4 });
    expect(a.points).toHaveLength(600);
    expect(a.bounds).toEqual({ xMin: -50, xMax: 50, yMin: 10, yMax: 2510 });
    for (let i = 0; i < a.points.length; i += 2) {
      expect(a.points[i]).toBeGreaterThanOrEqual(a.bounds.xMin);
      expect(a.points[i]).toBeLessThanOrEqual(a.bounds.xMax);
      expect(a.points[i + 1]).toBeGreaterThanOrEqual(a.bounds.yMin);
      expect(a.points[i + 1]).toBeLessThanOrEqual(a.bounds.yMax);
    }
    expect(await call('dataset.preview', { dataset: { kind: 'quadratic' }, count: 300, seed: 4 })).toEqual(a);
    expect((await call('dataset.preview', { dataset: { kind: 'quadratic' }, count: 300, seed: 5 })).points).not.toEqual(a.points);
    // count defaults to 500
    expect((await call('dataset.preview', { dataset: { kind: 'two-curves' } })).points).toHaveLength(1000);
  });
});

describe('run records', () => {
  it('runs.create with start:false, then get, rename, setTags (deduplicated), list and delete', async () => {
    const events: string[] = [];
    const off = app.subscribe((name) => events.push(name));
    const created = await call('runs.create', { config: tiny(), name: 'first', start: false });
    expect(created).toMatchObject({ name: 'first', status: 'created', dataset: 'quadratic', seed: 5, iterationsDone: 0, iterationsPlanned: 30 });
    expect(app.host.isActive(created.id)).toBe(false);

    const detail = await call('runs.get', { runId: created.id });
    expect(detail.config).toEqual(tiny());
    expect(detail.id).toBe(created.id);

    expect((await call('runs.rename', { runId: created.id, name: '  renamed  ' })).name).toBe('renamed');
    expect((await call('runs.setTags', { runId: created.id, tags: ['a', 'b', 'a', ' b ', 'c'] })).tags).toEqual(['a', 'b', 'c']);
    expect((await call('runs.get', { runId: created.id })).tags).toEqual(['a', 'b', 'c']);
    expect((await call('runs.list', {})).map((r) => r.id)).toContain(created.id);

    expect(await call('runs.delete', { runId: created.id })).toEqual({ ok: true });
    for (const name of ['runs.get', 'runs.rename', 'runs.delete', 'runs.losses'] as const) {
      const err = await refusal(name, name === 'runs.rename' ? { runId: created.id, name: 'x' } : { runId: created.id });
      expect(err.kind, name).toBe('not-found');
      expect(err.message).toContain(String(created.id));
    }
    off();
    // create, rename, setTags and delete each told the windows that runs changed
    expect(events.filter((e) => e === 'runs.changed')).toHaveLength(4);
  });

  it('a run with no records yet has empty losses and no snapshot steps', async () => {
    const run = await call('runs.create', { config: tiny(), start: false });
    expect(await call('runs.losses', { runId: run.id })).toEqual({ iterations: [], dLoss: [], gLoss: [] });
    expect(await call('runs.snapshotSteps', { runId: run.id })).toEqual([]);
    const err = await refusal('runs.snapshot', { runId: run.id, step: 0 });
    expect(err.kind).toBe('not-found');
  });
});

describe('a run trained in-process', () => {
  let runId: number;

  beforeAll(async () => {
    const run = await call('runs.create', { config: tiny(), name: 'trained', start: false });
    runId = run.id;
    const summary = await trainRun(app.store, runId);
    expect(summary.status).toBe('finished');
  });

  it('app.info names the engine that trained this run (fused-simd here), and the tfjs backend under GAN_LAB_ENGINE=tfjs', async () => {
    const trainedOn = app.store.getRun(runId)!.backend;
    expect(trainedOn).toMatch(/^fused-/);
    expect((await call('app.info', {})).backend).toBe(trainedOn);
    vi.stubEnv('GAN_LAB_ENGINE', 'tfjs');
    try {
      const tfjsRun = await call('runs.create', { config: tiny({ schedule: { iterations: 2, batchSize: 32 } }), name: 'on tfjs', start: false });
      await trainRun(app.store, tfjsRun.id);
      const tfjsBackend = app.store.getRun(tfjsRun.id)!.backend;
      expect(tfjsBackend).not.toMatch(/^fused-/);
      expect((await call('app.info', {})).backend).toBe(tfjsBackend);
      await call('runs.delete', { runId: tfjsRun.id });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('runs.losses gives the whole series, and from a given iteration on', async () => {
    const losses = await call('runs.losses', { runId });
    expect(losses.iterations).toEqual([...Array(30).keys()]);
    const stored = app.store.lossSeries(runId);
    expect(losses.dLoss).toEqual(stored.map((l) => l.dLoss));
    expect(losses.gLoss).toEqual(stored.map((l) => l.gLoss));
    const tail = await call('runs.losses', { runId, from: 25 });
    expect(tail.iterations).toEqual([25, 26, 27, 28, 29]);
    expect(tail.dLoss).toEqual(losses.dLoss.slice(25));
  });

  it("runs.claims judges the tutorial's claims at a chosen snapshot, or the newest", async () => {
    const newest = await call('runs.claims', { runId });
    expect(newest.map((c) => c.id)).toEqual(['real-features-still', 'fake-centroid-approaches', 'd-output-half', 'losses-balance']);
    expect(newest[0]).toMatchObject({ id: 'real-features-still', outcome: 'holds' });
    const early = await call('runs.claims', { runId, step: 10 });
    const stored = app.store.snapshot(runId, 10, [])!.metrics;
    expect(early[1]!.shows).toContain(String(Number(stored['claim.centroidGapBeforeG']!.toPrecision(3))));
  });

  it('runs.snapshotSteps and runs.snapshot (whole, or only the named arrays)', async () => {
    expect(await call('runs.snapshotSteps', { runId })).toEqual([0, 10, 20, 29]);
    const snap = await call('runs.snapshot', { runId, step: 10 });
    expect(snap.iteration).toBe(10);
    const stored = app.store.snapshot(runId, 10)!;
    expect(snap.arrays.map((a) => a.name)).toEqual(stored.arrays.map((a) => a.name));
    for (const [i, a] of snap.arrays.entries()) {
      expect(a.shape).toEqual(stored.arrays[i]!.shape);
      expect(a.data).toEqual(Array.from(stored.arrays[i]!.data));
    }
    expect(snap.metrics).toEqual(stored.metrics);
    const real = snap.arrays.find((a) => a.name === 'real')!;
    expect(real.shape).toEqual([32, 2]);

    const some = await call('runs.snapshot', { runId, step: 10, names: ['heatmap', 'real'] });
    expect(some.arrays.map((a) => a.name).sort()).toEqual(['heatmap', 'real']);
    expect(some.arrays.find((a) => a.name === 'heatmap')!.shape).toEqual([8, 8]);

    const missing = await refusal('runs.snapshot', { runId, step: 11 });
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toMatch(/step 11/);
  });

  it('figures.model, figures.export and figures.exportBatch draw from the same model', async () => {
    const model = await call('figures.model', { runId, figure: 'features', step: 10, phase: 'overlay-g' });
    expect(model).toMatchObject({ figure: 'features', step: 10, title: "D's feature space" });
    const json = await call('figures.export', { runId, figure: 'features', step: 10, phase: 'overlay-g', format: 'json' });
    expect([json.fileName, json.mime]).toEqual(['trained-features-step-10-overlay-g.json', 'application/json']);
    expect(JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')).model).toEqual(model);
    const png = await call('figures.export', { runId, figure: 'samples', format: 'png', style: { scale: 2, width: 300, height: 200 } });
    expect(png.fileName).toBe('trained-samples-step-29.png');
    const bytes = Buffer.from(png.base64, 'base64');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([600, 400]); // the PNG header's size
    const gif = await refusal('figures.export', { runId, figure: 'losses', format: 'gif' });
    expect([gif.kind, gif.message]).toEqual(['conflict', expect.stringMatching(/^losses cannot be a GIF/)]);
    // browser mode never writes on the server: every step comes back as one zip to download
    const batch = await call('figures.exportBatch', { runId, figure: 'centroids', format: 'csv' });
    if (!('base64' in batch)) throw new Error('browser mode answers with a zip, not a folder');
    expect(batch).toMatchObject({ mime: 'application/zip', files: 4 });
    expect(Object.keys(unzipSync(Buffer.from(batch.base64, 'base64'))).length).toBe(4);
    expect(existsSync(path.join(dir, 'exports'))).toBe(false);
    // cancelling a job that has ended (or never ran) is no error
    expect(await call('exports.cancel', { jobId: 'ended-job' })).toEqual({ ok: true });
  });

  it('carries NaN and infinities as null in losses, snapshot arrays and metrics', async () => {
    const run = await call('runs.create', { config: tiny(), start: false });
    app.store.writeRecords(run.id, {
      losses: [
        { iteration: 0, dLoss: 0.5, gLoss: Number.NaN },
        { iteration: 1, dLoss: Number.POSITIVE_INFINITY, gLoss: Number.NEGATIVE_INFINITY },
      ],
      snapshots: [
        {
          iteration: 0,
          arrays: [{ name: 'real', shape: [2, 2], data: Float32Array.of(1, Number.NaN, Number.POSITIVE_INFINITY, -2) }],
          metrics: { mmd2: Number.NaN, xCoverage: 0.25, slicedWasserstein: Number.POSITIVE_INFINITY },
        },
      ],
      iterationsDone: 2,
    });
    expect(await call('runs.losses', { runId: run.id })).toEqual({ iterations: [0, 1], dLoss: [0.5, null], gLoss: [null, null] });
    const snap = await call('runs.snapshot', { runId: run.id, step: 0 });
    expect(snap.arrays[0]!.data).toEqual([1, null, null, -2]);
    expect(snap.metrics).toEqual({ mmd2: null, xCoverage: 0.25, slicedWasserstein: null });
    // and what is returned survives JSON unchanged (no NaN turning silently into null on the way)
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    await call('runs.delete', { runId: run.id });
  });

  it('runs.exportBundle then runs.importBundle gives a new run with identical records', async () => {
    const before = runCount(app.store);
    const bundle = await call('runs.exportBundle', { runId });
    expect(bundle.fileName).toBe('trained.ganrun');
    const outcome = await call('runs.importBundle', { base64: bundle.base64, onDuplicate: 'copy' });
    if (outcome.outcome !== 'imported') throw new Error(`expected an import, got ${outcome.outcome}`);
    const imported = outcome.run;
    expect(runCount(app.store)).toBe(before + 1);
    expect(imported.id).not.toBe(runId);

    const a = await call('runs.get', { runId });
    const b = await call('runs.get', { runId: imported.id });
    // the same run, imported again as a copy: its dates are the original's, its name says copy
    const { id: _a, name: nameA, ...restA } = a;
    const { id: _b, name: nameB, ...restB } = b;
    expect(restB).toEqual(restA);
    expect(nameB).toBe(`${nameA} (copy)`);
    expect(b).toMatchObject({ status: 'finished', iterationsDone: 30, lastCheckpoint: 30 });

    expect(await call('runs.losses', { runId: imported.id })).toEqual(await call('runs.losses', { runId }));
    expect(app.store.lossSeries(imported.id)).toEqual(app.store.lossSeries(runId));
    const steps = await call('runs.snapshotSteps', { runId });
    expect(await call('runs.snapshotSteps', { runId: imported.id })).toEqual(steps);
    for (const step of steps) {
      const sa = app.store.snapshot(runId, step)!;
      const sb = app.store.snapshot(imported.id, step)!;
      expect(sb.metrics).toEqual(sa.metrics);
      expect(sb.arrays.map((x) => [x.name, x.shape])).toEqual(sa.arrays.map((x) => [x.name, x.shape]));
      for (const [i, x] of sb.arrays.entries()) expect(Buffer.from(x.data.buffer).equals(Buffer.from(sa.arrays[i]!.data.buffer))).toBe(true);
    }
    const ca = app.store.latestCheckpoint(runId)!;
    const cb = app.store.latestCheckpoint(imported.id)!;
    expect(cb.iteration).toBe(ca.iteration);
    expect(Buffer.from(cb.state).equals(Buffer.from(ca.state))).toBe(true);
  });

  it('a run with no records yet round-trips too', async () => {
    const run = await call('runs.create', { config: tiny(), name: 'empty one', start: false });
    const bundle = await call('runs.exportBundle', { runId: run.id });
    const outcome = await call('runs.importBundle', { base64: bundle.base64, onDuplicate: 'copy' });
    if (outcome.outcome !== 'imported') throw new Error(`expected an import, got ${outcome.outcome}`);
    const imported = outcome.run;
    expect(imported).toMatchObject({ name: 'empty one (copy)', status: 'created', iterationsDone: 0, lastCheckpoint: null });
    expect(await call('runs.losses', { runId: imported.id })).toEqual({ iterations: [], dLoss: [], gLoss: [] });
  });

  describe('refuses a broken bundle with a clear message and leaves the database unchanged', () => {
    let files: Record<string, Uint8Array>;

    beforeAll(async () => {
      const bundle = await call('runs.exportBundle', { runId });
      files = unzipSync(new Uint8Array(Buffer.from(bundle.base64, 'base64')));
    });

    interface RawManifest {
      [key: string]: unknown;
      arrays: Array<{ name: string; file: string }>;
      run: { config: Record<string, unknown> };
    }
    const manifest = () => JSON.parse(strFromU8(files['manifest.json']!)) as RawManifest;
    const zip = (f: Record<string, Uint8Array>) => Buffer.from(zipSync(f)).toString('base64');

    async function refused(base64: string, message: RegExp): Promise<void> {
      const count = runCount(app.store);
      const err = await refusal('runs.importBundle', { base64 });
      expect(err.message).toMatch(/^bundle: /);
      expect(err.message).toMatch(message);
      expect(err.kind).not.toBe('internal');
      expect(runCount(app.store)).toBe(count);
    }

    it('garbage', async () => {
      await refused(Buffer.from('this is not a zip archive, only some text to import').toString('base64'), /not a \.ganrun file/);
    });

    it('a zip without a manifest', async () => {
      const { 'manifest.json': _, ...rest } = files;
      await refused(zip(rest), /manifest\.json is missing/);
    });

    it('a manifest of another format version', async () => {
      await refused(zip({ ...files, 'manifest.json': strToU8(JSON.stringify({ ...manifest(), format: 99 })) }), /format 99 is not supported.*format 1/);
    });

    it('a manifest that is not JSON, or not of the right shape', async () => {
      await refused(zip({ ...files, 'manifest.json': strToU8('{ "format": 1, ') }), /not valid JSON/);
      const { checkpoints: _, ...noCheckpoints } = manifest();
      await refused(zip({ ...files, 'manifest.json': strToU8(JSON.stringify(noCheckpoints)) }), /manifest: .*checkpoints/);
    });

    it('an array file cut short', async () => {
      const entry = manifest().arrays.find((e) => e.name === 'losses.d')!;
      const cut = files[entry.file]!.slice(0, files[entry.file]!.length - 3);
      await refused(zip({ ...files, [entry.file]: cut }), new RegExp(`${entry.file.replace('.', '\\.')} holds ${cut.length} bytes`));
    });

    it('an array file that is missing', async () => {
      const entry = manifest().arrays.find((e) => e.name.startsWith('checkpoint.'))!;
      const { [entry.file]: _, ...rest } = files;
      await refused(zip(rest), /missing file/);
    });

    it('a run whose configuration is not valid', async () => {
      const m = manifest();
      m.run.config = { ...m.run.config, schedule: { batchSzie: 3 } };
      const count = runCount(app.store);
      const err = await refusal('runs.importBundle', { base64: zip({ ...files, 'manifest.json': strToU8(JSON.stringify(m)) }) });
      expect(err.kind).toBe('invalid');
      expect(err.message).toMatch(/schedule\.batchSzie: unknown field/);
      expect(runCount(app.store)).toBe(count);
    });
  });
});

describe('comparing runs', () => {
  let ids: number[];

  beforeAll(async () => {
    ids = [];
    for (const seed of [5, 6]) {
      const run = await call('runs.create', { config: tiny({ seed }), name: `compare seed ${seed}`, start: false });
      await trainRun(app.store, run.id);
      ids.push(run.id);
    }
  });

  it('compare.summary gives each run in colour order, only what differs in the configurations, and the seed group', async () => {
    const s = await call('compare.summary', { runIds: ids });
    expect(s.runs.map((r) => [r.name, r.color])).toEqual([
      ['compare seed 5', 'run0'],
      ['compare seed 6', 'run1'],
    ]);
    expect(s.runs[0]!.snapshotSteps).toEqual([0, 10, 20, 29]);
    expect(s.configDiff).toEqual([{ path: 'seed', values: ['5', '6'] }]);
    expect(s.seedGroups).toEqual([ids]);
    const unknown = await refusal('compare.summary', { runIds: [ids[0], 99_999] });
    expect(unknown.kind).toBe('not-found');
    expect(unknown.message).toBe('unknown run "99999"');
  });

  it('compare.model overlays one loss per run, or the seeds as a mean over a band', async () => {
    const m = await call('compare.model', { runIds: ids, series: 'gLoss', smoothing: 0.5 });
    expect(m.series.filter((s) => !s.hideInLegend).map((s) => s.label)).toEqual(['compare seed 5 (smoothed 0.5)', 'compare seed 6 (smoothed 0.5)']);
    const band = await call('compare.model', { runIds: ids, groupSeeds: true });
    expect(band.series.map((s) => s.style)).toEqual(['faint', 'band', 'line']);
    expect((await refusal('compare.model', { runIds: ids, series: 'wLoss' })).message).toMatch(/dLoss or gLoss, not "wLoss"/);
  });

  it('compare.export draws the overlaid chart into a file', async () => {
    const file = await call('compare.export', { runIds: ids, format: 'svg' });
    expect(file.mime).toBe('image/svg+xml');
    expect(file.fileName).toBe(`compare-runs-${ids.join('-')}-dLoss.svg`);
    expect(Buffer.from(file.base64, 'base64').toString('utf8')).toContain('compare seed 6');
  });
});

/**
 * For each request: payloads the contract must refuse, each with the field path its message must
 * name. Every request needs an entry, so a new one cannot be added without its malformed cases.
 */
const MALFORMED: Record<RequestName, Array<[payload: unknown, field: string]>> = {
  'app.info': [[{ bogus: 1 }, 'bogus']],
  'presets.list': [[{ bogus: 1 }, 'bogus']],
  'config.check': [[{ config: {}, bogus: 1 }, 'bogus']],
  'dataset.preview': [
    [{ dataset: { kind: 'nope' } }, 'dataset.kind'],
    [{ dataset: { kind: 'ring' }, count: 'many' }, 'count'],
    [{ dataset: { kind: 'ring' }, count: 0 }, 'count'],
    [{ dataset: { kind: 'ring' }, seed: -1 }, 'seed'],
    [{ count: 5 }, 'dataset'],
  ],
  'runs.list': [[{ bogus: 1 }, 'bogus']],
  'runs.get': [
    [{ runId: 'one' }, 'runId'],
    [{ runId: 1.5 }, 'runId'],
    [{}, 'runId'],
  ],
  'runs.create': [
    [{ config: {}, name: 5 }, 'name'],
    [{ config: {}, name: '   ' }, 'name'],
    [{ config: {}, start: 'yes' }, 'start'],
  ],
  'runs.createSweep': [
    [{ config: {}, seeds: [1] }, 'seeds'],
    [{ config: {}, seeds: [1, 'two'] }, 'seeds.1'],
    [{ config: {}, seeds: [1, 2], bogus: 1 }, 'bogus'],
  ],
  'runs.resume': [
    [{ runId: 1, until: 'later' }, 'until'],
    [{ runId: 0 }, 'runId'],
  ],
  'runs.pause': [[{ runId: '1' }, 'runId']],
  'runs.stop': [[{ runId: null }, 'runId']],
  'runs.rename': [
    [{ runId: 1, name: 3 }, 'name'],
    [{ runId: 1, name: '' }, 'name'],
    [{ runId: 1 }, 'name'],
  ],
  'runs.setTags': [
    [{ runId: 1, tags: 'a' }, 'tags'],
    [{ runId: 1, tags: [''] }, 'tags.0'],
    [{ runId: 1, tags: [7] }, 'tags.0'],
  ],
  'runs.delete': [[{ runId: -2 }, 'runId']],
  'runs.losses': [
    [{ runId: 1, from: -1 }, 'from'],
    [{ runId: 1, from: 'start' }, 'from'],
  ],
  'runs.snapshotSteps': [[{ runId: [1] }, 'runId']],
  'figures.model': [
    [{ runId: 1, figure: 'pie' }, 'figure'],
    [{ runId: 1, figure: 'features', phase: 'sideways' }, 'phase'],
    [{ runId: 1, figure: 'samples', layers: { heatmap: 'yes' } }, 'layers.heatmap'],
    [{ runId: 1, figure: 'losses', smoothing: 1 }, 'smoothing'],
    [{ runId: 1 }, 'figure'],
  ],
  'figures.export': [
    [{ runId: 1, figure: 'losses', format: 'bmp' }, 'format'],
    [{ runId: 1, figure: 'losses', format: 'png', style: { scale: 5 } }, 'style.scale'],
    [{ runId: 1, figure: 'losses', format: 'png', style: { background: 'pink' } }, 'style.background'],
    [{ runId: 1, figure: 'samples', format: 'gif', style: { fps: 0 } }, 'style.fps'],
  ],
  'figures.exportBatch': [
    [{ runId: 1, figure: 'samples', format: 'gif' }, 'format'],
    [{ runId: 1, format: 'png' }, 'figure'],
  ],
  'compare.summary': [
    [{ runIds: [1] }, 'runIds'],
    [{ runIds: [1, 2, 3, 4, 5] }, 'runIds'],
    [{ runIds: [1, 1] }, 'runIds'],
  ],
  'compare.model': [
    [{ runIds: [1, 2], axis: 'wall' }, 'axis'],
    [{ runIds: [1, 2], smoothing: -0.1 }, 'smoothing'],
    [{ runIds: [1, 'b'] }, 'runIds.1'],
  ],
  'compare.export': [
    [{ runIds: [1, 2], format: 'gif' }, 'format'],
    [{ runIds: [1, 2], format: 'png', style: { scale: 0 } }, 'style.scale'],
  ],
  'runs.claims': [
    [{ runId: 1, step: -1 }, 'step'],
    [{ runId: 'one' }, 'runId'],
  ],
  'runs.snapshot': [
    [{ runId: 1, step: '0' }, 'step'],
    [{ runId: 1 }, 'step'],
    [{ runId: 1, step: 0, names: 'real' }, 'names'],
  ],
  'runs.exportBundle': [[{ runId: {} }, 'runId']],
  'exports.cancel': [
    [{}, 'jobId'],
    [{ jobId: '' }, 'jobId'],
    [{ jobId: 'x'.repeat(65) }, 'jobId'],
  ],
  'runs.importBundle': [
    [{ base64: 'AA==', onDuplicate: 'maybe' }, 'onDuplicate'],
    [{ base64: 7 }, 'base64'],
    [{ base64: '' }, 'base64'],
    [{}, 'base64'],
  ],
};

describe('the contract guards every request', () => {
  it('has malformed cases for every request name', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual([...REQUEST_NAMES].sort());
  });

  it.each(REQUEST_NAMES)('%s refuses malformed payloads as invalid, naming the request and the field, without running its handler', async (name) => {
    const handler = vi.spyOn(app.handlers, name);
    try {
      const cases: Array<[unknown, string]> = [[{ bogus: 1 }, 'bogus'], ...MALFORMED[name]];
      for (const [payload, field] of cases) {
        const err = await refusal(name, payload);
        expect(err.kind, JSON.stringify(payload)).toBe('invalid');
        expect(err.message, JSON.stringify(payload)).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
        expect(err.message, JSON.stringify(payload)).toMatch(new RegExp(`(^|[ ;])${field.replace(/\./g, '\\.')}: `));
      }
      expect(handler).not.toHaveBeenCalled();
    } finally {
      handler.mockRestore();
    }
  });

  it.each(REQUEST_NAMES)('%s refuses a payload that is not an object', async (name) => {
    for (const payload of ['text', 42, [1, 2], true]) {
      const err = await refusal(name, payload);
      expect(err.kind).toBe('invalid');
      expect(err.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: .*expected object`));
    }
  });

  it('does not call a request payload that is not an object "(config)"', async () => {
    // The payload of runs.get is not a run configuration; naming it one misleads whoever reads the message.
    const messages = await Promise.all(REQUEST_NAMES.map(async (name) => (await refusal(name, 'text')).message));
    expect(messages.filter((m) => m.includes('(config)'))).toEqual([]);
  });

  it('refuses an unknown request name, including names every object inherits', async () => {
    for (const name of ['runs.explode', '', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const err = await refusal(name, {});
      expect(err.kind).toBe('invalid');
      expect(err.message).toBe(`unknown request "${name}"`);
    }
  });

  it('turns a failure inside a handler into an internal ApiError without its stack', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = vi.spyOn(app.handlers, 'runs.list').mockImplementation(() => {
      throw new TypeError('cannot read properties of undefined (reading "x")');
    });
    try {
      const err = await refusal('runs.list', {});
      expect(err.kind).toBe('internal');
      expect(err.message).toBe('internal error: cannot read properties of undefined (reading "x")');
      expect(quiet).toHaveBeenCalled(); // the stack goes to the log, not to the window
    } finally {
      handler.mockRestore();
      quiet.mockRestore();
    }
  });

  it('validated every happy-path response against the contract (all but the trainer-process requests)', () => {
    const needProcesses: RequestName[] = ['runs.resume', 'runs.pause', 'runs.stop', 'runs.createSweep']; // see trainer-host.test.ts, sweep.test.ts
    expect([...validated].sort()).toEqual(REQUEST_NAMES.filter((n) => !needProcesses.includes(n)).sort());
  });
});
