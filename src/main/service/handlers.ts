/**
 * The contract's handlers, one per request, with no transport in sight: Electron IPC and browser
 * mode both call `dispatch`, which validates the payload against the contract first.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { architectureOf } from '../../shared/architecture.js';
import { RunConfigDraftSchema } from '../../shared/config.js';
import {
  ApiError,
  ExportStyleSchema,
  REQUESTS,
  type ParsedRequestOf,
  type RequestName,
  type ResponseOf,
  type RunDetail,
  type RunSummary,
} from '../../shared/contract.js';
import { PRESET_NAMES, PRESETS } from '../../shared/presets.js';
import { configErrorMap } from '../../shared/config-messages.js';
import { checkRunConfig, ConfigError, fieldErrors, formatIssues, parseRunConfig } from '../../shared/validate.js';
import { DatasetError, makeDataset } from '../engine/datasets.js';
import { FormulaError } from '../engine/formula.js';
import { simdAvailable } from '../engine/fused/simd.js';
import { Rng } from '../engine/rng.js';
import { engineFromEnv } from '../engine/trainer.js';
import type { TrainerHost } from '../host/trainer-host.js';
import type { RunRow, RunStore } from '../store/index.js';
import { BundleError, exportBundle, importBundle } from './bundle.js';
import { compareExport, compareModel, compareSummary } from './compare.js';
import { ExportCancelled, type RenderExports } from '../figures/render-job.js';
import { exportFigure, exportFigureBatch, exportFigureZip, exportGif, type ExportedFile, type JobOptions } from './figure-export.js';
import { figureModel } from './figures.js';
import { createRun, requireRun, runClaims, UserError } from './runs.js';
import { createSweep, trainSweep } from './sweep.js';
import { APP_VERSION } from './version.js';

export interface HandlerContext {
  store: RunStore;
  host: TrainerHost;
  transport: 'electron' | 'browser';
  /** Tells every connected window that something changed. */
  notifyRunsChanged(): void;
  /** The host's events (a sweep listens for its runs' ends to start the next). */
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
  /** Tells every connected window how far a long export has got. */
  exportProgress?(payload: { jobId: string; done: number; total: number }): void;
  /** Where long exports are drawn (default: in-process, between event-loop turns; Electron: a worker thread). */
  renderExports?: RenderExports;
}

export type Handlers = { [K in RequestName]: (payload: ParsedRequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> };

const PRESET_DESCRIPTIONS: Record<string, string> = {
  article: "The article's setup: leaky ReLU, RMSProp, one D step then one G step per iteration, 100 001 iterations.",
  'published-code': "The published code's setup: tanh, Adam, 50 D steps and 50 G steps on one batch per iteration, 10 001 iterations.",
};

export function toSummary(run: RunRow): RunSummary {
  const config = run.config as { dataset?: { kind?: unknown } } | null;
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    dataset: typeof config?.dataset?.kind === 'string' ? config.dataset.kind : 'unknown',
    backend: run.backend,
    seed: run.seed,
    iterationsDone: run.iterationsDone,
    iterationsPlanned: run.iterationsPlanned,
    lastCheckpoint: run.lastCheckpoint,
    msPerIteration: run.msPerIteration,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    error: run.error,
    tags: run.tags,
    sweepId: run.sweepId,
    preset: run.preset,
  };
}

const toDetail = (run: RunRow): RunDetail => ({ ...toSummary(run), config: run.config, appVersion: run.appVersion });

/** NaN and infinities have no JSON; the contract carries them as null. */
const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** The tfjs backend a trainer process will load (engine/backend.ts): tensorflow where tfjs-node is installed, else wasm. */
function likelyTfjsBackend(): string {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return 'tensorflow';
  } catch {
    return 'wasm';
  }
}

/**
 * What trains a run started now, named as its stored backend will be (engine/trainer.ts's
 * `backendLabel`): the fused engine (`fused-simd`, or `fused-js` without WebAssembly SIMD) unless
 * GAN_LAB_ENGINE=tfjs; configurations it cannot train (batch norm, dropout, WGAN-GP) use the tfjs backend.
 */
