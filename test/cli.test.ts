/**
 * The `gan-lab` command as a person runs it: real processes, real database files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../src/main/electron-runtime.js';
import { openStore } from '../src/main/store/index.js';
import { cli, cliJson, cliSpawn } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'cli.db');
const quick = ['--set', 'schedule.batchSize=32', '--set', 'recording.snapshotEvery=20', '--set', 'recording.lossEvery=10', '--set', 'recording.checkpointEvery=20', '--set', 'recording.samples=64'];

interface Summary {
  runId: number;
  status: string;
  backend: string;
  iterations: number;
  msPerIteration: number;
  final: { dLoss: number; gLoss: number };
  metrics: Record<string, number>;
  claims: Array<{ id: string; predicts: string; shows: string; outcome: string }>;
}

/** One clear line on stderr, no stack trace, a non-zero exit. */
function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('gan-lab train / runs / show / export / delete', () => {
  let runId = 0;

  it('train --json prints the summary with backend, speed, final losses and metrics', () => {
    const s = cliJson<Summary>(['train', '--preset', 'article', '--iterations', '45', '--seed', '3', '--name', 'cli run', '--db', db, ...quick]);
    expect(s).toMatchObject({ status: 'finished', iterations: 45 });
    expect(['tensorflow', 'wasm', 'cpu', 'fused-js', 'fused-simd']).toContain(s.backend);
    expect(s.msPerIteration).toBeGreaterThan(0);
    expect(Number.isFinite(s.final.dLoss) && Number.isFinite(s.final.gLoss)).toBe(true);
    expect(Object.keys(s.metrics)).toEqual(expect.arrayContaining(['onCurveFraction', 'xCoverage', 'slicedWasserstein', 'mmd2']));
    // the tutorial's claims, checked on this run; D does not change across a G step, so the first holds
    expect(s.claims.map((c) => c.id)).toEqual(['real-features-still', 'fake-centroid-approaches', 'd-output-half', 'losses-balance']);
    expect(s.claims[0]).toMatchObject({ id: 'real-features-still', outcome: 'holds' });
    runId = s.runId;
  });

  it('the published-code preset runs its 50:50 loop', () => {
    const s = cliJson<Summary>(['train', '--preset', 'published-code', '--iterations', '3', '--db', db, '--set', 'recording.samples=64']);
    expect(s).toMatchObject({ status: 'finished', iterations: 3 });
    const store = openStore(db, { readonly: true });
    const run = store.getRun(s.runId)!;
    expect(run.config).toMatchObject({ schedule: { dSteps: 50, gSteps: 50, freshBatchPerStep: false } });
    // recording left to auto: three iterations, a snapshot at each
    expect(store.snapshotSteps(s.runId)).toEqual([0, 1, 2]);
    store.close();
  });

  it('runs and show --json describe the run', () => {
    const runs = cliJson<Array<{ id: number; name: string }>>(['runs', '--db', db]);
    expect(runs.map((r) => r.id)).toContain(runId);
    const shown = cliJson<Record<string, unknown>>(['show', String(runId), '--db', db]);
    expect(shown).toMatchObject({ id: runId, name: 'cli run', status: 'finished', iterationsDone: 45, iterationsPlanned: 45, lastCheckpoint: 45, seed: 3 });
    expect(shown.config).toMatchObject({ seed: 3, schedule: { iterations: 45, batchSize: 32 } });
    expect(['tensorflow', 'wasm', 'cpu', 'fused-js', 'fused-simd']).toContain(shown.backend);
    // by name too, and as a table for people
    expect(cliJson<{ id: number }>(['show', 'cli run', '--db', db]).id).toBe(runId);
    const table = cli(['runs', '--db', db]);
    expect(table.stdout).toMatch(/cli run\s+finished\s+article\s+quadratic\s+45\/45/); // the preset column
  });

  it('export writes the data behind each figure, read off the figure itself, as CSV and JSON', () => {
    const losses = path.join(dir, 'losses.csv');
    expect(cli(['export', String(runId), '--figure', 'losses', '--format', 'csv', '--out', losses, '--db', db]).code).toBe(0);
    const lines = readFileSync(losses, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('series,x,y');
    expect(lines.filter((l) => l.startsWith('D loss,')).map((l) => Number(l.split(',')[1]))).toEqual([0, 10, 20, 30, 40]);

    const samples = JSON.parse(cli(['export', String(runId), '--figure', 'samples', '--format', 'json', '--step', '20', '--out', '-', '--db', db]).stdout);
    expect(samples.model.step).toBe(20);
    expect(samples.meta.run).toMatchObject({ id: runId, name: 'cli run' });
    const points = (label: string) => samples.model.series.find((s: { label: string }) => s.label === label).points;
    expect(points('real samples')).toHaveLength(64);
    expect(points('generated samples')).toHaveLength(64);

    const features = cli(['export', String(runId), '--figure', 'features', '--phase', 'after-d', '--out', '-', '--db', db]).stdout.trim().split('\n');
    expect(features[0]).toBe('series,x,y');
    // 64 real and 64 generated points, and their two centroids
    expect(features).toHaveLength(1 + 128 + 2);

    const centroids = JSON.parse(cli(['export', String(runId), '--figure', 'centroids', '--format', 'json', '--out', '-', '--db', db]).stdout);
    expect(centroids.model.series[0]).toMatchObject({ label: 'real centroid path (after G step)' });
    expect(centroids.model.series[0].points).toHaveLength(4); // snapshots at 0, 20, 40, 44

    const metrics = cli(['export', String(runId), '--figure', 'metrics', '--out', '-', '--db', db]).stdout.trim().split('\n');
    expect(new Set(metrics.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['MMD² ↓', 'On-curve fraction ↑', 'Sliced Wasserstein ↓', 'x-coverage ↑']));
    expect(metrics).toHaveLength(1 + 4 * 4);
  });

  it('train --seeds trains a sweep in trainer processes, from any folder (not only the project)', () => {
    const elsewhere = tempDir();
    const r = cli(['train', '--preset', 'article', '--iterations', '25', '--seeds', '11-12', '--db', path.join(elsewhere, 'sweep.db'), '--json', ...quick], {}, elsewhere);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sweep = JSON.parse(r.stdout) as { sweepId: string; seeds: number[]; runs: Summary[] };
    expect(sweep.seeds).toEqual([11, 12]);
    expect(sweep.runs.map((run) => run.status)).toEqual(['finished', 'finished']);
    expect(sweep.runs.every((run) => run.iterations === 25)).toBe(true);
  });

  it('delete removes the run and its records', () => {
    const victim = cliJson<Summary>(['train', '--iterations', '5', '--db', db, ...quick]);
    expect(cliJson<{ deleted: number }>(['delete', String(victim.runId), '--db', db]).deleted).toBe(victim.runId);
    expectOneLineError(cli(['show', String(victim.runId), '--db', db]), /unknown run "\d+"/);
  });

  it('running the same command twice gives identical loss series', () => {
    const args = ['train', '--preset', 'article', '--iterations', '40', '--seed', '11', '--db', db, ...quick];
    const a = cliJson<Summary>(args);
    const b = cliJson<Summary>(args);
    const la = cli(['export', String(a.runId), '--figure', 'losses', '--format', 'csv', '--out', '-', '--db', db]).stdout;
    const lb = cli(['export', String(b.runId), '--figure', 'losses', '--format', 'csv', '--out', '-', '--db', db]).stdout;
    expect(la.split('\n').length).toBeGreaterThan(4);
    expect(lb).toBe(la);
  });
});

describe('gan-lab bad input', () => {
  it('an unknown preset', () => {
    expectOneLineError(cli(['train', '--preset', 'nope', '--db', db]), /nope.*(article|Allowed choices)/);
  });
  it('an invalid field value names the field and the reason', () => {
    expectOneLineError(cli(['train', '--set', 'schedule.batchSize=0', '--db', db]), /schedule\.batchSize: Batch size must be a whole number from 1 to 65 536/);
  });
  it('an unknown field names its path', () => {
    expectOneLineError(cli(['train', '--set', 'schedule.batchSzie=8', '--db', db]), /schedule\.batchSzie: unknown field/);
  });
  it('an unreadable config file', () => {
    expectOneLineError(cli(['train', '--config', path.join(dir, 'missing.json'), '--db', db]), /cannot read config file .*missing\.json.*ENOENT/);
  });
  it('a config file that is not JSON', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ "seed": ');
    expectOneLineError(cli(['train', '--config', bad, '--db', db]), /config file .*bad\.json.* is not valid JSON/);
  });
  it('a bad formula', () => {
    expectOneLineError(cli(['train', '--set', 'dataset={"kind":"formula","expression":"x +* 2"}', '--db', db]), /formula: unexpected "\*"/);
  });
  it('a formula that cannot be sampled is refused before any run is created', () => {
    const before = cliJson<unknown[]>(['runs', '--db', db]).length;
    expectOneLineError(cli(['train', '--set', 'dataset={"kind":"formula","expression":"log(x)"}', '--db', db]), /formula: f\(x\) is not finite at x = -50/);
    expect(cliJson<unknown[]>(['runs', '--db', db])).toHaveLength(before);
  });
  it('a points CSV with a bad row names the file and line', () => {
    const csv = path.join(dir, 'points.csv');
    writeFileSync(csv, 'x,y\n1,2\nfoo,3\n');
    expectOneLineError(cli(['train', '--points-csv', csv, '--db', db]), /points file ".*points\.csv": points CSV: line 3/);
  });
  it('an unknown run, for show, resume, delete and export', () => {
    for (const cmd of [['show', '999'], ['resume', '999'], ['delete', '999'], ['export', '999', '--figure', 'losses']]) {
      expectOneLineError(cli([...cmd, '--db', db]), /unknown run "999"/);
    }
  });
  it('a malformed number', () => {
    expectOneLineError(cli(['train', '--iterations', 'lots', '--db', db]), /--iterations.*positive integer/);
  });
  it('a step with no snapshot names the nearest ones', () => {
    const s = cliJson<Summary>(['train', '--iterations', '25', '--db', db, ...quick]);
    expectOneLineError(cli(['export', String(s.runId), '--figure', 'samples', '--step', '7', '--db', db]), /no snapshot at step 7 \(nearest: 0, 20, 24\)/);
  });
});

