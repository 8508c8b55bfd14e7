export type RunStatus =
  | 'created'
  | 'running'
  | 'paused'
  | 'finished'
  | 'stopped'
  | 'interrupted'
  | 'diverged'
  | 'failed';

export interface RunRow {
  id: number;
  name: string;
  /** Parsed JSON as stored; the service validates it. */
  config: unknown;
  status: RunStatus;
  backend: string | null;
  seed: number;
  iterationsPlanned: number;
  iterationsDone: number;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  appVersion: string;
  error: string | null;
  msPerIteration: number | null;
  tags: string[];
  sweepId: string | null;
  /** The preset the run's configuration started from ('article', 'published-code'), or null. */
  preset: string | null;
  /** Iteration of the newest checkpoint, or null if there is none. */
  lastCheckpoint: number | null;
}

export interface NewRun {
  name: string;
  config: unknown;
  seed: number;
  iterationsPlanned: number;
  appVersion: string;
  backend?: string | null;
  status?: RunStatus;
  sweepId?: string | null;
  tags?: string[];
  preset?: string | null;
  /** ISO 8601; default now. An imported run keeps its original one. */
  createdAt?: string;
}

export type RunPatch = Partial<
  Pick<
    RunRow,
    | 'name'
    | 'status'
    | 'backend'
    | 'iterationsDone'
    | 'error'
    | 'msPerIteration'
    | 'tags'
    | 'finishedAt'
    | 'iterationsPlanned'
  >
>;

export interface OpenStoreOptions {
  /** Path of a better_sqlite3.node built for the running ABI (Electron's differs from Node's). */
  nativeBinding?: string;
  /** Read without migrating or recovering; the file must exist and be at the current version. */
  readonly?: boolean;
  /**
   * Mark runs left 'running' or 'paused' as 'interrupted' (default true; ignored when readonly).
   * Pass false from any process that is not the only writer, or it will mark live runs.
   */
  recoverInterrupted?: boolean;
}
