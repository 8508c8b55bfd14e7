/**
 * Run bundles (.ganrun): one zip holding a versioned manifest (format, app version, the run, and
 * each array's name, dtype, shape and file) and the raw little-endian arrays. An import is
 * checked whole — manifest schema, every file present with the size its shape implies, the
 * config valid — before anything is written, and then written in one transaction.
 * fflate: a small, well-kept zip codec (no native parts), rather than a hand-written one.
 */
import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import { RUN_STATUSES } from '../../shared/contract.js';
import { formatIssues, parseRunConfig } from '../../shared/validate.js';
import type { CheckpointRecord, LossRecord, SnapshotRecord } from '../engine/records.js';
import type { RunRow, RunStore } from '../store/index.js';
import { requireRun, UserError } from './runs.js';
import { APP_VERSION } from './version.js';

export const BUNDLE_FORMAT = 1;

/** A bundle that cannot be read: invalid input, not a conflict with the app's state. */
export class BundleError extends UserError {
  override name = 'BundleError';
}
const DTYPES = { float32: 4, float64: 8, int32: 4, uint8: 1 } as const;

const ArrayEntry = z.strictObject({
  name: z.string(),
  dtype: z.enum(['float32', 'float64', 'int32', 'uint8']),
  shape: z.array(z.int().min(0)),
  file: z.string().regex(/^[\w./-]+$/),
});

const Manifest = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  appVersion: z.string(),
  run: z.strictObject({
    name: z.string().min(1),
    config: z.unknown(),
    status: z.enum(RUN_STATUSES),
    seed: z.int(),
    backend: z.string().nullable(),
    iterationsPlanned: z.int(),
    iterationsDone: z.int(),
    msPerIteration: z.number().nullable(),
    createdAt: z.string(),
    /** Left out by bundles made before the finish date was kept. */
    finishedAt: z.string().nullable().optional(),
    tags: z.array(z.string()),
  }),
  snapshots: z.array(z.strictObject({ iteration: z.int(), metrics: z.record(z.string(), z.number().nullable()), arrays: z.array(z.string()) })),
  checkpoints: z.array(z.strictObject({ iteration: z.int(), array: z.string() })),
  arrays: z.array(ArrayEntry),
});
type Manifest = z.infer<typeof Manifest>;
type Entry = z.infer<typeof ArrayEntry>;

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

export function exportBundle(store: RunStore, runId: number): { fileName: string; bytes: Uint8Array } {
  const run = requireRun(store, runId);
  const files: Record<string, Uint8Array> = {};
  const arrays: Entry[] = [];
  const add = (name: string, dtype: Entry['dtype'], shape: number[], data: ArrayBufferView) => {
    const file = `arrays/${arrays.length}.bin`;
    arrays.push({ name, dtype, shape, file });
    files[file] = bytesOf(data);
    return name;
  };
  const losses = store.lossSeries(run.id);
  add('losses.iteration', 'int32', [losses.length], Int32Array.from(losses, (l) => l.iteration));
  // float64 keeps NaN and the stored doubles exactly
  add('losses.d', 'float64', [losses.length], Float64Array.from(losses, (l) => l.dLoss));
  add('losses.g', 'float64', [losses.length], Float64Array.from(losses, (l) => l.gLoss));
  const snapshots = store.snapshotSteps(run.id).map((step) => {
    const s = store.snapshot(run.id, step)!;
    const names = s.arrays.map((a) => add(`snapshot.${step}.${a.name}`, 'float32', a.shape, a.data));
    return { iteration: step, metrics: s.metrics, arrays: names };
  });
  const latest = store.latestCheckpoint(run.id);
  const checkpoints = latest ? [{ iteration: latest.iteration, array: add(`checkpoint.${latest.iteration}`, 'uint8', [latest.state.length], latest.state) }] : [];
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    appVersion: APP_VERSION,
    run: {
      name: run.name,
      config: run.config,
      status: run.status === 'running' || run.status === 'paused' ? 'interrupted' : run.status,
      seed: run.seed,
      backend: run.backend,
      iterationsPlanned: run.iterationsPlanned,
      iterationsDone: run.iterationsDone,
      msPerIteration: run.msPerIteration,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      tags: run.tags,
    },
    snapshots,
    checkpoints,
    arrays,
  };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 1));
  const safeName = run.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || `run-${run.id}`;
  return { fileName: `${safeName}.ganrun`, bytes: zipSync(files, { level: 6 }) };
}

function readArray(files: Record<string, Uint8Array>, e: Entry): ArrayBufferView {
  const raw = files[e.file];
  if (!raw) throw new BundleError(`bundle: array ${e.name} names a missing file ${e.file}`);
  const count = e.shape.reduce((a, b) => a * b, 1);
  if (raw.length !== count * DTYPES[e.dtype]) throw new BundleError(`bundle: ${e.file} holds ${raw.length} bytes, shape [${e.shape}] of ${e.dtype} needs ${count * DTYPES[e.dtype]}`);
  const buf = raw.slice().buffer;
  switch (e.dtype) {
    case 'float32':
      return new Float32Array(buf);
    case 'float64':
      return new Float64Array(buf);
    case 'int32':
      return new Int32Array(buf);
    case 'uint8':
      return new Uint8Array(buf);
  }
}

