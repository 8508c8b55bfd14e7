/**
 * Replay, end to end in Debian's Chromium over browser mode: open a finished published-code run
 * from the Library, scrub it with the keys and the slider, play it, switch the feature space's
 * phases, toggle the layers over the samples, see the PCA note on a run with a 4-wide feature
 * layer, and export from the panels in every format, checking each file. Exported SVG and PDF,
 * rasterised, are compared with the on-screen chart. Screenshots of every tutorial picture go to
 * test-results/screenshots/replay-*.png.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import { openStore } from '../../src/main/store/index.js';
import type { RunSummary } from '../../src/shared/contract.js';
import { resolveRunConfig } from '../../src/shared/validate.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { blockDifference, blocks, distinctColors, gifFrames, rasterize, rasterizePdf, savePng, type Pixels } from '../helpers/images.js';
import { finishedRun } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';

let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;
let downloads: string;
let publishedId: number;
let pcaId: number;
/** 60 iterations, a snapshot every 10 and at the last: 0, 10, ..., 50, 59. */
const STEPS = ['0', '10', '20', '30', '40', '50', '59'];

const attr = (testid: string, name: string) => page.getByTestId(testid).getAttribute(name);
const shownStep = () => attr('replay-step', 'data-step');
const label = (testid: string) => page.getByTestId(testid).locator('canvas[aria-label]').getAttribute('aria-label');
const shotPanel = (panel: string, name: string) => page.locator(`[data-panel="${panel}"]`).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = tempDir();
  downloads = path.join(dir, 'downloads');
  mkdirSync(downloads);
  const dbPath = path.join(dir, 'replay.db');
  const store = openStore(dbPath);
  publishedId = (await finishedRun(store, { preset: 'published-code', iterations: 60, snapshotEvery: 10, seed: 3, name: 'published replay' })).id;
  pcaId = (await finishedRun(store, { preset: 'article', iterations: 60, snapshotEvery: 10, seed: 5, name: 'wide features', overrides: { discriminator: { featureWidth: 4 } } })).id;
  store.close();
  ({ app, server } = await startBrowserMode(dbPath));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
  page.on('pageerror', (e) => {
    throw e;
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

/** Exports from a panel's menu and returns the saved file's bytes. */
async function exportFrom(panel: string, format: string, options: { scale?: number; fps?: number } = {}): Promise<{ name: string; bytes: Buffer }> {
  const menu = `${panel}-export`;
  await page.getByTestId(`${menu}-format`).selectOption(format);
  if (options.scale !== undefined) await page.getByTestId(`${menu}-scale`).selectOption(String(options.scale));
  if (options.fps !== undefined) await page.getByTestId(`${menu}-fps`).fill(String(options.fps));
  const failed = page
    .getByTestId(menu)
    .locator('.error-text')
    .waitFor({ timeout: 60_000 })
    .then(async () => {
      throw new Error(`${format} export from ${panel}: ${await page.getByTestId(menu).locator('.error-text').textContent()}`);
    });
  failed.catch(() => {});
  const [download] = await Promise.all([Promise.race([page.waitForEvent('download', { timeout: 60_000 }), failed]), page.getByTestId(`${menu}-go`).click()]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

/**
 * The on-screen chart as pixels: the chart's canvas with the canvas of its moving layers over it,
 * as the screen shows them (device pixel ratio 1, so one pixel per CSS pixel).
 */
async function screenPixels(testid: string): Promise<Pixels> {
  await page.mouse.move(0, 0); // no tooltip over the chart
  const url = await page.getByTestId(testid).evaluate((frame) => {
    const [chart, overlay] = Array.from(frame.querySelectorAll('canvas'));
    if (!chart || !overlay) throw new Error('the chart and its overlay are not both there');
    const joined = document.createElement('canvas');
    joined.width = chart.width;
    joined.height = chart.height;
    const ctx = joined.getContext('2d')!;
    ctx.drawImage(chart, 0, 0);
    ctx.drawImage(overlay, 0, 0);
    return joined.toDataURL('image/png');
  });
  return rasterize(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

async function cssSize(testid: string): Promise<{ width: number; height: number }> {
  return page.getByTestId(testid).evaluate((el) => ({ width: el.clientWidth, height: el.clientHeight }));
}

describe('Replay, end to end in Chromium', () => {
  it('opens a finished run from the Library with the timeline and two panels on the first screen', async () => {
    await page.goto(server.url);
    await page.locator('[data-testid="run-row"]', { hasText: 'published replay' }).getByTestId('open-replay').click();
    // The route, then Replay's own view (step, phase, ...) as a query.
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(new RegExp(`^#/replay/${publishedId}(\\?|$)`));
    await expect.poll(shownStep, { timeout: 15_000 }).toBe('0');
    expect(await page.getByTestId('replay-run-name').textContent()).toBe('published replay');
    await expect.poll(() => attr('replay-samples', 'data-step'), { timeout: 15_000 }).toBe('0');
    expect(await attr('replay-losses', 'data-cursor')).toBe('0');
    for (const testid of ['replay-scrubber', 'replay-losses', 'replay-samples']) {
      const box = (await page.getByTestId(testid).boundingBox())!;
      expect(box.y + box.height, `${testid} is on the first screen`).toBeLessThanOrEqual(1000);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'replay-first-screen.png') });
  });

  it('scrubs with the keys, the slider and a click on the loss chart; every panel and the cursors follow', async () => {
    await page.locator('body').press('ArrowRight');
    await expect.poll(shownStep).toBe('10');
    await expect.poll(() => attr('replay-losses', 'data-cursor')).toBe('10');
    await expect.poll(() => attr('replay-features', 'data-step')).toBe('10');
    expect(await attr('replay-metrics', 'data-cursor')).toBe('10');
    await page.locator('body').press('End');
    await expect.poll(shownStep).toBe('59');
    await expect.poll(() => attr('replay-centroids', 'data-step')).toBe('59');
    await page.locator('body').press('ArrowLeft');
    await expect.poll(shownStep).toBe('50');
    await page.locator('body').press('Home');
    await expect.poll(shownStep).toBe('0');

    await page.getByTestId('replay-scrubber').fill('3');
    await expect.poll(shownStep).toBe('30');
    await expect.poll(() => attr('replay-samples', 'data-step')).toBe('30');
    await expect.poll(() => attr('replay-losses', 'data-cursor')).toBe('30');
    expect(await page.getByTestId('replay-metrics-table').getAttribute('data-step')).toBe('30');
    // the slider has focus: its arrow keys step one snapshot, like everywhere else
    await page.getByTestId('replay-scrubber').press('ArrowRight');
    await expect.poll(shownStep).toBe('40');
    // so do they on a layer's checkbox (Space is the checkbox's own)
    await page.getByTestId('layer-heatmap').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shownStep).toBe('30');
    expect(await page.getByTestId('layer-heatmap').isChecked()).toBe(false);

    // A click near the right end of the loss chart's plot jumps to a late snapshot.
    const box = (await page.getByTestId('replay-losses').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.93, box.y + box.height * 0.7);
    await expect.poll(shownStep).toMatch(/^(50|59)$/);
    await expect.poll(async () => attr('replay-losses', 'data-cursor')).toBe(await shownStep());
  });

  it('plays and pauses (Space and the button), at the speed chosen', async () => {
    await page.locator('body').press('Home');
    await expect.poll(shownStep).toBe('0');
    await page.getByTestId('replay-speed').selectOption('10');
    await page.locator('body').press('Space');
    await expect.poll(() => attr('replay-play', 'data-playing')).toBe('true');
    await expect.poll(async () => Number(await shownStep()), { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    // At the end it stops by itself.
    await expect.poll(shownStep, { timeout: 10_000 }).toBe('59');
    await expect.poll(() => attr('replay-play', 'data-playing')).toBe('false');
    await page.getByTestId('replay-play').click();
    await expect.poll(() => attr('replay-play', 'data-playing')).toBe('true');
    await page.getByTestId('replay-play').click();
    await expect.poll(() => attr('replay-play', 'data-playing')).toBe('false');
    const stoppedAt = await shownStep();
    await page.waitForTimeout(400);
    expect(await shownStep()).toBe(stoppedAt);
  });

  it('shows every phase of D’s feature space and both overlays, and every layer over the samples', async () => {
    await page.setViewportSize({ width: 1440, height: 2600 }); // every panel in view for the screenshots
    await page.getByTestId('replay-scrubber').fill('3');
    await expect.poll(() => attr('replay-features', 'data-step')).toBe('30');
    const single = { 'before-d': 'before the D step', 'after-d': 'after the D step', 'after-g': 'after the G step' };
    for (const [phase, words] of Object.entries(single)) {
      await page.getByTestId('replay-phase').selectOption(phase);
      await expect.poll(() => label('replay-features')).toContain(`iteration 30, ${words}`);
      expect(await attr('replay-features', 'data-series')).toMatch(/^real\|generated\|/);
      await shotPanel('replay-features', `replay-features-${phase}`);
    }
    await page.getByTestId('replay-phase').selectOption('overlay-d');
    await expect.poll(() => attr('replay-features', 'data-series')).toContain('real (before the D step)|generated (before the D step)|real (after the D step)');
    await shotPanel('replay-features', 'replay-features-overlay-d');
    await page.getByTestId('replay-phase').selectOption('overlay-g');
    await expect.poll(() => attr('replay-features', 'data-series')).toContain('real (after the D step)|generated (after the D step)|real (after the G step)');
    await shotPanel('replay-features', 'replay-features-overlay-g');

    const layers = { heatmap: 'D(x): purple 0 → white 0.5 → green 1', manifold: 'G manifold (noise grid)', arrows: 'dD/dx at generated samples' };
    expect(await attr('replay-samples', 'data-series')).toBe('real samples|generated samples');
    await shotPanel('replay-samples', 'replay-samples');
    for (const [layer, legend] of Object.entries(layers)) {
      await page.getByTestId(`layer-${layer}`).check();
      await expect.poll(() => attr('replay-samples', 'data-series')).toContain(legend);
      await shotPanel('replay-samples', `replay-${layer}`);
      await page.getByTestId(`layer-${layer}`).uncheck();
      await expect.poll(() => attr('replay-samples', 'data-series')).not.toContain(legend);
    }
    expect(await attr('replay-samples', 'data-figure')).toBe('samples');
    await page.getByTestId('layer-heatmap').check();
    await expect.poll(() => attr('replay-samples', 'data-figure')).toBe('heatmap');
    await page.getByTestId('layer-manifold').check();
    await page.getByTestId('layer-arrows').check();
    await expect.poll(() => attr('replay-samples', 'data-series')).toBe('D(x): purple 0 → white 0.5 → green 1|real samples|generated samples|G manifold (noise grid)|dD/dx at generated samples');
    await shotPanel('replay-samples', 'replay-samples-all-layers');
    for (const layer of Object.keys(layers)) await page.getByTestId(`layer-${layer}`).uncheck();

    await shotPanel('replay-losses', 'replay-losses');
    await shotPanel('replay-centroids', 'replay-centroids');
    await shotPanel('replay-metrics', 'replay-metrics');
    expect(await attr('replay-centroids', 'data-series')).toContain('generated centroid path (after G step)');
    expect(await page.getByTestId('replay-metrics-table').textContent()).toMatch(/At iteration 30/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'replay-overview.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('says when a wide feature layer is drawn through a PCA fitted once per run', async () => {
    expect(await page.getByTestId('pca-note').count()).toBe(0);
    await page.getByTestId('replay-run-picker').selectOption(String(pcaId));
    await expect.poll(() => page.getByTestId('replay-run-name').textContent(), { timeout: 10_000 }).toBe('wide features');
    await expect.poll(() => page.getByTestId('pca-note').textContent(), { timeout: 15_000 }).toContain('4-D: PCA projection fitted once');
    expect(await label('replay-features')).toContain('PCA');
    await page.setViewportSize({ width: 1440, height: 2600 });
    await shotPanel('replay-features', 'replay-features-pca');
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.getByTestId('replay-run-picker').selectOption(String(publishedId));
    await expect.poll(() => page.getByTestId('replay-run-name').textContent(), { timeout: 10_000 }).toBe('published replay');
  });

  it('exports from the panels in every format, each file readable and as asked', async () => {
    await page.getByTestId('replay-scrubber').fill('3');
    await expect.poll(() => attr('replay-samples', 'data-step'), { timeout: 10_000 }).toBe('30');
    await page.getByTestId('replay-phase').selectOption('overlay-g');
    await expect.poll(() => attr('replay-features', 'data-series')).toContain('(after the G step)');

    // PNG at 2x: twice the on-screen size, and not blank.
    const size = await cssSize('replay-samples');
    const png = await exportFrom('replay-samples', 'png', { scale: 2 });
    const pixels = await rasterize(png.bytes);
    expect([pixels.width, pixels.height]).toEqual([size.width * 2, size.height * 2]);
    expect(distinctColors(pixels)).toBeGreaterThan(8);

    // SVG: parses, and carries the legend's text.
    const svg = await exportFrom('replay-features', 'svg');
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(svg.bytes.toString('utf8'), 'image/svg+xml');
    expect(errors).toEqual([]);
    expect(doc.documentElement?.nodeName).toBe('svg');
    const text = doc.documentElement?.textContent ?? '';
    expect(text).toContain('generated (after the G step)');
    expect(text).toContain("D's feature space");

    // PDF: opens, at least one page.
    const pdf = await exportFrom('replay-centroids', 'pdf');
    const page1 = await rasterizePdf(pdf.bytes, 400);
    expect(page1.pages).toBeGreaterThanOrEqual(1);
    expect(distinctColors(page1)).toBeGreaterThan(8);

    // GIF: one frame per snapshot.
    const gif = await exportFrom('replay-samples', 'gif', { scale: 1, fps: 5 });
    expect(gifFrames(gif.bytes)).toHaveLength(STEPS.length);

    // CSV and JSON: what the figure shows.
    const csv = (await exportFrom('replay-losses', 'csv')).bytes.toString('utf8');
    expect(csv.split('\n')[0]).toMatch(/iteration|series|x/i);
    expect(csv.split('\n').length).toBeGreaterThan(60);
    const json = JSON.parse((await exportFrom('replay-metrics', 'json')).bytes.toString('utf8')) as unknown;
    expect(JSON.stringify(json)).toContain('MMD² ↓'); // metric-info's label, not the engine's name

    // Every step, in a browser: one zip download, one file per snapshot.
    await page.getByTestId('replay-samples-batch-format').selectOption('svg');
    const [zip] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('replay-samples-batch-go').click()]);
    await expect.poll(() => page.getByTestId('replay-samples-batch-result').textContent(), { timeout: 60_000 }).toContain(`${STEPS.length} files`);
    const zipFile = path.join(downloads, zip.suggestedFilename());
    await zip.saveAs(zipFile);
    expect(Object.keys(unzipSync(readFileSync(zipFile))).filter((f) => f.endsWith('.svg'))).toHaveLength(STEPS.length);
  });

  it('exports every panel as PNG, SVG and PDF, and every step figure as a GIF', async () => {
    const stepPanels = ['replay-samples', 'replay-features', 'replay-centroids'];
    for (const panel of ['replay-losses', 'replay-metrics', ...stepPanels]) {
      const png = await exportFrom(panel, 'png', { scale: 1 });
      expect(distinctColors(await rasterize(png.bytes)), `${panel} png`).toBeGreaterThan(8);
      writeFileSync(path.join(ARTIFACTS, `replay-export-${panel.slice('replay-'.length)}.png`), png.bytes);
      expect((await exportFrom(panel, 'svg')).bytes.toString('utf8'), `${panel} svg`).toMatch(/^(<\?xml[^>]*>\s*)?<svg/);
      expect((await rasterizePdf((await exportFrom(panel, 'pdf')).bytes, 300)).pages, `${panel} pdf`).toBe(1);
      if (stepPanels.includes(panel)) expect(gifFrames((await exportFrom(panel, 'gif', { scale: 1 })).bytes), `${panel} gif`).toHaveLength(STEPS.length);
    }
  });

  it('exports SVG and PDF that, rasterised, look like the on-screen figure (and another figure or step does not)', async () => {
    await page.getByTestId('replay-scrubber').fill('2');
    await expect.poll(() => attr('replay-samples', 'data-step')).toBe('20');
    await page.getByTestId('layer-heatmap').check();
    await expect.poll(() => attr('replay-samples', 'data-figure')).toBe('heatmap');
    // One step on: the charts keep their axes, so this frame is only a repaint of what moves
    // (the overlay); it must still be the figure the files hold.
    await page.locator('body').press('ArrowRight');
    await expect.poll(() => attr('replay-samples', 'data-step')).toBe('30');
    await expect.poll(() => attr('replay-features', 'data-step')).toBe('30');

    const diffs: Record<string, Record<string, number>> = {};
    const shots: Record<string, Record<string, Pixels>> = {};
    for (const [panel, other] of [
      ['replay-samples', 'replay-features'],
      ['replay-features', 'replay-samples'],
    ] as const) {
      const screen = await screenPixels(panel);
      const { width, height } = screen;
      const svg = await rasterize((await exportFrom(panel, 'svg')).bytes, width, height);
      const pdf = await rasterizePdf((await exportFrom(panel, 'pdf')).bytes, width);
      // Two that must not pass: another figure, and the same figure at another step.
      const otherFigure = await rasterize((await exportFrom(other, 'svg')).bytes, width, height);
      shots[panel] = { screen, svg, pdf, otherFigure };
      const onScreen = blocks(screen);
      diffs[panel] = Object.fromEntries(Object.entries({ svg, pdf, otherFigure }).map(([name, p]) => [name, blockDifference(onScreen, blocks(p))]));
    }
    await page.locator('body').press('Home');
    await expect.poll(() => attr('replay-samples', 'data-step')).toBe('0');
    for (const panel of ['replay-samples', 'replay-features'] as const) {
      const { width, height } = shots[panel]!.screen!;
      const otherStep = await rasterize((await exportFrom(panel, 'svg')).bytes, width, height);
      diffs[panel]!.otherStep = blockDifference(blocks(shots[panel]!.screen!), blocks(otherStep));
      shots[panel]!.otherStep = otherStep;
      for (const [name, p] of Object.entries(shots[panel]!)) savePng(p, path.join(ARTIFACTS, `${panel}-compare-${name}.png`));
      const diff = diffs[panel]!;
      console.log(`${panel} on screen vs exported, mean difference of 24x16 block means (0-255): ${Object.entries(diff).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
      // Measured: svg 0.32, pdf 0.16 (screen and files share the figure font; what is left is
      // anti-aliasing); the same figure at step 0 2.2; another figure 49.
      const TOLERANCE = 1;
      expect(diff.svg).toBeLessThan(TOLERANCE);
      expect(diff.pdf).toBeLessThan(TOLERANCE);
      expect(diff.otherFigure).toBeGreaterThan(TOLERANCE);
      expect(diff.otherStep).toBeGreaterThan(TOLERANCE);
    }
    await page.getByTestId('layer-heatmap').uncheck();
  });

  it("fits each step's axes by default, holds the run's on request, and keeps every phase of a step on one set", async () => {
    await page.getByTestId('replay-scrubber').fill('0');
    await expect.poll(() => attr('replay-features', 'data-step')).toBe('0');
    expect(await page.getByTestId('replay-hold-axes').isChecked()).toBe(false);
    const atStep = async (i: number) => {
      await page.getByTestId('replay-scrubber').fill(String(i));
      await expect.poll(() => attr('replay-features', 'data-step')).toBe(STEPS[i]);
      return attr('replay-features', 'data-bounds');
    };
    const own = [await atStep(0), await atStep(6)];
    expect(own[0]).not.toBe(own[1]);
    // Another phase of the same step: the same axes.
    await page.getByTestId('replay-phase').selectOption('before-d');
    await expect.poll(() => label('replay-features')).toContain('before the D step');
    expect(await attr('replay-features', 'data-bounds')).toBe(own[1]);
    await page.getByTestId('replay-phase').selectOption('overlay-g');
    await page.getByTestId('replay-hold-axes').check();
    await expect.poll(() => attr('replay-features', 'data-bounds')).not.toBe(own[1]);
    const held = await attr('replay-features', 'data-bounds');
    expect(await atStep(0)).toBe(held);
    await page.getByTestId('replay-hold-axes').uncheck();
    await expect.poll(() => attr('replay-features', 'data-bounds')).toBe(own[0]);
  });

  it('zooms with the wheel, pans by dragging, fits again, and reads out the nearest point on hover', async () => {
    const chart = page.getByTestId('replay-features');
    await chart.scrollIntoViewIfNeeded();
    const before = (await attr('replay-features', 'data-bounds'))!.split(',').map(Number);
    const box = (await chart.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => attr('replay-features', 'data-zoomed')).toBe('true');
    const zoomed = (await attr('replay-features', 'data-bounds'))!.split(',').map(Number);
    expect(zoomed[1]! - zoomed[0]!).toBeLessThan(before[1]! - before[0]!);
    // The zoomed view stays while the steps change.
    await page.locator('body').press('ArrowRight');
    await expect.poll(() => attr('replay-features', 'data-step')).not.toBe(STEPS[0]);
    expect(await attr('replay-features', 'data-bounds')).toBe(zoomed.join(','));
    // Drag to pan: the view moves, keeping its size.
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 60, cy + 10, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => attr('replay-features', 'data-bounds')).not.toBe(zoomed.join(','));
    const panned = (await attr('replay-features', 'data-bounds'))!.split(',').map(Number);
    expect(panned[1]! - panned[0]!).toBeCloseTo(zoomed[1]! - zoomed[0]!, 6);
    await page.getByTestId('replay-features-fit').click();
    await expect.poll(() => attr('replay-features', 'data-zoomed')).toBe('false');

    // Hover: sweep over the plot until a point is under the pointer; the read-out names it.
    const readout = page.getByTestId('replay-features-readout');
    let found = false;
    for (let fy = 0.25; fy <= 0.8 && !found; fy += 0.05) {
      for (let fx = 0.15; fx <= 0.85 && !found; fx += 0.05) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
        found = (await readout.count()) > 0;
      }
    }
    expect(found).toBe(true);
    const text = (await readout.textContent())!.trim();
    expect(text).toMatch(/^(real|generated)( centroid)?/);
    expect(text).toMatch(/\(-?[\d.e+-]+, -?[\d.e+-]+\)/);
    expect(text).toMatch(/iteration \d+, after the (D|G) step/);
    await page.mouse.move(0, 0);
    await expect.poll(() => readout.count()).toBe(0);
  });

  it('counts the samples that a zoom leaves off the chart', async () => {
    const chart = page.getByTestId('replay-samples');
    await chart.scrollIntoViewIfNeeded();
    expect(await chart.getByTestId('off-chart').count()).toBe(0);
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -400);
    await expect.poll(() => chart.getByTestId('off-chart').textContent()).toMatch(/^\d+ (real|generated) samples?( and \d+ generated samples?)? off the chart/);
    await page.getByTestId('replay-samples-fit').click();
    await expect.poll(() => chart.getByTestId('off-chart').count()).toBe(0);
  });

  it("keeps the step, phase, layers, held axes and log scales over a reload", async () => {
    await page.getByTestId('replay-scrubber').fill('4');
    await expect.poll(shownStep).toBe('40');
    await page.getByTestId('replay-phase').selectOption('after-d');
    await page.getByTestId('layer-heatmap').check();
    await page.getByTestId('replay-hold-axes').check();
    // The loss chart opens on the service's choice: log, as the losses span more than two decades.
    expect(await page.getByTestId('replay-logscale').getAttribute('data-auto')).toBe('true');
    const logWas = await page.getByTestId('replay-logscale').isChecked();
    await page.getByTestId('replay-logscale').setChecked(!logWas);
    await page.getByTestId('replay-metrics-log').check();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('step=40');
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(new RegExp(`^#/replay/${publishedId}\\?`));
    for (const part of ['phase=after-d', 'layers=heatmap', 'hold=1', `log=${+!logWas}`, 'mlog=1']) expect(hash).toContain(part);

    await page.reload();
    await expect.poll(shownStep, { timeout: 15_000 }).toBe('40');
    await expect.poll(() => attr('replay-features', 'data-step'), { timeout: 15_000 }).toBe('40');
    expect(await page.getByTestId('replay-phase').inputValue()).toBe('after-d');
    expect(await label('replay-features')).toContain('iteration 40, after the D step');
    expect(await page.getByTestId('layer-heatmap').isChecked()).toBe(true);
    await expect.poll(() => attr('replay-samples', 'data-figure')).toBe('heatmap');
    expect(await page.getByTestId('replay-hold-axes').isChecked()).toBe(true);
    expect(await page.getByTestId('replay-logscale').isChecked()).toBe(!logWas);
    expect(await page.getByTestId('replay-metrics-log').isChecked()).toBe(true);
    // Back to the defaults for the tests that follow.
    await page.evaluate((id) => history.replaceState(null, '', `#/replay/${id}`), publishedId);
    await page.reload();
    await expect.poll(shownStep, { timeout: 15_000 }).toBe('0');
  });

  it('follows a running run: new snapshots extend the timeline', async () => {
    const config = resolveRunConfig({
      preset: 'article',
      // A snapshot every 1000 iterations: a few a second on the SIMD engine, so the view can keep up.
      overrides: { schedule: { iterations: 1_000_000 }, recording: { lossEvery: 10, snapshotEvery: 1000, checkpointEvery: 100_000, samples: 64, heatmapResolution: 12, manifoldResolution: 6 } },
    });
    const run = (await app.dispatch('runs.create', { config, name: 'still training', start: true })) as RunSummary;
    try {
      await page.getByTestId('replay-run-picker').selectOption(String(run.id));
      await expect.poll(() => page.getByTestId('replay-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
      const count = async () => Number(await page.getByTestId('replay-scrubber').getAttribute('max')) + 1;
      await expect.poll(count, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      // At the newest snapshot the view follows the ones that arrive.
      await page.locator('body').press('End');
      const at = Number(await shownStep());
      const known = await count();
      await expect.poll(count, { timeout: 30_000 }).toBeGreaterThan(known);
      await expect.poll(async () => Number(await shownStep()), { timeout: 30_000 }).toBeGreaterThan(at);
      // The step shown and the samples drawn belong to one frame (read together: both keep moving).
      await expect.poll(async () => (await attr('replay-samples', 'data-step')) === (await shownStep())).toBe(true);
    } finally {
      await app.dispatch('runs.stop', { runId: run.id });
    }
  });
});