describe('gan-lab resume after SIGKILL', () => {
  it('finishes the run with a loss series identical to an uninterrupted one', async () => {
    const killDb = path.join(dir, 'kill.db');
    // Long enough (several seconds even on the SIMD engine) to be killed halfway.
    const args = ['--preset', 'article', '--iterations', '30000', '--seed', '5', '--set', 'recording.checkpointEvery=1000', '--set', 'recording.snapshotEvery=5000', '--set', 'recording.lossEvery=10', '--set', 'recording.samples=64'];
    const child = cliSpawn(['train', ...args, '--db', killDb, '--json']);
    // Wait until at least one checkpoint is in the database, then kill without warning.
    const deadline = Date.now() + 90_000;
    let checkpoint: number | null = null;
    while (Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const store = openStore(killDb, { readonly: true });
        const run = store.getRun(1);
        checkpoint = run?.lastCheckpoint ?? null;
        store.close();
      } catch {
        /* not created yet */
      }
      if (checkpoint !== null && checkpoint >= 1000) break;
    }
    // Still training when killed: a run that had already ended would prove nothing.
    expect(child.exitCode).toBeNull();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(checkpoint).not.toBeNull();

    const shown = cliJson<{ status: string; iterationsDone: number }>(['show', '1', '--db', killDb]);
    expect(shown.status).toBe('interrupted');
    expect(shown.iterationsDone).toBeLessThan(30000);

    const resumed = cliJson<Summary>(['resume', '1', '--db', killDb]);
    expect(resumed).toMatchObject({ status: 'finished', iterations: 30000 });

    const reference = cliJson<Summary>(['train', ...args, '--db', path.join(dir, 'reference.db')]);
    const a = cli(['export', '1', '--figure', 'losses', '--out', '-', '--db', killDb]).stdout;
    const b = cli(['export', String(reference.runId), '--figure', 'losses', '--out', '-', '--db', path.join(dir, 'reference.db')]).stdout;
    expect(a.split('\n').filter((l) => l.startsWith('D loss,'))).toHaveLength(3000);
    expect(a).toBe(b);
  });
});

const hasElectron = electronBinary(path.resolve(import.meta.dirname, '..')) !== undefined;
describe.skipIf(hasElectron)(`gan-lab start without the Electron runtime${hasElectron ? ' (skipped: Electron runtime installed, start would open the app)' : ''}`, () => {
  it('says so in one line and serves browser mode at the address it prints', async () => {
    const child = cliSpawn(['start', '--db', path.join(dir, 'start.db')]);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/);
      expect(out.split('\n')[0]).toMatch(/^Electron runtime not installed .*starting browser mode/);
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)![0];
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>GAN Lab<\/title>/);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

