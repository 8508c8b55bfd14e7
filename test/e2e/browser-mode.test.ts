/**
 * End to end, as a person uses it: browser mode served on 127.0.0.1, Debian's Chromium driven by
 * Playwright. Create a run from a preset, watch it train live, pause, resume, stop, then find it
 * in the Library and rename, tag and delete it. Screenshots go to test-results/screenshots.
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const progressDone = async () => Number((await page.getByTestId('progress').textContent())!.split('/')[0]!.trim());
const lossPoints = async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
const liveStatus = () => page.locator('[data-testid="run-status"]').first();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(tempDir(), 'e2e.db')));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

/** Fills the New run form from a preset and starts it; the app then shows the run live. */
async function startRun(preset: string, iterations: number, name: string) {
  await page.getByTestId('nav-new').click();
  await page.getByTestId('preset-select').selectOption(preset);
  await page.getByTestId('iterations').fill(String(iterations));
  await page.getByTestId('run-name').fill(name);
  await expect.poll(() => page.getByTestId('start-run').isEnabled(), { timeout: 10_000 }).toBe(true);
  await page.getByTestId('start-run').click();
  await expect.poll(() => page.getByTestId('progress').isVisible(), { timeout: 15_000 }).toBe(true);
}

describe('browser mode, end to end in Chromium', () => {
  it('trains the article preset for 20 000 iterations live (long enough to pause halfway on the SIMD engine): progress, loss chart and both scatters move, pause and resume work, and the Library shows it finished', async () => {
    await page.goto(server.url);
    await startRun('article', 20_000, 'article 20k');
    await expect.poll(progressDone, { timeout: 30_000 }).toBeGreaterThan(100);
    const firstPoints = await lossPoints();
    await expect.poll(lossPoints, { timeout: 20_000 }).toBeGreaterThan(firstPoints);
    await expect.poll(() => page.getByTestId('samples-chart').getAttribute('data-step'), { timeout: 20_000 }).toMatch(/^\d+$/);
    await shot('01-live-training');

    await page.getByTestId('pause').click();
    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 10_000 }).toBe('paused');
    await page.waitForTimeout(500); // records already on their way when the pause landed
    const pausedAt = await progressDone();
    await page.waitForTimeout(800);
    expect(await progressDone()).toBe(pausedAt);
    await shot('02-live-paused');
    await page.getByTestId('resume').click();
    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
    await expect.poll(progressDone, { timeout: 20_000 }).toBeGreaterThan(pausedAt);

    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 90_000 }).toBe('finished');
    expect(await progressDone()).toBe(20_000);
    await expect.poll(() => page.getByTestId('samples-chart').getAttribute('data-step'), { timeout: 10_000 }).toBe('19999');
    expect(await page.getByTestId('features-chart').getAttribute('data-step')).toBe('19999');
    expect(await lossPoints()).toBeGreaterThanOrEqual(200);
    await shot('03-live-finished');

    // Step back through the snapshots and overlay the phases around the G step (the tutorial's picture).
    await page.getByTestId('snapshot-step').fill('0');
    await expect.poll(() => page.getByTestId('samples-chart').getAttribute('data-step'), { timeout: 10_000 }).toBe('0');
    expect(await page.getByTestId('snapshot-label').textContent()).toMatch(/iteration 0 \(1 of 101\)/); // 20 000 iterations record every 200 by default
    await page.locator('body').press('ArrowRight');
    await expect.poll(() => page.getByTestId('features-chart').getAttribute('data-step'), { timeout: 10_000 }).toBe('200');
    await page.getByTestId('feature-phase').selectOption('overlay-g');
    // the tutorial's claims at this step: D is unchanged by the G step, so real features stay put
    await expect
      .poll(() => page.locator('[data-testid="claims"] [data-claim="real-features-still"]').getAttribute('data-outcome'), { timeout: 10_000 })
      .toBe('holds');
    expect(await page.getByTestId('claims').textContent()).toMatch(/iteration 200\b/);
    await shot('03b-live-overlay-g-step-200');
    await page.getByTestId('features-chart').scrollIntoViewIfNeeded();
    await page.getByTestId('features-chart').screenshot({ path: path.join(ARTIFACTS, '03c-features-overlay-g.png') });
    await page.getByTestId('claims').screenshot({ path: path.join(ARTIFACTS, '03d-claims-strip.png') });

    await page.getByTestId('nav-library').click();
    const row = page.locator('[data-testid="run-row"]', { hasText: 'article 20k' });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('finished');
    expect(await row.textContent()).toMatch(/20,?000\s*\/\s*20,?000/);
    // a run started from a preset in New run records it
    expect(await row.getByTestId('run-preset').textContent()).toBe('article');
    await shot('04-library-finished');
  });

  it('stops a run, which the Library then offers to resume; rename, tag and delete work there', async () => {
    await startRun('published-code', 10_001, 'to stop');
    await expect.poll(progressDone, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('stop').click();
    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');

    await page.getByTestId('nav-library').click();
    const row = page.locator('[data-testid="run-row"]', { hasText: 'to stop' });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('stopped');
    expect(await row.getByTestId('resume-run').isEnabled()).toBe(true);
    const id = Number(await row.getAttribute('data-run-id'));
    // While a name is being edited the row's text changes: address it by id from here on.
    const renamed = page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

    await renamed.getByTestId('row-menu').click(); // Rename, Tags and Delete are in the row's menu
    await renamed.getByTestId('rename').click();
    await renamed.getByTestId('rename-input').fill('renamed in e2e');
    await renamed.getByTestId('rename-input').press('Enter');
    await expect.poll(() => renamed.textContent(), { timeout: 10_000 }).toContain('renamed in e2e');
    expect(app.store.getRun(id)!.name).toBe('renamed in e2e');

    await renamed.getByTestId('row-menu').click();
    await renamed.getByTestId('tags').click();
    await renamed.getByTestId('tags-input').fill('tutorial, e2e');
    await renamed.getByTestId('tags-input').press('Enter');
    await expect.poll(() => app.store.getRun(id)!.tags, { timeout: 10_000 }).toEqual(['tutorial', 'e2e']);
    await page.getByTestId('search').fill('e2e');
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 5000 }).toBe(1);
    await shot('05-library-renamed-tagged');
    await page.getByTestId('search').fill('');

    await renamed.getByTestId('row-menu').click();
    await renamed.getByTestId('delete').click();
    await shot('06-delete-confirm');
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => renamed.count(), { timeout: 10_000 }).toBe(0);
    expect(app.store.getRun(id)).toBeUndefined();
  });

  it('starts a seed sweep from the New run screen: one run per seed, each finishing', async () => {
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-select').selectOption('article');
    await page.getByTestId('iterations').fill('300');
    await page.getByTestId('run-name').fill('ui sweep');
    await page.getByTestId('seeds').fill('7-');
    await expect.poll(() => page.getByTestId('field-error').first().textContent(), { timeout: 5000 }).toMatch(/expected a list like 1-8/);
    expect(await page.getByTestId('start-run').isEnabled()).toBe(false);
    await page.getByTestId('seeds').fill('7-8');
    await expect.poll(() => page.getByTestId('start-run').textContent(), { timeout: 10_000 }).toMatch(/sweep of 2 seeds/);
    await expect.poll(() => page.getByTestId('start-run').isEnabled(), { timeout: 10_000 }).toBe(true);
    await shot('07-new-run-sweep');
    await page.getByTestId('start-run').click();
    await page.getByTestId('nav-library').click();
    await page.getByTestId('sweep-toggle').click(); // a sweep's runs sit under one collapsed row
    for (const seed of [7, 8]) {
      const row = page.locator('[data-testid="run-row"]', { hasText: `ui sweep · seed ${seed}` });
      await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('finished');
    }
    const sweepIds = new Set(app.store.listRuns().filter((r) => r.name.startsWith('ui sweep')).map((r) => r.sweepId));
    expect(sweepIds.size).toBe(1);
    expect([...sweepIds][0]).toBeTruthy();
  });

  it('refuses a page from another origin, with or without the token', async () => {
    const evil = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>other page</title>'));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const other = await browser.newPage();
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const attempt = (url: string) =>
        other.evaluate(
          (u) =>
            new Promise<string>((resolve) => {
              const ws = new WebSocket(u);
              ws.onopen = () => resolve('open');
              ws.onerror = () => resolve('refused');
            }),
          url,
        );
      const base = `ws://127.0.0.1:${server.port}/api`;
      expect(await attempt(base)).toBe('refused');
      expect(await attempt(`${base}?token=${server.token}`)).toBe('refused'); // the token alone is not enough from another page
      await other.close();
      // ...while the app's own page, with its token, is connected and working
      expect(await page.evaluate(() => document.querySelector('[data-testid="status-line"]')?.textContent ?? '')).toMatch(/browser/);
    } finally {
      await new Promise<void>((r) => evil.close(() => r()));
    }
  });
});