function likelyEngine(): string {
  const tfjsBackend = likelyTfjsBackend();
  return engineFromEnv() === 'tfjs' ? tfjsBackend : simdAvailable() ? 'fused-simd' : 'fused-js';
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { store, host } = ctx;
  const changed = <T>(value: T): T => {
    ctx.notifyRunsChanged();
    return value;
  };
  /** Long exports in flight, by the jobId their request gave, so exports.cancel can stop them. */
  const jobs = new Map<string, AbortController>();
  async function asJob<T>(jobId: string | undefined, work: (options: JobOptions) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (jobId !== undefined) {
      if (jobs.has(jobId)) throw new ApiError(`export ${jobId} is already running`, 'conflict');
      jobs.set(jobId, controller);
    }
    try {
      return await work({
        signal: controller.signal,
        ...(ctx.renderExports ? { render: ctx.renderExports } : {}),
        ...(jobId !== undefined && ctx.exportProgress ? { onProgress: (done: number, total: number) => ctx.exportProgress!({ jobId, done, total }) } : {}),
      });
    } finally {
      if (jobId !== undefined) jobs.delete(jobId);
    }
  }
  const idle = (runId: number) => {
    const run = requireRun(store, runId);
    if (host.isActive(runId)) throw new UserError(`run ${runId} is training; stop it first`);
    return run;
  };
  return {
    'app.info': () => ({ appVersion: APP_VERSION, transport: ctx.transport, dbPath: store.file, backend: likelyEngine() }),
    // Completed with defaults but recording left to 'auto', so a form that changes the length keeps fitting intervals.
    'presets.list': () => PRESET_NAMES.map((name) => ({ name, description: PRESET_DESCRIPTIONS[name] ?? '', config: RunConfigDraftSchema.parse(PRESETS[name]) })),
    'config.check': ({ config }) => {
      const parsed = checkRunConfig(config);
      if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
      try {
        makeDataset(parsed.data.dataset);
      } catch (err) {
        if (err instanceof FormulaError || err instanceof DatasetError) return { ok: false, errors: [{ path: 'dataset', message: err.message }] };
        throw err;
      }
      return { ok: true, config: parsed.data, architecture: architectureOf(parsed.data) };
    },
    'dataset.preview': ({ dataset, count, seed }) => {
      const d = makeDataset(dataset);
      const rng = new Rng(`${seed}:preview`);
      return { points: Array.from(d.sample(count, rng.next)), bounds: d.bounds };
    },
    'runs.list': () => store.listRuns().map(toSummary),
    'runs.get': ({ runId }) => toDetail(requireRun(store, runId)),
    'runs.create': ({ config, name, start, preset }) => {
      const run = createRun(store, parseRunConfig(config), name, { preset: preset ?? null });
      return changed(toSummary(start ? host.start(run.id) : run));
    },
    'runs.createSweep': ({ config, seeds, name, preset }) => {
      const { sweepId, runs } = createSweep(store, parseRunConfig(config), [...new Set(seeds)], name, preset ?? null);
      // Trains in the background, one run per core at a time; each run reports its own progress.
      trainSweep(host, ctx.subscribe, runs.map((r) => r.id)).catch((err: unknown) => console.error('sweep:', err));
      return changed({ sweepId, runs: runs.map((r) => toSummary(store.getRun(r.id) ?? r)) });
    },
    'runs.resume': ({ runId, until }) => toSummary(host.resume(runId, until)),
    'runs.pause': ({ runId }) => toSummary(host.pause(runId)),
    'runs.stop': async ({ runId }) => toSummary(await host.stop(runId)),
    'runs.rename': ({ runId, name }) => {
      requireRun(store, runId);
      return changed(toSummary(store.updateRun(runId, { name })));
    },
    'runs.setTags': ({ runId, tags }) => {
      requireRun(store, runId);
      return changed(toSummary(store.updateRun(runId, { tags: [...new Set(tags)] })));
    },
    'runs.delete': ({ runId }) => {
      idle(runId);
      store.deleteRun(runId);
      return changed({ ok: true as const });
    },
    'runs.losses': ({ runId, from }) => {
      requireRun(store, runId);
      const series = store.lossSeries(runId, from !== undefined ? { from } : {});
      return {
        iterations: series.map((l) => l.iteration),
        dLoss: series.map((l) => finiteOrNull(l.dLoss)),
        gLoss: series.map((l) => finiteOrNull(l.gLoss)),
      };
    },
    'runs.snapshotSteps': ({ runId }) => {
      requireRun(store, runId);
      return store.snapshotSteps(runId);
    },
    'runs.snapshot': ({ runId, step, names }) => {
      requireRun(store, runId);
      const s = store.snapshot(runId, step, names);
      if (!s) throw new ApiError(`run ${runId} has no snapshot at step ${step}`, 'not-found');
      return {
        iteration: s.iteration,
        arrays: s.arrays.map((a) => ({ name: a.name, shape: a.shape, data: Array.from(a.data, finiteOrNull) })),
        metrics: Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, finiteOrNull(v)])),
      };
    },
    'runs.claims': ({ runId, step }) => runClaims(store, requireRun(store, runId), step),
    'figures.model': ({ runId, ...req }) => figureModel(store, requireRun(store, runId), req),
    'figures.export': async ({ runId, format, style, jobId, ...req }) => {
      const run = requireRun(store, runId);
      const s = ExportStyleSchema.parse(style ?? {});
      if (format !== 'gif') return asFile(exportFigure(store, run, req, format, s));
      return asFile(await asJob(jobId, (options) => exportGif(store, run, req, s, options)));
    },
    'figures.exportBatch': ({ runId, format, style, jobId, ...req }) => {
      const run = requireRun(store, runId);
      const s = ExportStyleSchema.parse(style ?? {});
      // A browser downloads one zip; browser mode never writes exports on the machine serving it.
      if (ctx.transport === 'browser') {
        return asJob(jobId, async (options) => {
          const zip = await exportFigureZip(store, run, req, format, s, options);
          return { ...asFile(zip), files: zip.files };
        });
      }
      return asJob(jobId, (options) => exportFigureBatch(store, run, req, format, s, path.join(path.dirname(store.file), 'exports'), options));
    },
    'exports.cancel': ({ jobId }) => {
      jobs.get(jobId)?.abort();
      return { ok: true as const };
    },
    'compare.summary': ({ runIds }) => compareSummary(store, runIds),
    'compare.model': (req) => compareModel(store, req),
    'compare.export': ({ format, style, ...req }) => asFile(compareExport(store, req, format, ExportStyleSchema.parse(style ?? {}))),
    'runs.exportBundle': ({ runId }) => {
      idle(runId);
      const b = exportBundle(store, runId);
      return { fileName: b.fileName, base64: Buffer.from(b.bytes).toString('base64') };
    },
    'runs.importBundle': ({ base64, onDuplicate }) => {
      const r = importBundle(store, new Uint8Array(Buffer.from(base64, 'base64')), onDuplicate);
      switch (r.outcome) {
        case 'imported':
          return changed({ outcome: r.outcome, run: toSummary(r.run) });
        case 'skipped':
          return { outcome: r.outcome, run: toSummary(r.run) };
        case 'duplicate':
          return { outcome: r.outcome, existing: toSummary(r.existing), bundleName: r.bundleName };
      }
    },
  };
}

