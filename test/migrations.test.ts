import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, SCHEMA_MIGRATIONS, migrate, openStore } from '../src/main/store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-lab-migrations-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const userVersion = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

const tableNames = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]);

/** Rows as a release at schema `version` would have written them, with that release's columns. */
function insertRepresentativeRows(db: Database.Database, version: number): void {
  if (version >= 1) {
    db.prepare(
      `INSERT INTO runs (id, name, config, status, backend, seed, iterations_planned, iterations_done,
         created_at, updated_at, finished_at, app_version, error, ms_per_iteration)
       VALUES (7, 'old run', '{"seed":3}', 'running', 'cpu', 3, 100, 20,
         '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', NULL, '0.0.1', NULL, 1.5)`,
    ).run();
    db.prepare(`INSERT INTO losses VALUES (7, 0, 0.5, 0.7), (7, 10, NULL, 1e300)`).run();
    db.prepare(`INSERT INTO snapshots VALUES (7, 0)`).run();
    db.prepare(`INSERT INTO snapshot_arrays VALUES (7, 0, 'real', 0, '[2,2]', ?)`).run(
      Buffer.from(new Float32Array([1, 2, 3, 4]).buffer),
    );
    db.prepare(`INSERT INTO checkpoints VALUES (7, 20, ?, '2024-01-02T00:00:00.000Z')`).run(Buffer.from([1, 2, 3]));
  }
  if (version >= 2) {
    db.prepare(`INSERT INTO snapshot_metrics VALUES (7, 0, 'modeCoverage', 0.25)`).run();
  }
  if (version >= 3) {
    db.prepare(`UPDATE runs SET tags = '["a"]', sweep_id = 'sw1' WHERE id = 7`).run();
  }
  if (version >= 4) {
    db.prepare(`UPDATE runs SET preset = 'article' WHERE id = 7`).run();
  }
}

describe('migrations', () => {
  it('numbers the versions after the migration list', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(SCHEMA_MIGRATIONS.length);
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('creates the current schema in an empty file', () => {
    const file = join(dir, 'nested', 'folder', 'runs.sqlite');
    openStore(file).close();
    expect(userVersion(file)).toBe(CURRENT_SCHEMA_VERSION);
    const db = new Database(file);
    expect(tableNames(db)).toEqual(
      ['checkpoints', 'losses', 'runs', 'snapshot_arrays', 'snapshot_metrics', 'snapshots'].sort(),
    );
    db.close();
  });

  it('stops at the requested version and sets user_version at each step', () => {
    const db = new Database(join(dir, 'steps.sqlite'));
    for (let v = 0; v <= CURRENT_SCHEMA_VERSION; v++) {
      expect(migrate(db, v)).toBe(v);
      expect(db.pragma('user_version', { simple: true })).toBe(v);
    }
    expect(() => migrate(db, CURRENT_SCHEMA_VERSION + 1)).toThrow(/cannot migrate/);
    db.close();
  });

  it('leaves a failed step wholly undone', () => {
    const db = new Database(join(dir, 'failed.sqlite'));
    migrate(db, 2);
    // Step 3 adds columns, then creates this index: taking its name makes it fail part-way.
    db.exec(`CREATE INDEX runs_name ON runs (status)`);
    expect(() => migrate(db)).toThrow(/runs_name/);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const columns = db.prepare(`SELECT name FROM pragma_table_info('runs')`).pluck().all();
    expect(columns).not.toContain('tags');
    db.close();
  });

  for (let k = 0; k < CURRENT_SCHEMA_VERSION; k++) {
    it(`upgrades a file at version ${k} to the current version, keeping its data`, () => {
      const file = join(dir, `v${k}.sqlite`);
      const raw = new Database(file);
      migrate(raw, k);
      insertRepresentativeRows(raw, k);
      raw.close();

      const store = openStore(file, { recoverInterrupted: false });
      try {
        expect(userVersion(file)).toBe(CURRENT_SCHEMA_VERSION);
        if (k === 0) {
          expect(store.listRuns()).toEqual([]);
          return;
        }
        const run = store.getRun(7)!;
        expect(run).toMatchObject({
          name: 'old run',
          config: { seed: 3 },
          status: 'running',
          backend: 'cpu',
          iterationsDone: 20,
          msPerIteration: 1.5,
          appVersion: '0.0.1',
          lastCheckpoint: 20,
          tags: k >= 3 ? ['a'] : [],
          sweepId: k >= 3 ? 'sw1' : null,
          // Runs made before v4 did not record a preset: unknown, not guessed.
          preset: k >= 4 ? 'article' : null,
        });
        expect(store.lossSeries(7)).toEqual([
          { iteration: 0, dLoss: 0.5, gLoss: 0.7 },
          { iteration: 10, dLoss: Number.NaN, gLoss: 1e300 },
        ]);
        const snap = store.snapshot(7, 0)!;
        expect(Array.from(snap.arrays[0]!.data)).toEqual([1, 2, 3, 4]);
        expect(snap.metrics).toEqual(k >= 2 ? { modeCoverage: 0.25 } : {});
        expect(Array.from(store.latestCheckpoint(7)!.state)).toEqual([1, 2, 3]);
        // The upgraded file works for new writes too.
        store.writeRecords(7, { snapshots: [{ iteration: 30, arrays: [], metrics: { x: 1 } }] });
        expect(store.metricSeries(7).at(-1)).toEqual({ iteration: 30, metrics: { x: 1 } });
      } finally {
        store.close();
      }
    });
  }

  it('refuses a file from a newer app and leaves it untouched', () => {
    const file = join(dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openStore(file)).toThrow(
      `database schema version 7 is newer than this app (${CURRENT_SCHEMA_VERSION}); update GAN Lab`,
    );
    expect(() => openStore(file, { readonly: true })).toThrow(/newer than this app/);
    expect(userVersion(file)).toBe(7);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(tableNames(db)).toEqual([]);
    db.close();
  });

  it('will not open an out-of-date file read-only', () => {
    const file = join(dir, 'old.sqlite');
    const raw = new Database(file);
    migrate(raw, 1);
    raw.close();
    expect(() => openStore(file, { readonly: true })).toThrow(/older than this app/);
    expect(userVersion(file)).toBe(1);
  });
});
