/**
 * Joins the engine and the store: creates runs, trains or resumes them, and writes what the
 * trainer records in batched transactions. The host that calls it (CLI, app, server) is the only
 * writer of the database.
 */
import type { RunConfig } from '../../shared/config.js';
import { parseRunConfig } from '../../shared/validate.js';
import { initBackend, type BackendChoice } from '../engine/backend.js';
import { makeDataset } from '../engine/datasets.js';
import { runLoop } from '../engine/loop.js';
import type { CheckpointRecord, LossRecord, SnapshotRecord } from '../engine/records.js';
import { Trainer } from '../engine/trainer.js';
import type { RunRow, RunStatus, RunStore } from '../store/index.js';
import { APP_VERSION } from './version.js';

export class UserError extends Error {
  override name = 'UserError';
}

export interface Progress {
  iterationsDone: number;
  iterationsPlanned: number;
  msPerIteration: number;
}

export interface TrainOptions {
  /** Continue to this many completed iterations (default: the planned total). */
  until?: number;
  backend?: BackendChoice;
  onProgress?(p: Progress): void;
  shouldStop?(): boolean;
  /** Longest time recorded losses wait in memory before they are written. */
  flushEveryMs?: number;
}

export interface TrainSummary {
  runId: number;
  status: RunStatus;
  backend: string;
  /** Iterations completed in total. */
  iterations: number;
  msPerIteration: number;
  final: { dLoss: number; gLoss: number } | null;
  metrics: Record<string, number>;
  error?: string;
}

export function createRun(store: RunStore, config: RunConfig, name?: string, extra: { sweepId?: string; tags?: string[] } = {}): RunRow {
  makeDataset(config.dataset); // a formula that cannot be sampled is refused before a run exists
  const runName = name ?? config.name ?? `${config.dataset.kind} seed ${config.seed}`;
  return store.createRun({
    name: runName,
    config,
    seed: config.seed,
    iterationsPlanned: config.schedule.iterations,
    appVersion: APP_VERSION,
    status: 'created',
    ...extra,
  });
}

/** The run's configuration, validated again: a database is input too. */
export function runConfig(run: RunRow): RunConfig {
  return parseRunConfig(run.config);
}

/** Finds a run by id or name, or says plainly that there is none. */
export function requireRun(store: RunStore, ref: string | number): RunRow {
  const run = typeof ref === 'number' ? store.getRun(ref) : store.findRun(ref);
  if (!run) throw new UserError(`unknown run "${ref}"`);
  return run;
}

/**
 * Trains a run from its newest checkpoint (or from the start) up to `until` or its planned
 * total. Rows recorded after that checkpoint are deleted first, in one transaction, so a
 * resumed history has no duplicates and continues exactly as an uninterrupted one.
 */
export async function trainRun(store: RunStore, runId: number, options: TrainOptions = {}): Promise<TrainSummary> {
  const run = requireRun(store, runId);
  if (run.status === 'running') throw new UserError(`run ${run.id} is already running`);
  const config = runConfig(run);
  const planned = Math.max(run.iterationsPlanned, options.until ?? 0);
  const until = options.until ?? planned;
  const checkpoint = store.latestCheckpoint(run.id);
  const startAt = checkpoint?.iteration ?? 0;
  if (startAt >= until) {
    throw new UserError(`run ${run.id} already has ${startAt} iterations (asked to continue to ${until})`);
  }
  store.rollbackTo(run.id, startAt);
  const backend = await initBackend(options.backend);
  const trainer = new Trainer(config, { plannedIterations: planned, ...(checkpoint ? { state: checkpoint.state } : {}) });
  store.updateRun(run.id, { status: 'running', backend, error: null, finishedAt: null, iterationsPlanned: planned });

  let losses: LossRecord[] = [];
  let snapshots: SnapshotRecord[] = [];
  let lastCheckpoint: CheckpointRecord | undefined = checkpoint;
  let pendingCheckpoint: CheckpointRecord | undefined;
  let lastMetrics: Record<string, number> | undefined;
  let lastFlush = performance.now();
  const flushEvery = options.flushEveryMs ?? 1000;
  const startTime = performance.now();
  const flush = () => {
    store.writeRecords(run.id, {
      losses,
      snapshots,
      ...(pendingCheckpoint ? { checkpoint: pendingCheckpoint } : {}),
      iterationsDone: trainer.iteration,
    });
    losses = [];
    snapshots = [];
    pendingCheckpoint = undefined;
    lastFlush = performance.now();
    options.onProgress?.({
      iterationsDone: trainer.iteration,
      iterationsPlanned: planned,
      msPerIteration: (lastFlush - startTime) / Math.max(1, trainer.iteration - startAt),
    });
  };

  try {
    const outcome = await runLoop(trainer, {
      until,
      shouldStop: options.shouldStop,
      onResult: (r) => {
        if (r.losses) losses.push(r.losses);
        if (r.snapshot) {
          snapshots.push(r.snapshot);
          lastMetrics = r.snapshot.metrics;
        }
        if (r.checkpoint) pendingCheckpoint = lastCheckpoint = r.checkpoint;
        if (r.snapshot || r.checkpoint || performance.now() - lastFlush >= flushEvery) flush();
      },
    });
    // A run that stops early keeps a checkpoint where it stopped, so it resumes exactly there.
    if (outcome.end === 'stopped' && trainer.iteration > (lastCheckpoint?.iteration ?? 0)) {
      pendingCheckpoint = trainer.checkpoint();
    }
    flush();
    const status: RunStatus = outcome.end;
    store.updateRun(run.id, {
      status,
      msPerIteration: outcome.msPerIteration,
      error: outcome.diverged ?? null,
      finishedAt: status === 'stopped' ? null : new Date().toISOString(),
    });
    const last = outcome.last && !outcome.last.diverged ? outcome.last : undefined;
    return {
      runId: run.id,
      status,
      backend,
      iterations: trainer.iteration,
      msPerIteration: outcome.msPerIteration,
      final: last ? { dLoss: last.dLoss, gLoss: last.gLoss } : null,
      metrics: lastMetrics ?? latestMetrics(store, run.id),
      ...(outcome.diverged ? { error: outcome.diverged } : {}),
    };
  } catch (err) {
    store.updateRun(run.id, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    trainer.dispose();
  }
}

export function latestMetrics(store: RunStore, runId: number): Record<string, number> {
  const series = store.metricSeries(runId);
  return series[series.length - 1]?.metrics ?? {};
}
