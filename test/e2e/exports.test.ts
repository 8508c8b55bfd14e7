/**
 * Long exports and bundle imports in browser mode, as a person sees them in Debian's Chromium:
 * "Export every step" downloads one zip and writes nothing beside the database on the server; a
 * GIF over 121 snapshots and every step's files show "frame N of 121" / "file N of 121" while they
 * run and can be cancelled; importing a `.ganrun` whose run is already in the Library asks (skip
 * or import as a copy) and the copy keeps the original dates. Screenshots go to
 * test-results/screenshots/exports-*.png.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import { exportBundle } from '../../src/main/service/bundle.js';
import { openStore, type RunRow } from '../../src/main/store/index.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { finishedRun } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';

let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;
let dir: string;
let run: RunRow;
const SNAPSHOTS = 121; // 240 iterations, a snapshot every 2 and at the last

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `exports-${name}.png`) });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = tempDir();
  const dbPath = path.join(dir, 'exports.db');
  const store = openStore(dbPath);
  run = await finishedRun(store, { name: 'long exports', iterations: 240, snapshotEvery: 2 });
  store.close();
  ({ app, server } = await startBrowserMode(dbPath));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => {
    throw e;
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

async function openReplay() {
  await page.goto(`${server.url}#/replay/${run.id}`);
  await expect.poll(() => page.getByTestId('replay-samples').getAttribute('data-step'), { timeout: 20_000 }).toMatch(/^\d+$/);
}

describe('exports in browser mode', () => {
  it('"Export every step" downloads one zip, one file per snapshot, and writes nothing on the server', async () => {
    await openReplay();
    const before = readdirSync(dir).sort();
    await page.getByTestId('replay-centroids-batch-format').selectOption('csv');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('replay-centroids-batch-go').click()]);
    expect(download.suggestedFilename()).toBe('long-exports-centroids-every-step-csv.zip');
    const file = path.join(dir, 'downloaded.zip');
    await download.saveAs(file);
    const entries = Object.keys(unzipSync(readFileSync(file)));
    expect(entries).toHaveLength(SNAPSHOTS);
    expect(entries[0]).toBe('step-000000.csv');
    await expect.poll(() => page.getByTestId('replay-centroids-batch-result').textContent()).toContain(`${SNAPSHOTS} files in long-exports-centroids-every-step-csv.zip`);
    // nothing beside the database: no exports folder, only the file this test saved
    expect(readdirSync(dir).sort()).toEqual([...before, 'downloaded.zip'].sort());
    expect(existsSync(path.join(dir, 'exports'))).toBe(false);
  });

  it('a GIF over every snapshot shows "frame N of 121" while it runs, and Cancel stops it with no download', async () => {
    await openReplay();
    let downloaded = false;
    page.on('download', () => void (downloaded = true));
    await page.getByTestId('replay-features-export-format').selectOption('gif');
    await page.getByTestId('replay-features-export-scale').selectOption('2');
    await page.getByTestId('replay-features-export-go').click();
    const progress = page.getByTestId('replay-features-export-progress');
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`frame ([2-9]|\\d{2,}) of ${SNAPSHOTS}`));
    expect(await progress.locator('progress').getAttribute('max')).toBe(String(SNAPSHOTS));
    await shot('gif-progress-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('replay-features-export').scrollIntoViewIfNeeded();
    await shot('gif-progress-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('replay-features-export-cancel').click();
    await expect.poll(() => page.getByTestId('replay-features-export').textContent(), { timeout: 10_000 }).toContain('Export cancelled');
    expect(await progress.count()).toBe(0);
    expect(await page.getByTestId('replay-features-export-go').isEnabled()).toBe(true);
    expect(downloaded).toBe(false);
  });

  it('every step as PNG shows "file N of 121" and can be cancelled too', async () => {
    await openReplay();
    await page.getByTestId('replay-samples-batch-format').selectOption('png');
    await page.getByTestId('replay-samples-batch-go').click();
    const progress = page.getByTestId('replay-samples-batch-progress');
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`file ([2-9]|\\d{2,}) of ${SNAPSHOTS}`));
    await page.getByTestId('replay-samples-batch-cancel').click();
    await expect.poll(() => page.getByTestId('replay-samples-batch-result').textContent(), { timeout: 10_000 }).toContain('Export cancelled; nothing was written');
  });
});

describe('importing a bundle that is already in the Library', () => {
  it('asks: Skip adds nothing; Import as a copy adds it with its original dates', async () => {
    const bundle = path.join(dir, 'long-exports.ganrun');
    writeFileSync(bundle, exportBundle(app.store, run.id).bytes);
    await page.goto(`${server.url}#/library`);
    const rows = page.locator('[data-testid="run-row"]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);

    await page.getByTestId('import-file').setInputFiles(bundle);
    const dialog = page.getByTestId('import-duplicate');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await dialog.textContent()).toContain(`“long exports” (run ${run.id}`);
    await shot('import-duplicate-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('import-duplicate-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('import-skip').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('import-note').textContent()).toContain('Skipped long-exports.ganrun');
    expect(app.store.listRuns()).toHaveLength(1);

    await page.getByTestId('import-file').setInputFiles(bundle);
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('import-copy').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const copy = app.store.listRuns().find((r) => r.id !== run.id)!;
    expect(copy.name).toBe('long exports (copy)');
    expect([copy.createdAt, copy.finishedAt]).toEqual([run.createdAt, run.finishedAt]);
    await shot('import-copied');
  });
});
