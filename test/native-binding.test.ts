/**
 * openStore's `nativeBinding`: how an Electron build loads a better_sqlite3.node built for its
 * own ABI from outside node_modules. Here a copy of the plain-Node build stands in for it.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/main/store/index.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const require = createRequire(import.meta.url);
const builtBinding = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe('openStore with nativeBinding', () => {
  it('loads a better_sqlite3.node copied to another folder, and the store works through it', () => {
    expect(existsSync(builtBinding)).toBe(true);
    const nativeDir = path.join(dir, 'resources', 'native');
    mkdirSync(nativeDir, { recursive: true });
    const binding = path.join(nativeDir, 'better_sqlite3.node');
    copyFileSync(builtBinding, binding);

    const file = path.join(dir, 'data', 'runs.db');
    const store = openStore(file, { nativeBinding: binding });
    const run = store.createRun({ name: 'through the copy', config: { seed: 2 }, seed: 2, iterationsPlanned: 10, appVersion: '0.0.0' });
    store.writeRecords(run.id, {
      losses: [{ iteration: 0, dLoss: 0.5, gLoss: 0.75 }],
      checkpoint: { iteration: 1, state: Uint8Array.of(1, 2, 3) },
      iterationsDone: 1,
    });
    store.close();

    const again = openStore(file, { nativeBinding: binding });
    try {
      expect(again.getRun(run.id)).toMatchObject({ name: 'through the copy', iterationsDone: 1, lastCheckpoint: 1 });
      expect(again.lossSeries(run.id)).toEqual([{ iteration: 0, dLoss: 0.5, gLoss: 0.75 }]);
      expect(Array.from(again.latestCheckpoint(run.id)!.state)).toEqual([1, 2, 3]);
    } finally {
      again.close();
    }
  });

  it('fails with an error naming the path when the binding does not exist', () => {
    const missing = path.join(dir, 'nowhere', 'better_sqlite3.node');
    const file = path.join(dir, 'missing-binding.db');
    expect(() => openStore(file, { nativeBinding: missing })).toThrow(missing);
  });
});
