/**
 * The run store: one SQLite file holding every run, its losses, snapshots and checkpoints.
 * Node-only (better-sqlite3); no Electron, no tfjs.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CURRENT_SCHEMA_VERSION, assertKnownVersion, migrate, schemaVersion } from './migrations.js';
import { RunStore } from './run-store.js';
import type { OpenStoreOptions } from './types.js';

export { CURRENT_SCHEMA_VERSION, SCHEMA_MIGRATIONS, migrate, schemaVersion } from './migrations.js';
export { RunStore, type RecordBatch } from './run-store.js';
export type { NewRun, OpenStoreOptions, RunPatch, RunRow, RunStatus } from './types.js';

/**
 * Opens (creating if needed, along with its folder) and migrates the store at `file`.
 * Unless told otherwise, runs a crashed process left 'running' or 'paused' become 'interrupted'.
 */
export function openStore(file: string, options: OpenStoreOptions = {}): RunStore {
  const readonly = options.readonly ?? false;
  if (!readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly,
    fileMustExist: readonly,
    timeout: 5000,
    ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (readonly) {
      // Cannot migrate; an older file would not match the statements RunStore prepares.
      const version = schemaVersion(db);
      assertKnownVersion(version);
      if (version < CURRENT_SCHEMA_VERSION) {
        throw new Error(
          `database schema version ${version} is older than this app (${CURRENT_SCHEMA_VERSION}); open it read-write once to upgrade`,
        );
      }
    } else {
      // Refuse a newer file before touching it, even its journal mode.
      assertKnownVersion(schemaVersion(db));
      // WAL lets the UI read while the trainer writes; NORMAL is durable across app crashes in
      // WAL mode (a power cut may lose the last commits, never corrupt the file).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    const store = new RunStore(db, file);
    if (!readonly && (options.recoverInterrupted ?? true)) store.recoverInterrupted();
    return store;
  } catch (err) {
    db.close();
    throw err;
  }
}
