/**
 * Training a run in this process (the CLI's way): plan the session, run the engine's loop, and
 * hand every record to the writer. The app and browser mode train in trainer processes instead
 * (src/main/host), through the same planSession and RecordWriter.
 */
import { initBackend, type BackendChoice } from '../engine/backend.js';
import { runLoop } from '../engine/loop.js';
import { backendLabel, Trainer, type EngineChoice } from '../engine/trainer.js';
import type { ClaimVerdict } from '../../shared/claims.js';
import type { RunStatus, RunStore } from '../store/index.js';
import { latestMetrics, requireRun, runClaims } from './runs.js';
import { finishSession, planSession, RecordWriter } from './session.js';


export interface Progress {
  iterationsDone: number;
  iterationsPlanned: number;
  msPerIteration: number;
}

export interface TrainOptions {
  /** Continue to this many completed iterations (default: the planned total). */
  until?: number;
  backend?: BackendChoice;
  engine?: EngineChoice;
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
  /** The tutorial's claims, checked on this run (shared/claims.ts). */
  claims: ClaimVerdict[];
  error?: string;
}

/**
 * Trains a run from its newest checkpoint (or from the start) up to `until` or its planned
 * total; see planSession for how a resumed history stays identical to an uninterrupted one.
 */
export async function trainRun(store: RunStore, runId: number, options: TrainOptions = {}): Promise<TrainSummary> {
  const plan = planSession(store, runId, options.until);
  const tfjsBackend = await initBackend(options.backend);
  const trainer = new Trainer(plan.config, {
    plannedIterations: plan.planned,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(plan.checkpoint ? { state: plan.checkpoint.state } : {}),
  });
  const backend = backendLabel(trainer, tfjsBackend);
  store.updateRun(runId, { status: 'running', backend });
  const started = performance.now();
  const writer = new RecordWriter(store, runId, plan, {
    flushEveryMs: options.flushEveryMs ?? 1000,
    onFlush: (f) =>
      options.onProgress?.({
        iterationsDone: f.iterationsDone,
        iterationsPlanned: plan.planned,
        msPerIteration: (performance.now() - started) / Math.max(1, f.iterationsDone - plan.startAt),
      }),
  });
  try {
    const outcome = await runLoop(trainer, {
      until: plan.until,
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      onResult: (r) => {
        if (!r.diverged) writer.accept({ iterationsDone: trainer.iteration, ...r });
      },
    });
    // A run that stops early keeps a checkpoint where it stopped, so it resumes exactly there.
    if (outcome.end === 'stopped' && trainer.iteration > writer.lastCheckpointIteration) writer.keepCheckpoint(trainer.checkpoint());
    writer.flush();
    const status = finishSession(store, runId, outcome.end, { msPerIteration: outcome.msPerIteration, error: outcome.diverged ?? null });
    const last = outcome.last && !outcome.last.diverged ? outcome.last : undefined;
    return {
      runId,
      status,
      backend,
      iterations: trainer.iteration,
      msPerIteration: outcome.msPerIteration,
      final: last ? { dLoss: last.dLoss, gLoss: last.gLoss } : null,
      metrics: writer.lastMetrics ?? latestMetrics(store, runId),
      claims: runClaims(store, requireRun(store, runId)),
      ...(outcome.diverged ? { error: outcome.diverged } : {}),
    };
  } catch (err) {
    finishSession(store, runId, 'failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    trainer.dispose();
  }
}
