/** Between SQLite rows and the store's types. */
import type { RunRow, RunStatus } from './types.js';

export interface RunDbRow {
  id: number;
  name: string;
  config: string;
  status: string;
  backend: string | null;
  seed: number;
  iterations_planned: number;
  iterations_done: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  app_version: string;
  error: string | null;
  ms_per_iteration: number | null;
  tags: string;
  sweep_id: string | null;
  preset: string | null;
  last_checkpoint: number | null;
}

export interface ArrayDbRow {
  name: string;
  shape: string;
  data: Buffer;
}

export const SELECT_RUN = `
  SELECT r.*, (SELECT MAX(c.iteration) FROM checkpoints c WHERE c.run_id = r.id) AS last_checkpoint
  FROM runs r`;

export const now = (): string => new Date().toISOString();

/** SQLite stores NaN as NULL; NULL in a loss or metric column can only have come from NaN. */
export const fromReal = (v: number | null): number => (v === null ? Number.NaN : v);

/** Exactly the bytes of the array (little-endian on every platform Electron runs on). */
export const bytesOf = (a: Uint8Array | Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Copies into a fresh ArrayBuffer: a Buffer from SQLite may sit at an offset not divisible by 4. */
export function float32Of(buf: Buffer, what: string): Float32Array {
  if (buf.byteLength % 4 !== 0) throw new Error(`${what}: ${buf.byteLength} bytes is not a float32 array`);
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function toRun(r: RunDbRow): RunRow {
  return {
    id: r.id,
    name: r.name,
    config: JSON.parse(r.config) as unknown,
    status: r.status as RunStatus,
    backend: r.backend,
    seed: r.seed,
    iterationsPlanned: r.iterations_planned,
    iterationsDone: r.iterations_done,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    appVersion: r.app_version,
    error: r.error,
    msPerIteration: r.ms_per_iteration,
    tags: JSON.parse(r.tags) as string[],
    sweepId: r.sweep_id,
    preset: r.preset,
    lastCheckpoint: r.last_checkpoint,
  };
}
