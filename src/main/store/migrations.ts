/**
 * Numbered schema migrations on `PRAGMA user_version`, in the manner of Signal-Desktop: step N
 * runs inside one transaction and ends by setting user_version = N, so a crash mid-step leaves
 * the file at N-1, never in between. Steps are append-only: once released, a step never changes;
 * fix mistakes with a new step.
 */
import type Database from 'better-sqlite3';

type Db = Database.Database;

/** v1: runs and everything a training run writes. */
function updateToSchemaVersion1(db: Db): void {
  db.exec(`
    CREATE TABLE runs (
      id                 INTEGER PRIMARY KEY,
      name               TEXT    NOT NULL,
      config             TEXT    NOT NULL,
      status             TEXT    NOT NULL,
      backend            TEXT,
      seed               INTEGER NOT NULL,
      iterations_planned INTEGER NOT NULL,
      iterations_done    INTEGER NOT NULL DEFAULT 0,
      created_at         TEXT    NOT NULL,
      updated_at         TEXT    NOT NULL,
      finished_at        TEXT,
      app_version        TEXT    NOT NULL,
      error              TEXT,
      ms_per_iteration   REAL
    );
    CREATE INDEX runs_status ON runs (status);

    -- NULL losses stand for NaN: SQLite cannot store NaN in a REAL column.
    CREATE TABLE losses (
      run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      iteration INTEGER NOT NULL,
      d_loss    REAL,
      g_loss    REAL,
      PRIMARY KEY (run_id, iteration)
    ) WITHOUT ROWID;

    -- A parent row per step, so a step exists even if it recorded nothing, and deleting it
    -- takes its arrays (and, from v2, metrics) along.
    CREATE TABLE snapshots (
      run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      iteration INTEGER NOT NULL,
      PRIMARY KEY (run_id, iteration)
    ) WITHOUT ROWID;

    -- A rowid table on purpose: WITHOUT ROWID is slow for rows as large as these blobs.
    -- data is the Float32Array's bytes, little-endian; position keeps the engine's order.
    CREATE TABLE snapshot_arrays (
      run_id    INTEGER NOT NULL,
      iteration INTEGER NOT NULL,
      name      TEXT    NOT NULL,
      position  INTEGER NOT NULL,
      shape     TEXT    NOT NULL,
      data      BLOB    NOT NULL,
      PRIMARY KEY (run_id, iteration, name),
      FOREIGN KEY (run_id, iteration) REFERENCES snapshots (run_id, iteration) ON DELETE CASCADE
    );

    CREATE TABLE checkpoints (
      run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      iteration  INTEGER NOT NULL,
      state      BLOB    NOT NULL,
      created_at TEXT    NOT NULL,
      PRIMARY KEY (run_id, iteration)
    );
  `);
}

/** v2: quality metrics per snapshot step. */
function updateToSchemaVersion2(db: Db): void {
  db.exec(`
    CREATE TABLE snapshot_metrics (
      run_id    INTEGER NOT NULL,
      iteration INTEGER NOT NULL,
      name      TEXT    NOT NULL,
      value     REAL,
      PRIMARY KEY (run_id, iteration, name),
      FOREIGN KEY (run_id, iteration) REFERENCES snapshots (run_id, iteration) ON DELETE CASCADE
    ) WITHOUT ROWID;
  `);
}

/** v3: tags and sweep grouping; lookups by name (findRun) and by sweep. */
function updateToSchemaVersion3(db: Db): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE runs ADD COLUMN sweep_id TEXT;
    CREATE INDEX runs_name ON runs (name);
    CREATE INDEX runs_sweep ON runs (sweep_id) WHERE sweep_id IS NOT NULL;
  `);
}

/** v4: the preset a run started from (null: none, or a run made before presets were recorded). */
function updateToSchemaVersion4(db: Db): void {
  db.exec(`ALTER TABLE runs ADD COLUMN preset TEXT;`);
}

/** Index i holds the step to schema version i + 1. */
export const SCHEMA_MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  updateToSchemaVersion1,
  updateToSchemaVersion2,
  updateToSchemaVersion3,
  updateToSchemaVersion4,
];

export const CURRENT_SCHEMA_VERSION = SCHEMA_MIGRATIONS.length;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** An older app must not write to a file whose meaning it does not know. */
export function assertKnownVersion(version: number): void {
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${version} is newer than this app (${CURRENT_SCHEMA_VERSION}); update GAN Lab`,
    );
  }
}

/**
 * Brings `db` up to schema version `upTo` (default: current), one transaction per step.
 * Tests pass a smaller `upTo` to build files as earlier releases left them. Returns the version.
 */
export function migrate(db: Db, upTo: number = CURRENT_SCHEMA_VERSION): number {
  if (!Number.isInteger(upTo) || upTo < 0 || upTo > CURRENT_SCHEMA_VERSION) {
    throw new Error(`cannot migrate to schema version ${upTo}; this app knows 0..${CURRENT_SCHEMA_VERSION}`);
  }
  assertKnownVersion(schemaVersion(db));
  // IMMEDIATE takes the write lock before reading the version, so two processes opening the
  // same old file cannot both run the same step.
  const stepOnce = db.transaction((): number => {
    const version = schemaVersion(db);
    assertKnownVersion(version);
    if (version >= upTo) return version;
    const next = version + 1;
    SCHEMA_MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${next}`);
    return next;
  });
  let version = schemaVersion(db);
  while (version < upTo) version = stepOnce.immediate();
  return version;
}
