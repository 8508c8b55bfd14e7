/**
 * One training session of a run, seen from the writer's side: what to train (planSession), and
 * how the trainer's records reach the store (RecordWriter). Used the same way whether the trainer
 * runs in this process (the CLI) or in a trainer process that streams its records here.
 */
import type { RunConfig } from '../../shared/config.js';
import type { LoopEnd } from '../engine/loop.js';
import type { CheckpointRecord, LossRecord, SnapshotRecord } from '../engine/records.js';
import type { RunRow, RunStatus, RunStore } from '../store/index.js';
import { requireRun, runConfig, UserError } from './runs.js';

export interface SessionPlan {
  run: RunRow;
  config: RunConfig;
  /** The run's planned total (extended when asked to continue past it). */
  planned: number;
  /** Train until this many iterations are complete. */
  until: number;
  checkpoint?: CheckpointRecord;
  startAt: number;
}

/**
 * Decides where a session starts and clears the way: rows recorded after the newest checkpoint
 * are deleted in one transaction, so the history continues exactly as an uninterrupted one.
 */
export function planSession(store: RunStore, runId: number, until?: number): SessionPlan {
  const run = requireRun(store, runId);
  if (run.status === 'running' || run.status === 'paused') throw new UserError(`run ${run.id} is already ${run.status}`);
  const config = runConfig(run);
  const planned = Math.max(run.iterationsPlanned, until ?? 0);
  const target = until ?? planned;
  const checkpoint = store.latestCheckpoint(run.id);
  const startAt = checkpoint?.iteration ?? 0;
  if (startAt >= target) throw new UserError(`run ${run.id} already has ${startAt} iterations (asked to continue to ${target})`);
  store.rollbackTo(run.id, startAt);
  store.updateRun(run.id, { iterationsPlanned: planned, error: null, finishedAt: null });
  return { run, config, planned, until: target, startAt, ...(checkpoint ? { checkpoint } : {}) };
}

/** What one iteration hands to the writer. */
export interface IterationRecords {
  /** Iterations completed after it. */
  iterationsDone: number;
  losses?: LossRecord;
  snapshot?: SnapshotRecord;
  checkpoint?: CheckpointRecord;
}

export interface FlushInfo {
  iterationsDone: number;
  losses: LossRecord[];
  snapshotIterations: number[];
}

/** Batches records and writes them in one transaction per flush: at each snapshot or checkpoint, and at least every flushEveryMs. */
export class RecordWriter {
  private losses: LossRecord[] = [];
  private snapshots: SnapshotRecord[] = [];
  private checkpoint: CheckpointRecord | undefined;
  private lastFlush = performance.now();
  private iterationsDone: number;
  lastMetrics: Record<string, number> | undefined;
  lastCheckpointIteration: number;

  constructor(
    private readonly store: RunStore,
    readonly runId: number,
    plan: SessionPlan,
    private readonly options: { flushEveryMs?: number; onFlush?(info: FlushInfo): void } = {},
  ) {
    this.iterationsDone = plan.startAt;
    this.lastCheckpointIteration = plan.checkpoint?.iteration ?? 0;
  }

  accept(r: IterationRecords): void {
    this.iterationsDone = r.iterationsDone;
    if (r.losses) this.losses.push(r.losses);
    if (r.snapshot) {
      this.snapshots.push(r.snapshot);
      this.lastMetrics = r.snapshot.metrics;
    }
    if (r.checkpoint) this.keepCheckpoint(r.checkpoint);
    if (r.snapshot || r.checkpoint || performance.now() - this.lastFlush >= (this.options.flushEveryMs ?? 1000)) this.flush();
  }

  /** Whether anything waits to be written. */
  hasPending(): boolean {
    return this.losses.length > 0 || this.snapshots.length > 0 || this.checkpoint !== undefined;
  }

  keepCheckpoint(c: CheckpointRecord): void {
    this.checkpoint = c;
    this.lastCheckpointIteration = c.iteration;
  }

  flush(): void {
    const info: FlushInfo = { iterationsDone: this.iterationsDone, losses: this.losses, snapshotIterations: this.snapshots.map((s) => s.iteration) };
    this.store.writeRecords(this.runId, {
      losses: this.losses,
      snapshots: this.snapshots,
      ...(this.checkpoint ? { checkpoint: this.checkpoint } : {}),
      iterationsDone: this.iterationsDone,
    });
    this.losses = [];
    this.snapshots = [];
    this.checkpoint = undefined;
    this.lastFlush = performance.now();
    this.options.onFlush?.(info);
  }
}

/** Records how a session ended. */
export function finishSession(store: RunStore, runId: number, end: LoopEnd | 'interrupted' | 'failed', details: { msPerIteration?: number; error?: string | null }): RunStatus {
  store.updateRun(runId, {
    status: end,
    ...(details.msPerIteration !== undefined && details.msPerIteration > 0 ? { msPerIteration: details.msPerIteration } : {}),
    error: details.error ?? null,
    finishedAt: end === 'finished' || end === 'diverged' ? new Date().toISOString() : null,
  });
  return end;
}
