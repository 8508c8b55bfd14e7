/**
 * Regenerates docs/screenshots/: trains an article run in-process (the tutorial's 100 001
 * iterations by default, a snapshot every 1000), opens it in Replay in Debian's Chromium over
 * browser mode, and saves D's feature space at iterations 0, 3000, 16 000 and the end, the three
 * phases of one step (before D, after D, after G: identical axes), and the whole Replay screen at
 * 1024x700, 1440x900 and 2560x1440. Run with `npm run screenshots` (it builds the renderer
 * first); `-- --iterations 20001` trains a shorter run (it must reach 16 000).
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { createApp } from '../src/main/app.js';
import { initBackend } from '../src/main/engine/backend.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { serveBrowserMode } from '../src/main/server/browser-server.js';
import { createRun } from '../src/main/service/runs.js';
import { trainRun } from '../src/main/service/training.js';
import { openStore } from '../src/main/store/index.js';
import { resolveRunConfig } from '../src/shared/validate.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const iterations = Number(arg('iterations') ?? 100_001);
if (!(iterations > 16_000)) throw new Error('--iterations must be above 16 000 (the screenshots include iteration 16 000)');

const work = path.join(ROOT, 'test-results', 'screenshots-run');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(path.join(OUT, f));

const dbPath = path.join(work, 'screenshots.db');
const store = openStore(dbPath);
await initBackend('auto');
const config = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations }, recording: { lossEvery: 10, snapshotEvery: 1000 }, seed: 1 } });
const run = createRun(store, config, undefined, { preset: 'article' }); // named by the app: 'article · quadratic · seed 1'
const started = performance.now();
await trainRun(store, run.id);
const trainSeconds = (performance.now() - started) / 1000;
const steps = store.snapshotSteps(run.id);
const backend = store.getRun(run.id)?.backend;
store.close();
const end = steps[steps.length - 1]!;
console.log(`trained ${iterations} iterations in ${trainSeconds.toFixed(0)} s (${backend}), ${steps.length} snapshots, the last at ${end}`);

const app = createApp({ dbPath, transport: 'browser', spawnWorker: spawnNodeWorker });
const server = await serveBrowserMode({ app, rendererDir: path.join(ROOT, 'out', 'renderer') });
const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
});
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const shots: string[] = [];

/** Replay at `step` with `query`, once every panel shows that step. */
async function open(page: Page, step: number, query = ''): Promise<void> {
  await page.goto(`${server.url}#/replay/${run.id}?step=${step}${query ? `&${query}` : ''}`);
  await page.reload(); // a hash change alone would keep the last view's state
  for (const testid of ['replay-features', 'replay-samples', 'replay-centroids']) {
    await page.waitForFunction(([t, s]) => document.querySelector(`[data-testid="${t}"]`)?.getAttribute('data-step') === s, [testid, String(step)] as const, { timeout: 30_000 });
  }
  await page.mouse.move(0, 0);
}

async function panel(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.locator('[data-panel="replay-features"]').screenshot({ path: file });
  shots.push(file);
}

try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  // D's feature space through the run, the tutorial's picture (across the G step), each step on its own axes.
  for (const step of [0, 3000, 16_000, end]) {
    await open(page, step);
    await panel(page, `features-${String(step).padStart(6, '0')}`);
  }
  // One step's three phases, on the step's one set of axes.
  for (const phase of ['before-d', 'after-d', 'after-g']) {
    await open(page, 3000, `phase=${phase}`);
    await panel(page, `phase-3000-${phase}`);
  }
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
    [2560, 1440],
  ] as const) {
    await page.setViewportSize({ width, height });
    await open(page, 16_000, 'layers=heatmap');
    const file = path.join(OUT, `replay-${width}x${height}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  }
} finally {
  await browser.close();
  await server.close();
  await app.close();
}
const total = shots.reduce((sum, f) => sum + statSync(f).size, 0);
console.log(`${shots.length} screenshots in ${path.relative(ROOT, OUT)} (${Math.round(total / 1024)} KB); training took ${trainSeconds.toFixed(0)} s`);
