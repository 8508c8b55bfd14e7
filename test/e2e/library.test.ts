/**
 * The Library in Chromium (browser mode) at 1024x700 and 1440x900: an id and a preset column,
 * a seed sweep under one collapsible row, one-line rows whose actions fit (a menu for the rest),
 * a diverged run's iteration and reason, a run's configuration (layers as tables) and "New run
 * from this". Screenshots go to test-results/screenshots/library-*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import { createRun } from '../../src/main/service/runs.js';
import { createSweep } from '../../src/main/service/sweep.js';
import type { RunRow } from '../../src/main/store/index.js';
import { resolveRunConfig } from '../../src/shared/validate.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;
let article: RunRow;
let diverged: RunRow;
let sweepId: string;

const REASON = 'G loss 8.2e16 is past the bound 1e6 for cross-entropy';
const row = (run: RunRow) => page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `library-${name}.png`) });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(dir, 'library-e2e.db')));
  const store = app.store;
  const config = (preset: 'article' | 'published-code', seed: number, iterations = 3000) =>
    resolveRunConfig({ preset, overrides: { seed, schedule: { iterations } } });
  const finish = (run: RunRow) => store.updateRun(run.id, { status: 'finished', iterationsDone: run.iterationsPlanned, backend: 'fused-simd', finishedAt: new Date().toISOString() });
  for (const seed of [1, 2, 3]) finish(createRun(store, config('published-code', seed, 300), undefined, { preset: 'published-code' }));
  ({ sweepId } = createSweep(store, config('article', 1, 500), [4, 5, 6], undefined, 'article'));
  diverged = store.updateRun(createRun(store, config('article', 9), undefined, { preset: 'article' }).id, {
    status: 'diverged',
    iterationsDone: 1234,
    error: `diverged at iteration 1,234: ${REASON}`,
  });
  article = finish(createRun(store, config('article', 1), undefined, { preset: 'article' }));
  store.updateRun(article.id, { tags: ['tutorial'] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('the Library, in Chromium', () => {
  it('at 1024x700: id and preset columns, one-line rows, actions inside the window, a diverged run says where and why', async () => {
    await page.goto(server.url);
    await row(article).waitFor({ timeout: 10_000 });
    const headers = (await page.locator('thead th').allTextContents()).map((t) => t.trim());
    expect(headers).toEqual(expect.arrayContaining(['ID', 'Name', 'Preset', 'Status', 'Iterations', 'Actions']));
    expect(await row(article).textContent()).toContain('quadratic'); // the data set, under the name when narrow
    expect(await page.getByTestId('library-table').getAttribute('data-compact')).toBe('true');
    expect(await row(article).getByTestId('run-id').textContent()).toBe(String(article.id));
    expect(await row(article).getByTestId('run-preset').textContent()).toBe('article');
    expect(await row(article).locator('.link').textContent()).toBe('article · quadratic · seed 1');

    await shot('1024-collapsed');
    // No sideways scroll, every action button inside the window, no row taller than a name, a reason and a date (it was 220 px).
    const wrap = page.getByTestId('library-table');
    expect(await wrap.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(1);
    for (const r of await page.locator('[data-testid="run-row"], [data-testid="sweep-row"]').all()) {
      const box = (await r.boundingBox())!;
      expect(box.height).toBeLessThan(100);
      for (const b of await r.locator('.actions .buttons button').all()) expect((await b.boundingBox())!.x + (await b.boundingBox())!.width).toBeLessThanOrEqual(1024);
    }

    const d = row(diverged);
    expect(await d.getByTestId('run-diverged').textContent()).toContain('Diverged at iteration 1,234');
    expect(await d.getByTestId('run-diverged-reason').textContent()).toBe(REASON);
    expect(await d.locator('[data-status="diverged"]').first().textContent()).toContain('diverged at 1,234');
  });

  it('groups a sweep under one row, collapsed, that opens and closes', async () => {
    const group = page.locator(`[data-testid="sweep-row"][data-sweep-id="${sweepId}"]`);
    expect(await page.getByTestId('sweep-row').count()).toBe(1);
    expect(await group.getAttribute('data-runs')).toBe('3');
    expect(await group.textContent()).toMatch(/article · quadratic[\s\S]*sweep of 3 runs · seeds 4–6/);
    const members = page.locator(`[data-testid="run-row"][data-sweep-id="${sweepId}"]`);
    expect(await members.count()).toBe(0);
    await group.getByTestId('sweep-toggle').click();
    await expect.poll(() => members.count()).toBe(3);
    expect(await members.locator('.link').allTextContents()).toEqual(['article · quadratic · seed 4', 'article · quadratic · seed 5', 'article · quadratic · seed 6']);
    await shot('1024-sweep-open');
    await group.getByTestId('sweep-toggle').click();
    await expect.poll(() => members.count()).toBe(0);
  });

  it("keeps the rest of a row's actions in a menu that opens inside the window", async () => {
    await row(article).getByTestId('row-menu').click();
    const rename = row(article).getByTestId('rename');
    await rename.waitFor({ state: 'visible' });
    const box = (await row(article).getByTestId('row-menu-items').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(await row(article).getByTestId('row-menu-items').getByRole('menuitem').allTextContents()).toEqual(['Live', 'Configuration', 'Rename', 'Tags', 'Export bundle', 'Delete']);
    await shot('1024-menu');
    await rename.click();
    await row(article).getByTestId('rename-input').press('Escape');
  });

  it("shows a run's configuration with its layers as tables, and New run from this copies it into New run", async () => {
    await row(article).getByTestId('row-menu').click();
    await row(article).getByTestId('open-run-config').click();
    const dialog = row(article).getByTestId('run-config-dialog');
    await dialog.getByTestId('run-config').waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByTestId('run-config-layers').count(), { timeout: 10_000 }).toBe(2); // G and D
    expect(await dialog.getByTestId('run-config-layers').first().getByTestId('layer-row').allTextContents()).toEqual(['116leaky ReLU 0.2offoff', '216leaky ReLU 0.2offoff']);
    expect(await dialog.getByTestId('run-config-preset').textContent()).toBe('article');
    expect(await dialog.locator('[data-path="optimizer.generator.kind"] td').textContent()).toBe('rmsprop');
    expect(await dialog.locator('[data-path="schedule.iterations"] td').textContent()).toBe('3000');
    await page.screenshot({ path: path.join(ARTIFACTS, 'library-1024-configuration.png') });

    await dialog.getByTestId('new-run-from-this').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/new');
    await expect.poll(() => page.getByTestId('iterations').inputValue(), { timeout: 10_000 }).toBe('3000');
    expect(await page.getByTestId('preset-description').textContent()).toContain(`copied from run ${article.id} “article · quadratic · seed 1”`);
    await page.getByTestId('nav-library').click();
  });

  it('at 1440x900: the data set and creation columns come back and every row is still one line', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => page.getByTestId('library-table').getAttribute('data-compact'), { timeout: 10_000 }).toBe('false');
    const headers = (await page.locator('thead th').allTextContents()).map((t) => t.trim());
    expect(headers).toEqual(expect.arrayContaining(['ID', 'Preset', 'Data set', 'Created']));
    expect(await row(article).textContent()).toContain('fused-simd'); // the backend, under the iterations
    expect(await row(article).locator('.actions .buttons button').allTextContents()).toEqual(['Replay', 'More ▾']);
    await page.locator(`[data-testid="sweep-row"] [data-testid="sweep-toggle"]`).click();
    const member = page.locator(`[data-testid="run-row"][data-sweep-id="${sweepId}"]`).first();
    expect(await member.locator('.actions .buttons button').allTextContents()).toEqual(['Replay', 'Resume', 'More ▾']);
    expect(await page.getByTestId('library-table').evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(1);
    for (const r of await page.locator('[data-testid="run-row"]').all()) expect((await r.boundingBox())!.height).toBeLessThan(80);
    await shot('1440-sweep-open');
  });
});