export type OnDuplicate = 'ask' | 'skip' | 'copy';
export type ImportOutcome =
  | { outcome: 'imported'; run: RunRow }
  | { outcome: 'skipped'; run: RunRow }
  | { outcome: 'duplicate'; existing: RunRow; bundleName: string };

/** A configuration's identity: its validated form (defaults filled in, keys in the schema's order), hashed. */
function configHash(config: unknown): string | null {
  try {
    return createHash('sha256').update(JSON.stringify(parseRunConfig(config))).digest('hex');
  } catch {
    return null; // a stored config this app no longer reads matches nothing
  }
}

/**
 * The library's run that this bundle was exported from (or an earlier import of it): the same
 * creation date, seed and configuration. Runs keep their creation date through a bundle, so the
 * three together name the original run.
 */
function findOriginal(store: RunStore, run: Manifest['run'], config: unknown): RunRow | undefined {
  const hash = configHash(config);
  return store.listRuns().find((r) => r.createdAt === run.createdAt && r.seed === run.seed && configHash(r.config) === hash);
}

/**
 * Checks a bundle whole, then adds it as a new run with its original dates. A run already in the
 * library is, by `onDuplicate`, reported without importing ('ask'), left alone ('skip') or added
 * again as a copy ('copy').
 */
export function importBundle(store: RunStore, bytes: Uint8Array, onDuplicate: OnDuplicate = 'ask'): ImportOutcome {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new BundleError('bundle: not a .ganrun file (not a zip archive)');
  }
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw new BundleError('bundle: manifest.json is missing');
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(manifestBytes));
  } catch {
    throw new BundleError('bundle: manifest.json is not valid JSON');
  }
  if (typeof raw === 'object' && raw !== null && 'format' in raw && raw.format !== BUNDLE_FORMAT) {
    throw new BundleError(`bundle: format ${String(raw.format)} is not supported by this app (it reads format ${BUNDLE_FORMAT})`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) throw new BundleError(`bundle: manifest: ${formatIssues(parsed.error, '(manifest)')}`);
  const m = parsed.data;
  const config = parseRunConfig(m.run.config);
  const byName = new Map<string, ArrayBufferView>();
  for (const e of m.arrays) byName.set(e.name, readArray(files, e));
  const need = (name: string) => {
    const a = byName.get(name);
    if (!a) throw new BundleError(`bundle: array ${name} is listed but not described`);
    return a;
  };
  const it = need('losses.iteration') as Int32Array;
  const d = need('losses.d') as Float64Array;
  const g = need('losses.g') as Float64Array;
  if (d.length !== it.length || g.length !== it.length) throw new BundleError('bundle: loss arrays differ in length');
  const losses: LossRecord[] = Array.from(it, (iteration, i) => ({ iteration, dLoss: d[i]!, gLoss: g[i]! }));
  const shapes = new Map(m.arrays.map((e) => [e.name, e.shape]));
  const snapshots: SnapshotRecord[] = m.snapshots.map((s) => ({
    iteration: s.iteration,
    metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, v ?? NaN])),
    arrays: s.arrays.map((name) => ({ name: name.slice(`snapshot.${s.iteration}.`.length), shape: shapes.get(name) ?? [], data: need(name) as Float32Array })),
  }));
  const checkpoints: CheckpointRecord[] = m.checkpoints.map((c) => ({ iteration: c.iteration, state: need(c.array) as Uint8Array }));

  const original = findOriginal(store, m.run, config);
  if (original && onDuplicate === 'ask') return { outcome: 'duplicate', existing: original, bundleName: m.run.name };
  if (original && onDuplicate === 'skip') return { outcome: 'skipped', run: original };

  const run = store.transaction(() => {
    const run = store.createRun({
      name: original ? `${m.run.name} (copy)` : m.run.name,
      createdAt: m.run.createdAt,
      config,
      seed: m.run.seed,
      iterationsPlanned: m.run.iterationsPlanned,
      appVersion: m.appVersion,
      backend: m.run.backend,
      status: m.run.status === 'running' || m.run.status === 'paused' ? 'interrupted' : m.run.status,
      tags: m.run.tags,
    });
    store.writeRecords(run.id, { losses, snapshots, iterationsDone: m.run.iterationsDone });
    for (const c of checkpoints) store.writeRecords(run.id, { checkpoint: c });
    return store.updateRun(run.id, { msPerIteration: m.run.msPerIteration, iterationsDone: m.run.iterationsDone, finishedAt: m.run.finishedAt ?? null });
  });
  return { outcome: 'imported', run };
}
