/**
 * New run, end to end in Debian's Chromium over browser mode (issue 10, items 2, 8 and 10):
 * messages that name the field and its range, a ready/problem state that counts the seed sweep
 * too, how many snapshots and loss points the run will keep (with a warning below 20), and a
 * layout that keeps Start and the preview in view at 1024x700. Screenshots go to
 * test-results/screenshots.
 */
import { mkdirSync } from 'node:fs';
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

const state = () => page.getByTestId('form-state');
const field = (p: string) => page.locator(`.field[data-path="${p}"]`);
const input = (p: string) => field(p).locator('input').first();
const fieldErrors = (p: string) => field(p).getByTestId('field-error').allTextContents();
const kept = async () => {
  const k = page.getByTestId('recording-kept');
  return { snapshots: Number(await k.getAttribute('data-snapshots')), losses: Number(await k.getAttribute('data-losses')) };
};

/** Opens New run on a preset and waits for config.check to call it valid. */
async function openNewRun(preset = 'article') {
  // A fresh page each time: a hash-only goto would keep the last test's form.
  await page.goto(`${server.url}#/new`);
  await page.reload();
  await page.getByTestId('preset-select').selectOption(preset);
  await expect.poll(() => state().textContent(), { timeout: 15_000 }).toContain('Ready: the configuration is valid.');
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(tempDir(), 'new-run.db')));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('New run, end to end in Chromium', () => {
  it('names the field and its range in every message, not zod\'s words', async () => {
    await openNewRun();
    await input('schedule.batchSize').fill('100000');
    await expect.poll(() => fieldErrors('schedule.batchSize'), { timeout: 10_000 }).toEqual(['Batch size must be a whole number from 1 to 65 536']);
    await input('seed').fill('');
    await expect.poll(() => fieldErrors('seed'), { timeout: 10_000 }).toEqual(['Seed must be a number']);
    await input('seed').fill('1.5');
    await expect.poll(() => fieldErrors('seed'), { timeout: 10_000 }).toEqual(['Seed must be a whole number from 0 to 2 147 483 647']);
    const all = await page.getByTestId('field-error').allTextContents();
    expect(all.join(' | ')).not.toMatch(/expected|received|Too (big|small)|>=|<=/);

    // The points data set starts empty: the form and the preview say the same thing, in words.
    await page.locator('.field[data-path="dataset.kind"] select').selectOption('points');
    await expect.poll(() => page.getByTestId('preview-error').textContent(), { timeout: 10_000 }).toBe('Preview unavailable: Points: at least 2 points are needed');
    await expect.poll(async () => (await page.getByTestId('field-error').allTextContents()).includes('Points: at least 2 points are needed'), { timeout: 10_000 }).toBe(true);
  });

  it('counts the seed sweep among the problems: never "Ready" while Start is disabled', async () => {
    await openNewRun();
    await expect.poll(() => page.getByTestId('start-run').isEnabled()).toBe(true);

    await page.getByTestId('seeds').fill('abc');
    await expect.poll(() => state().getAttribute('data-problems')).toBe('1');
    expect(await state().textContent()).toContain('Fix the problem marked in the form to start.');
    expect(await page.getByTestId('start-run').isEnabled()).toBe(false);

    // A field problem as well: two problems, and the text says so.
    await input('schedule.batchSize').fill('0');
    await expect.poll(() => state().getAttribute('data-problems'), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => state().textContent()).toContain('Fix the 2 problems marked in the form to start.');

    await input('schedule.batchSize').fill('256');
    await expect.poll(() => state().getAttribute('data-problems'), { timeout: 10_000 }).toBe('1');
    // Checked and valid, but the sweep is not: still a problem, not "Ready".
    await expect.poll(() => page.locator('[data-path="schedule.batchSize"] [data-testid="field-error"]').count()).toBe(0);
    expect(await state().textContent()).not.toContain('Ready');
    expect(await page.getByTestId('start-run').isEnabled()).toBe(false);

    await page.getByTestId('seeds').fill('1-4');
    await expect.poll(() => state().textContent()).toContain('Ready: the configuration is valid.');
    expect(await page.getByTestId('start-run').textContent()).toContain('Start a sweep of 4 seeds');
    expect(await page.getByTestId('start-run').isEnabled()).toBe(true);
  });

  it('shows how many snapshots and loss points the run keeps, and warns below 20', async () => {
    await openNewRun('published-code');
    await page.getByTestId('iterations').fill('300');
    // auto: about 100 snapshots whatever the length (every 2 iterations here, plus the last)
    await expect.poll(async () => (await kept()).snapshots, { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
    expect(await kept()).toEqual({ snapshots: 151, losses: 300 });
    expect(await page.getByTestId('snapshot-every').inputValue()).toBe('2');
    expect(await page.getByTestId('recording-kept-few').count()).toBe(0);
    expect((await page.getByTestId('recording-kept').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      'Keeps 151 snapshots and 300 loss points over 300 iterations (a snapshot every 2, losses every 1).',
    );

    // The tutorial's every 1000 on a 300-iteration run: iteration 0 and the last one only.
    await page.getByTestId('snapshot-every-auto').uncheck();
    await page.getByTestId('snapshot-every').fill('1000');
    await expect.poll(async () => (await kept()).snapshots).toBe(2);
    const warning = page.getByTestId('recording-kept-few');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toMatch(/^\s*Only 2 snapshots: .*at least 20/s);
    // the same count and warning beside Start, where they are seen without scrolling to Recording
    expect(await page.getByTestId('start-kept').getAttribute('data-snapshots')).toBe('2');
    expect(await page.getByTestId('start-kept-few').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'new-run-few-snapshots-1440.png') });

    // back to auto: the warning goes
    await page.getByTestId('snapshot-every-auto').check();
    await expect.poll(async () => (await kept()).snapshots).toBe(151);
    expect(await warning.count()).toBe(0);
  });

  it('keeps Start and the preview in view at 1024x700, scrolled or not (two columns)', async () => {
    const inView = async (testid: string) => {
      const box = await page.getByTestId(testid).boundingBox();
      const vp = page.viewportSize()!;
      return !!box && box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width;
    };
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await openNewRun();
      expect(await inView('start-run'), `Start at ${width}x${height}`).toBe(true);
      expect(await inView('dataset-preview'), `preview at ${width}x${height}`).toBe(true);
      // the form and the side sit next to each other
      const form = (await page.locator('form.form').boundingBox())!;
      const side = (await page.locator('aside.side').boundingBox())!;
      expect(side.x).toBeGreaterThanOrEqual(form.x + form.width);
      await page.screenshot({ path: path.join(ARTIFACTS, `new-run-${width}x${height}.png`) });

      // scrolled to the bottom of the form, Start and the preview are still there
      await page.locator('main.content').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect.poll(() => page.locator('main.content').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
      expect(await inView('start-run'), `Start at ${width}x${height}, scrolled`).toBe(true);
      expect(await inView('dataset-preview'), `preview at ${width}x${height}, scrolled`).toBe(true);
      await page.screenshot({ path: path.join(ARTIFACTS, `new-run-${width}x${height}-scrolled.png`) });
    }
  });
});
