/**
 * Runs each active training in a process of its own and is the only writer of what they
 * record. Pause, resume and stop go to the process; a process that dies leaves its run
 * 'interrupted' and resumable from its last checkpoint.
 */
import type { EventName, EventOf } from '../../shared/contract.js';
import type { BackendChoice } from '../engine/backend.js';
import type { EngineChoice } from '../engine/trainer.js';
import type { RunRow, RunStore } from '../store/index.js';
import { requireRun, UserError } from '../service/runs.js';
import { finishSession, planSession, RecordWriter } from '../service/session.js';
import type { SpawnWorker, TrainerMessage, WorkerHandle } from './protocol.js';

export type Emit = <K extends EventName>(name: K, payload: EventOf<K>) => void;

interface Active {
  runId: number;
  worker: WorkerHandle;
  writer: RecordWriter;
  planned: number;
  msPerIteration: number;
  paused: boolean;
  ended: boolean;
  exited: Promise<void>;
}

export class TrainerHost {
  private readonly active = new Map<number, Active>();

  constructor(
    private readonly store: RunStore,
    private readonly spawnWorker: SpawnWorker,
    private readonly emit: Emit,
    private readonly backend: BackendChoice = 'auto',
    private readonly engine: EngineChoice = 'auto',
  ) {}

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  /** Starts (or resumes from its last checkpoint) a run in a new trainer process. */
  start(runId: number, until?: number): RunRow {
    if (this.active.has(runId)) throw new UserError(`run ${runId} is already training`);
    const plan = planSession(this.store, runId, until);
    const worker = this.spawnWorker();
    const a: Active = {
      runId,
      worker,
      planned: plan.planned,
      msPerIteration: 0,
      paused: false,
      ended: false,
      exited: new Promise((resolve) => worker.onExit(() => resolve())),
      writer: new RecordWriter(this.store, runId, plan, {
        flushEveryMs: 250,
        onFlush: (f) => {
          if (f.losses.length) {
            this.emit('run.losses', {
              runId,
              iterations: f.losses.map((l) => l.iteration),
              dLoss: f.losses.map((l) => l.dLoss),
              gLoss: f.losses.map((l) => l.gLoss),
            });
          }
          for (const iteration of f.snapshotIterations) this.emit('run.snapshot', { runId, iteration });
          this.emit('run.progress', {
            runId,
            iterationsDone: f.iterationsDone,
            iterationsPlanned: a.planned,
            msPerIteration: a.msPerIteration,
            status: a.paused ? 'paused' : 'running',
          });
        },
      }),
    };
    this.active.set(runId, a);
    worker.onMessage((m) => this.onMessage(a, m));
    worker.onExit((code) => this.onExit(a, code));
    const row = this.store.updateRun(runId, { status: 'running' });
    this.announce(runId);
    worker.send({
      type: 'start',
      config: plan.config,
      plannedIterations: plan.planned,
      until: plan.until,
      backend: this.backend,
      engine: this.engine,
      ...(plan.checkpoint ? { state: plan.checkpoint.state } : {}),
    });
    return row;
  }

  pause(runId: number): RunRow {
    const a = this.require(runId);
    a.paused = true;
    a.worker.send({ type: 'pause' });
    const row = this.store.updateRun(runId, { status: 'paused' });
    this.announce(runId);
    return row;
  }

  /** Continues a paused run, or starts a stopped / interrupted one from its checkpoint. */
  resume(runId: number, until?: number): RunRow {
    const a = this.active.get(runId);
    if (!a) return this.start(runId, until);
    if (until !== undefined) throw new UserError(`run ${runId} is training; stop it before asking for another target`);
    a.paused = false;
    a.worker.send({ type: 'resume' });
    const row = this.store.updateRun(runId, { status: 'running' });
    this.announce(runId);
    return row;
  }

  /** Asks the trainer to stop after its current iteration; it checkpoints where it stops. */
  async stop(runId: number): Promise<RunRow> {
    const a = this.require(runId);
    a.paused = false;
    a.worker.send({ type: 'stop' });
    await a.exited;
    return requireRun(this.store, runId);
  }

  /** Stops every trainer cleanly; any still alive after the grace period is killed (and left interrupted). */
  async shutdown(graceMs = 5000): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.worker.send({ type: 'stop' });
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    await Promise.race([Promise.all(all.map((a) => a.exited)), timeout]);
    for (const a of this.active.values()) a.worker.kill();
    await Promise.all(all.map((a) => a.exited));
  }

  private require(runId: number): Active {
    const a = this.active.get(runId);
    if (!a) throw new UserError(`run ${runId} is not training`);
    return a;
  }

  private announce(runId: number): void {
    const run = requireRun(this.store, runId);
    this.emit('run.status', { runId, status: run.status, error: run.error });
    this.emit('runs.changed', {});
  }

  private onMessage(a: Active, m: TrainerMessage): void {
    try {
      switch (m.type) {
        case 'ready':
          this.store.updateRun(a.runId, { backend: m.backend });
          this.emit('runs.changed', {});
          break;
        case 'records':
          a.msPerIteration = m.msPerIteration;
          for (const r of m.records) a.writer.accept(r);
          if (a.writer.hasPending()) a.writer.flush();
          break;
        case 'done':
          a.ended = true;
          // No longer training from here on: a client reacting to 'finished' may export or resume at once.
          this.release(a);
          if (a.writer.hasPending()) a.writer.flush();
          finishSession(this.store, a.runId, m.end, { msPerIteration: m.msPerIteration, error: m.error ?? null });
          this.announce(a.runId);
          a.worker.kill();
          break;
        case 'failed':
          a.ended = true;
          this.release(a);
          finishSession(this.store, a.runId, 'failed', { error: m.message });
          this.announce(a.runId);
          a.worker.kill();
          break;
      }
    } catch (err) {
      // A write that fails (disk full, database gone) must not take the host down with it.
      a.ended = true;
      a.worker.kill();
      try {
        finishSession(this.store, a.runId, 'interrupted', { error: `could not record: ${(err as Error).message}` });
      } catch {
        /* the store itself is unusable; the next open marks the run interrupted */
      }
    }
  }

  /** Forgets a session, unless a newer one of the same run has taken its place. */
  private release(a: Active): void {
    if (this.active.get(a.runId) === a) this.active.delete(a.runId);
  }

  private onExit(a: Active, code: number | string | null): void {
    this.release(a);
    if (a.ended) return;
    try {
      a.writer.flush();
    } catch {
      /* nothing more can be saved; the checkpoint already written is what resume uses */
    }
    finishSession(this.store, a.runId, 'interrupted', { error: `trainer process exited unexpectedly (${typeof code === 'string' ? `signal ${code}` : `code ${code}`})` });
    this.announce(a.runId);
  }
}
