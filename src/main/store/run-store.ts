import type Database from 'better-sqlite3';
import type { CheckpointRecord, LossRecord, NamedArray, SnapshotRecord } from '../engine/records.js';
import { SELECT_RUN, bytesOf, float32Of, fromReal, now, toRun, type ArrayDbRow, type RunDbRow } from './rows.js';
import type { NewRun, RunPatch, RunRow } from './types.js';

/** All statements are prepared once, when the store opens. Use `openStore` to make one. */
export class RunStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly s;
  private readonly tx;

  constructor(db: Database.Database, file: string) {
    this.db = db;
    this.file = file;
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      runById: p(`${SELECT_RUN} WHERE r.id = ?`),
      runsByName: p(`${SELECT_RUN} WHERE r.name = ? ORDER BY r.id DESC`),
      namesLike: p(`SELECT name FROM runs WHERE name = ? OR name LIKE ? ESCAPE '\\'`).pluck(),
      runs: p(`${SELECT_RUN} ORDER BY r.id DESC`),
      runExists: p(`SELECT 1 FROM runs WHERE id = ?`).pluck(),
      insertRun: p(`INSERT INTO runs (name, config, status, backend, seed, iterations_planned, iterations_done,
          created_at, updated_at, app_version, tags, sweep_id, preset)
        VALUES (@name, @config, @status, @backend, @seed, @iterationsPlanned, 0,
          @createdAt, @now, @appVersion, @tags, @sweepId, @preset)`),
      updateRun: p(`UPDATE runs SET name = @name, status = @status, backend = @backend,
          iterations_done = @iterationsDone, error = @error, ms_per_iteration = @msPerIteration, tags = @tags,
          finished_at = @finishedAt, iterations_planned = @iterationsPlanned, updated_at = @now
        WHERE id = @id`),
      setDone: p(`UPDATE runs SET iterations_done = ?, updated_at = ? WHERE id = ?`),
      deleteRun: p(`DELETE FROM runs WHERE id = ?`),
      recover: p(`UPDATE runs SET status = 'interrupted', updated_at = ?
        WHERE status IN ('running', 'paused') RETURNING id`).pluck(),
      upsertLoss: p(`INSERT INTO losses (run_id, iteration, d_loss, g_loss) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id, iteration) DO UPDATE SET d_loss = excluded.d_loss, g_loss = excluded.g_loss`),
      losses: p(`SELECT iteration, d_loss, g_loss FROM losses
        WHERE run_id = ? AND iteration >= ? AND iteration <= ? ORDER BY iteration`),
      // Rewriting a step replaces it whole: the cascade drops its old arrays and metrics.
      deleteSnapshot: p(`DELETE FROM snapshots WHERE run_id = ? AND iteration = ?`),
      insertSnapshot: p(`INSERT INTO snapshots (run_id, iteration) VALUES (?, ?)`),
      insertArray: p(`INSERT INTO snapshot_arrays (run_id, iteration, name, position, shape, data)
        VALUES (?, ?, ?, ?, ?, ?)`),
      insertMetric: p(`INSERT INTO snapshot_metrics (run_id, iteration, name, value) VALUES (?, ?, ?, ?)`),
      snapshotSteps: p(`SELECT iteration FROM snapshots WHERE run_id = ? ORDER BY iteration`).pluck(),
      snapshotExists: p(`SELECT 1 FROM snapshots WHERE run_id = ? AND iteration = ?`).pluck(),
      arrays: p(`SELECT name, shape, data FROM snapshot_arrays
        WHERE run_id = ? AND iteration = ? ORDER BY position`),
      // The subset arrives as one JSON parameter so this statement can be prepared once.
      arraysNamed: p(`SELECT name, shape, data FROM snapshot_arrays
        WHERE run_id = ? AND iteration = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY position`),
      metrics: p(`SELECT name, value FROM snapshot_metrics WHERE run_id = ? AND iteration = ? ORDER BY name`),
      metricSeries: p(`SELECT iteration, name, value FROM snapshot_metrics
        WHERE run_id = ? ORDER BY iteration, name`),
      upsertCheckpoint: p(`INSERT INTO checkpoints (run_id, iteration, state, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id, iteration) DO UPDATE SET state = excluded.state, created_at = excluded.created_at`),
      latestCheckpoint: p(`SELECT iteration, state FROM checkpoints
        WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`),
      dropLosses: p(`DELETE FROM losses WHERE run_id = ? AND iteration >= ?`),
      dropSnapshots: p(`DELETE FROM snapshots WHERE run_id = ? AND iteration >= ?`),
      dropCheckpoints: p(`DELETE FROM checkpoints WHERE run_id = ? AND iteration > ?`),
    };
    this.tx = {
      update: db.transaction((id: number, patch: RunPatch): void => {
        const current = this.getRun(id);
        if (!current) throw new Error(`unknown run ${id}`);
        const next = { ...current, ...definedOnly(patch) };
        this.s.updateRun.run({
          id,
          name: next.name,
          status: next.status,
          backend: next.backend,
          iterationsDone: next.iterationsDone,
          error: next.error,
          msPerIteration: next.msPerIteration,
          tags: JSON.stringify(next.tags),
          finishedAt: next.finishedAt,
          iterationsPlanned: next.iterationsPlanned,
          now: now(),
        });
      }),
      write: db.transaction((runId: number, batch: RecordBatch): void => {
        this.assertRun(runId);
        for (const l of batch.losses ?? []) this.s.upsertLoss.run(runId, l.iteration, l.dLoss, l.gLoss);
        for (const snap of batch.snapshots ?? []) this.writeSnapshot(runId, snap);
        if (batch.checkpoint) {
          const c = batch.checkpoint;
          this.s.upsertCheckpoint.run(runId, c.iteration, bytesOf(c.state), now());
        }
        if (batch.iterationsDone !== undefined) this.s.setDone.run(batch.iterationsDone, now(), runId);
      }),
      rollback: db.transaction((runId: number, iteration: number): void => {
        this.assertRun(runId);
        this.s.dropLosses.run(runId, iteration);
        this.s.dropSnapshots.run(runId, iteration);
        this.s.dropCheckpoints.run(runId, iteration);
        this.s.setDone.run(iteration, now(), runId);
      }),
    };
  }

  /** Runs fn inside one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }

  recoverInterrupted(): number[] {
    return this.s.recover.all(now()) as number[];
  }

  createRun(r: NewRun): RunRow {
    const info = this.s.insertRun.run({
      name: r.name,
      config: JSON.stringify(r.config),
      status: r.status ?? 'created',
      backend: r.backend ?? null,
      seed: r.seed,
      iterationsPlanned: r.iterationsPlanned,
      now: now(),
      createdAt: r.createdAt ?? now(),
      appVersion: r.appVersion,
      tags: JSON.stringify(r.tags ?? []),
      sweepId: r.sweepId ?? null,
      preset: r.preset ?? null,
    });
    return this.getRun(Number(info.lastInsertRowid))!;
  }

  getRun(id: number): RunRow | undefined {
    const row = this.s.runById.get(id) as RunDbRow | undefined;
    return row && toRun(row);
  }

  /** A run by numeric id, else by exact name (the newest of that name; see runsNamed for all). */
  findRun(ref: string): RunRow | undefined {
    const byId = /^\d+$/.test(ref) ? this.getRun(Number(ref)) : undefined;
    if (byId) return byId;
    return this.runsNamed(ref)[0];
  }

  /** Every run called exactly `name`, newest first. */
  runsNamed(name: string): RunRow[] {
    return (this.s.runsByName.all(name) as RunDbRow[]).map(toRun);
  }

  /** The taken names among `name` and `name (n)`: what a new run's name must avoid. */
  namesLike(name: string): Set<string> {
    const escaped = name.replace(/[\\%_]/g, (c) => `\\${c}`);
    return new Set(this.s.namesLike.all(name, `${escaped} (%)`) as string[]);
  }

  /** Newest first. */
  listRuns(): RunRow[] {
    return (this.s.runs.all() as RunDbRow[]).map(toRun);
  }

  updateRun(id: number, patch: RunPatch): RunRow {
    this.tx.update(id, patch);
    return this.getRun(id)!;
  }

  /** Children go with it (ON DELETE CASCADE). */
  deleteRun(id: number): boolean {
    return this.s.deleteRun.run(id).changes > 0;
  }

  writeRecords(runId: number, batch: RecordBatch): void {
    this.tx.write(runId, batch);
  }

  /** Ordered by iteration; `from` and `to` are inclusive. */
  lossSeries(runId: number, range: { from?: number; to?: number } = {}): LossRecord[] {
    const rows = this.s.losses.all(runId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as Array<{
      iteration: number;
      d_loss: number | null;
      g_loss: number | null;
    }>;
    return rows.map((r) => ({ iteration: r.iteration, dLoss: fromReal(r.d_loss), gLoss: fromReal(r.g_loss) }));
  }

  metricSeries(runId: number): Array<{ iteration: number; metrics: Record<string, number> }> {
    const rows = this.s.metricSeries.all(runId) as Array<{ iteration: number; name: string; value: number | null }>;
    const out: Array<{ iteration: number; metrics: Record<string, number> }> = [];
    for (const r of rows) {
      let last = out[out.length - 1];
      if (!last || last.iteration !== r.iteration) out.push((last = { iteration: r.iteration, metrics: {} }));
      last.metrics[r.name] = fromReal(r.value);
    }
    return out;
  }

  snapshotSteps(runId: number): number[] {
    return this.s.snapshotSteps.all(runId) as number[];
  }

  /** The step's metrics, and its arrays in recorded order (only those in `names`, if given). */
  snapshot(runId: number, iteration: number, names?: string[]): SnapshotRecord | undefined {
    if (this.s.snapshotExists.get(runId, iteration) === undefined) return undefined;
    const rows = (
      names
        ? this.s.arraysNamed.all(runId, iteration, JSON.stringify(names))
        : this.s.arrays.all(runId, iteration)
    ) as ArrayDbRow[];
    const arrays: NamedArray[] = rows.map((r) => {
      const shape = JSON.parse(r.shape) as number[];
      const data = float32Of(r.data, `run ${runId} snapshot ${iteration} array ${r.name}`);
      if (shape.reduce((a, b) => a * b, 1) !== data.length) {
        throw new Error(`run ${runId} snapshot ${iteration} array ${r.name}: shape [${shape}] does not match ${data.length} values`);
      }
      return { name: r.name, shape, data };
    });
    const metrics: Record<string, number> = {};
    for (const m of this.s.metrics.all(runId, iteration) as Array<{ name: string; value: number | null }>) {
      metrics[m.name] = fromReal(m.value);
    }
    return { iteration, arrays, metrics };
  }

  latestCheckpoint(runId: number): CheckpointRecord | undefined {
    const row = this.s.latestCheckpoint.get(runId) as { iteration: number; state: Buffer } | undefined;
    return row && { iteration: row.iteration, state: new Uint8Array(row.state) };
  }

  /**
   * Before resuming from the checkpoint taken after `iteration` iterations: drops losses and
   * snapshots of iterations >= `iteration` (they were recorded after it) and newer checkpoints.
   */
  rollbackTo(runId: number, iteration: number): void {
    this.tx.rollback(runId, iteration);
  }

  private writeSnapshot(runId: number, snap: SnapshotRecord): void {
    this.s.deleteSnapshot.run(runId, snap.iteration);
    this.s.insertSnapshot.run(runId, snap.iteration);
    snap.arrays.forEach((a, position) => {
      this.s.insertArray.run(runId, snap.iteration, a.name, position, JSON.stringify(a.shape), bytesOf(a.data));
    });
    for (const [name, value] of Object.entries(snap.metrics)) {
      this.s.insertMetric.run(runId, snap.iteration, name, value);
    }
  }

  private assertRun(id: number): void {
    if (this.s.runExists.get(id) === undefined) throw new Error(`unknown run ${id}`);
  }
}

export interface RecordBatch {
  losses?: LossRecord[];
  snapshots?: SnapshotRecord[];
  checkpoint?: CheckpointRecord;
  iterationsDone?: number;
}

/** `{ error: undefined }` means "leave it", not "clear it"; clearing takes an explicit null. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
