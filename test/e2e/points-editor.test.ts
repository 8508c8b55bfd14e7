/**
 * The `points` data set's editor, end to end in Debian's Chromium over browser mode: a brush that
 * lays points along a drag, undo (button and Ctrl+Z), an eraser (a mode, Shift-drag or right-click)
 * that removes the points near the cursor, and clear. Issue 10 item 13: drawing was click-only.
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

const count = async () => Number((await page.getByTestId('points-count').textContent())!.match(/\d+/)![0]);
const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/** Drags across the middle of the points plot, from fraction `from` to `to` of its width. */
async function drag(from: number, to: number, steps = 30) {
  const box = (await page.getByTestId('points-canvas').locator('canvas').first().boundingBox())!;
  const y = box.y + box.height * 0.55;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps });
  await page.mouse.up();
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(tempDir(), 'points.db')));
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

describe('the points editor, end to end in Chromium', () => {
  it('brushes many points along a drag; undo (button and Ctrl+Z) takes the whole stroke back', async () => {
    await page.goto(`${server.url}#/new`);
    await page.getByTestId('dataset-kind').selectOption('points');
    await page.getByTestId('points-canvas').scrollIntoViewIfNeeded();
    expect(await count()).toBe(0);
    expect(await page.getByTestId('points-undo').isDisabled()).toBe(true);

    await drag(0.3, 0.7);
    const brushed = await count();
    expect(brushed).toBeGreaterThanOrEqual(30);
    await page.getByTestId('points-canvas').screenshot({ path: path.join(ARTIFACTS, 'points-brush.png') });

    await page.getByTestId('points-undo').click();
    expect(await count()).toBe(0);

    await drag(0.3, 0.7);
    expect(await count()).toBeGreaterThanOrEqual(30);
    await blur();
    await page.keyboard.press('Control+z');
    expect(await count()).toBe(0);
  });

  it('erases only the points near the cursor; clear removes all and can be undone', async () => {
    await page.getByTestId('points-radius').fill('16');
    await drag(0.2, 0.8, 40);
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(40);

    await page.getByTestId('points-erase').click();
    expect(await page.getByTestId('points-erase').getAttribute('aria-pressed')).toBe('true');
    // Wipe the left sixth of the stroke: those points go, the rest stay.
    await drag(0.2, 0.3, 10);
    const after = await count();
    console.log(`erase: ${before} points brushed, ${after} left after erasing a sixth of the stroke`);
    expect(after).toBeLessThan(before * 0.95);
    expect(after).toBeGreaterThan(before * 0.5);
    await page.getByTestId('points-canvas').screenshot({ path: path.join(ARTIFACTS, 'points-erased.png') });

    // Erasing where there are no points removes nothing.
    const box = (await page.getByTestId('points-canvas').locator('canvas').first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.3);
    expect(await count()).toBe(after);

    await page.getByTestId('points-undo').click();
    expect(await count()).toBe(before);

    await page.getByTestId('points-clear').click();
    expect(await count()).toBe(0);
    await page.getByTestId('points-undo').click();
    expect(await count()).toBe(before);
    await page.getByTestId('points-brush').click();
  });

  it('Shift-drag and right-click erase with the brush too, only the points under it', async () => {
    await page.getByTestId('points-clear').click();
    expect(await page.getByTestId('points-brush').getAttribute('aria-pressed')).toBe('true');
    await drag(0.2, 0.8, 40);
    const before = await count();
    await page.keyboard.down('Shift');
    await drag(0.7, 0.8, 10);
    await page.keyboard.up('Shift');
    const afterShift = await count();
    expect(afterShift).toBeLessThan(before);
    expect(afterShift).toBeGreaterThan(before * 0.5);

    // A right-click on the stroke removes the points under the brush, and only those.
    const box = (await page.getByTestId('points-canvas').locator('canvas').first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.55, { button: 'right' });
    const afterRight = await count();
    expect(afterRight).toBeLessThan(afterShift);
    expect(afterRight).toBeGreaterThan(afterShift - 10);

    await page.screenshot({ path: path.join(ARTIFACTS, 'points-editor-1440x900.png'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('points-canvas').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'points-editor-1024x700.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