/** Turns any failure into an ApiError a person can read; internal details stay in the log. */
function asFile(file: ExportedFile): { fileName: string; mime: string; base64: string } {
  return { fileName: file.fileName, mime: file.mime, base64: Buffer.from(file.bytes).toString('base64') };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof BundleError) return new ApiError(err.message, 'invalid');
  if (err instanceof ExportCancelled) return new ApiError(err.message, 'cancelled');
  if (err instanceof UserError) return new ApiError(err.message, /^unknown run/.test(err.message) ? 'not-found' : 'conflict');
  if (err instanceof ConfigError || err instanceof FormulaError || err instanceof DatasetError) return new ApiError(err.message, 'invalid');
  console.error(err);
  return new ApiError(`internal error: ${err instanceof Error ? err.message : String(err)}`, 'internal');
}

/** Validates a request against the contract and runs its handler. */
export async function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<unknown> {
  if (!Object.hasOwn(REQUESTS, name)) throw new ApiError(`unknown request "${name}"`, 'invalid');
  const key = name as RequestName;
  // Fields a person fills in (dataset.preview's data set, a run's name) are named in words.
  const parsed = REQUESTS[key].request.safeParse(payload ?? {}, { error: configErrorMap });
  if (!parsed.success) throw new ApiError(`${name}: ${formatIssues(parsed.error, '(payload)')}`, 'invalid');
  try {
    return await (handlers[key] as (p: unknown) => unknown)(parsed.data);
  } catch (err) {
    throw toApiError(err);
  }
}
