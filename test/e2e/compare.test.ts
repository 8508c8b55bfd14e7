/**
 * Comparing runs end to end in Chromium (browser mode): three finished runs — two seeds of one
 * configuration and one with a higher learning rate and other snapshot steps — ticked in the
 * Library and compared: overlaid curves with smoothing, a time axis and seed bands, the
 * synchronized grid at the nearest snapshots, the config diff, the measures table, and the chart
 * exported as PNG and SVG. Screenshots go to test-results/screenshots/compare-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Browser, Page } from '@playwright/test';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import type { RunRow } from '../../src/main/store/index.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { DEFAULT_SMOOTHING } from '../../src/shared/smoothing.js';
import { finishedRun } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;
let runs: RunRow[];
/** Not ticked in the Library: added with the pickers. */
let extra: RunRow;

/** The whole Compare screen: it scrolls inside the app's content pane, so the window grows to its height for the shot. */
async function shot(name: string) {
  const height = await page.getByTestId('compare-view').evaluate((e) => e.scrollHeight);
  await page.setViewportSize({ width: 1440, height: Math.max(1000, height + 120) });
  await page.screenshot({ path: path.join(ARTIFACTS, `compare-${name}.png`) });
  await page.setViewportSize({ width: 1440, height: 1000 });
}
const chartSeries = async () => ((await page.getByTestId('compare-chart').getAttribute('data-series')) ?? '').split('|');

/** The run's snapshot nearest to `step` (the lower one on a tie), as figures.model's nearest picks it. */
function nearest(run: RunRow, step: number): number {
  return [...app.store.snapshotSteps(run.id)].sort((a, b) => Math.abs(a - step) - Math.abs(b - step) || a - b)[0]!;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(dir, 'compare-e2e.db')));
  const small = { iterations: 200, snapshotEvery: 50 };
  runs = [
    await finishedRun(app.store, { ...small, seed: 1, name: 'lr 0.001 seed 1' }),
    await finishedRun(app.store, { ...small, seed: 2, name: 'lr 0.001 seed 2' }),
    await finishedRun(app.store, { ...small, seed: 1, snapshotEvery: 40, name: 'lr 0.003', overrides: { optimizer: { generator: { lr: 0.003 }, discriminator: { lr: 0.003 } } } }),
  ];
  extra = await finishedRun(app.store, { ...small, seed: 3, name: 'tanh seed 3', overrides: { generator: { hidden: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }] } } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('compare, end to end in Chromium', () => {
  it('compares two seeds of one configuration with a third run: curves, seed bands, the synchronized grid, the diff, the measures and exports', async () => {
    await page.goto(server.url);
    for (const run of runs) await page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`).getByTestId('compare-select').check();
    await page.getByTestId('compare-selected').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/compare/${runs.map((r) => r.id).join(',')}`);

    // One line per run, named, in the pickers' order and colours, smoothed by the default (raw faint beneath).
    await expect.poll(chartSeries, { timeout: 15_000 }).toEqual(runs.flatMap((r) => [`${r.name} (raw)`, `${r.name} (smoothed ${DEFAULT_SMOOTHING})`]));
    expect(Number(await page.getByTestId('compare-smoothing').inputValue())).toBe(DEFAULT_SMOOTHING);
    // Log scale is the model's own choice until ticked: the box shows what the chart draws, and only a tick sends logScale.
    const logBox = page.getByTestId('compare-log-scale');
    expect(await logBox.getAttribute('data-auto')).toBe('true');
    const yScale = () => page.getByTestId('compare-overlay').getAttribute('data-y-scale');
    const auto = await yScale();
    expect(await logBox.isChecked()).toBe(auto === 'logarithmic');
    await logBox.setChecked(auto !== 'logarithmic');
    await expect.poll(yScale, { timeout: 10_000 }).toBe(auto === 'logarithmic' ? 'linear' : 'logarithmic');
    expect(await logBox.getAttribute('data-auto')).toBe('false');
    await logBox.setChecked(auto === 'logarithmic');
    await expect.poll(yScale, { timeout: 10_000 }).toBe(auto);
    for (const [i, run] of runs.entries()) expect(await page.getByTestId(`compare-run-${i}`).inputValue()).toBe(String(run.id));
    expect(await page.getByTestId('compare-swatch').first().getAttribute('data-color')).toBe('run0');
    await shot('01-overview');

    await page.getByTestId('compare-smoothing').fill('0.8');
    await expect.poll(chartSeries, { timeout: 10_000 }).toEqual(runs.flatMap((r) => [`${r.name} (raw)`, `${r.name} (smoothed 0.8)`]));
    await page.getByTestId('compare-axis').selectOption('time');
    await expect.poll(() => page.getByTestId('compare-overlay').getAttribute('data-x-title'), { timeout: 10_000 }).toMatch(/^time \(s/);
    expect(await page.getByTestId('compare-chart').getAttribute('data-cursor')).toBe('');
    await shot('02-smoothed-time-axis');
    await page.getByTestId('compare-axis').selectOption('step');
    await expect.poll(() => page.getByTestId('compare-overlay').getAttribute('data-x-title'), { timeout: 10_000 }).toBe('iteration');

    // The two seeds of one configuration become a mean line over a min–max band.
    expect(await page.getByTestId('compare-group-seeds').isEnabled()).toBe(true);
    await page.getByTestId('compare-group-seeds').check();
    await expect.poll(chartSeries, { timeout: 10_000 }).toContain('lr 0.001, snapshotEvery 50 (2 seeds): mean (smoothed 0.8)');
    const grouped = await chartSeries();
    expect(grouped).toContain('lr 0.001, snapshotEvery 50 (2 seeds): min–max band (smoothed 0.8)');
    expect(grouped).toContain('lr 0.003 (smoothed 0.8)');
    expect(grouped.some((l) => l.startsWith('lr 0.001 seed'))).toBe(false);
    await page.getByTestId('compare-chart').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-chart').screenshot({ path: path.join(ARTIFACTS, 'compare-03-seed-band.png') });
    await page.getByTestId('compare-group-seeds').uncheck();
    await expect.poll(chartSeries, { timeout: 10_000 }).toContain('lr 0.001 seed 1 (smoothed 0.8)');

    // The grid: every column at the snapshot nearest to the chosen step; the chart's cursor follows.
    const union = [...new Set(runs.flatMap((r) => app.store.snapshotSteps(r.id)))].sort((a, b) => a - b);
    expect(union).toEqual([0, 40, 50, 80, 100, 120, 150, 160, 199]);
    const columnSteps = () => page.getByTestId('compare-column').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    for (const index of [1, 4, 0]) {
      await page.getByTestId('compare-scrubber').fill(String(index));
      const step = union[index]!;
      await expect.poll(columnSteps, { timeout: 10_000 }).toEqual(runs.map((r) => String(nearest(r, step))));
      expect(await page.getByTestId('compare-chart').getAttribute('data-cursor')).toBe(String(step));
    }
    await page.getByTestId('compare-smoothing').press('ArrowLeft'); // the slider's own key: smoothing 0.79, the grid stays
    await expect.poll(chartSeries, { timeout: 10_000 }).toContain('lr 0.003 (smoothed 0.79)');
    expect(await page.getByTestId('compare-step-label').textContent()).toMatch(/iteration 0 \(1 of 9\)/);
    await page.getByTestId('compare-scrubber').press('ArrowRight'); // 0 → 40
    await expect.poll(columnSteps, { timeout: 10_000 }).toEqual(['50', '50', '40']);
    expect(await page.getByTestId('compare-step-label').textContent()).toMatch(/iteration 40 \(2 of 9\)/);
    const captions = await page.getByTestId('compare-column-caption').allTextContents();
    expect(captions.map((c) => c.trim())).toEqual(['nearest snapshot: 50', 'nearest snapshot: 50', '']);
    await page.getByTestId('compare-grid-figure').selectOption('features');
    await page.getByTestId('compare-grid-phase').selectOption('overlay-g');
    await expect.poll(() => page.getByTestId('compare-column-chart').evaluateAll((els) => els.map((e) => e.getAttribute('data-figure'))), { timeout: 10_000 }).toEqual(['features', 'features', 'features']);
    await page.getByTestId('compare-grid').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-grid').screenshot({ path: path.join(ARTIFACTS, 'compare-04-grid-features.png') });

    // Exactly the differing settings, one value per run.
    const paths = await page.getByTestId('config-diff-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths).toEqual(['optimizer.generator.lr', 'optimizer.discriminator.lr', 'seed', 'recording.snapshotEvery']);
    expect(await page.locator('[data-testid="config-diff-row"][data-path="seed"] td').allTextContents()).toEqual(['1', '2', '1']);

    // A row per measure, one cell per run: time, stability, the quality metrics, the tutorial's claims.
    const rows = page.getByTestId('metrics-row');
    const measures = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-measure')));
    expect(measures).toEqual(expect.arrayContaining(['msPerIteration', 'stability.d', 'stability.g', 'metric.slicedWasserstein', 'metric.mmd2', 'claim.real-features-still', 'claim.losses-balance']));
    for (let i = 0; i < measures.length; i++) expect(await rows.nth(i).getByTestId('metrics-cell').count()).toBe(3);
    // Metrics under their labels, with direction and definition (not mmd2 / onCurveFraction).
    const label = (name: string) => page.locator(`[data-measure="metric.${name}"] [data-testid="metrics-label"]`);
    expect(await label('slicedWasserstein').textContent()).toMatch(/^\s*Sliced Wasserstein ↓\s*lower is better/);
    expect(await label('mmd2').textContent()).toContain('MMD²');
    expect(await label('onCurveFraction').getByTestId('metrics-definition').textContent()).toMatch(/untrained generator can score 1\.0 at iteration 0/);
    expect(await label('mmd2').getAttribute('title')).toMatch(/maximum mean discrepancy.*lower is better.*\(mmd2\)/);
    expect(await page.getByTestId('compare-series').locator('option[value="xCoverage"]').textContent()).toBe('x-coverage ↑');
    expect(await page.locator('[data-measure="msPerIteration"] [data-best="true"]').count()).toBe(1);
    await page.getByTestId('compare-metrics-table').scrollIntoViewIfNeeded();
    await shot('05-tables');

    // The chart as files: PNG at 3x on white, and SVG with each run in the legend.
    await page.getByTestId('compare-export-format').selectOption('png');
    await page.getByTestId('compare-export-scale').selectOption('3');
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-go').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const pngPath = path.join(dir, png.suggestedFilename());
    await png.saveAs(pngPath);
    const image = await loadImage(readFileSync(pngPath));
    expect([image.width, image.height]).toEqual([800 * 3, 500 * 3]);
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const pixels = ctx.getImageData(0, 0, image.width, image.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) inked++;
    expect(inked).toBeGreaterThan(5000);

    await page.getByTestId('compare-export-format').selectOption('svg');
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-go').click()]);
    expect(svg.suggestedFilename()).toMatch(/\.svg$/);
    const svgPath = path.join(dir, svg.suggestedFilename());
    await svg.saveAs(svgPath);
    const doc = new DOMParser().parseFromString(readFileSync(svgPath, 'utf8'), 'image/svg+xml');
    expect(doc.documentElement?.nodeName).toBe('svg');
    const text = doc.documentElement?.textContent ?? '';
    for (const run of runs) expect(text).toContain(run.name);
  });

  it('adds a fourth run and removes one with the pickers; the URL, the colours and the columns follow', async () => {
    await page.getByTestId('compare-add').click();
    await page.getByTestId('compare-run-3').selectOption(String(extra.id));
    const four = [...runs, extra];
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toBe(`#/compare/${four.map((r) => r.id).join(',')}`);
    await expect.poll(chartSeries, { timeout: 15_000 }).toEqual(four.flatMap((r) => [`${r.name} (raw)`, `${r.name} (smoothed 0.79)`]));
    await expect.poll(() => page.getByTestId('compare-column').count(), { timeout: 10_000 }).toBe(4);
    expect(await page.getByTestId('compare-add').count()).toBe(0); // four is the most
    await expect.poll(() => page.locator('[data-testid="config-diff-row"][data-path="generator.hidden"]').count(), { timeout: 10_000 }).toBe(1);
    // Layer lists as tables, not JSON: one per run, the tanh run's activations marked as different.
    const hidden = page.locator('[data-testid="config-diff-row"][data-path="generator.hidden"]');
    expect(await hidden.getByTestId('config-diff-layers').count()).toBe(4);
    expect(await hidden.textContent()).not.toContain('{');
    expect(await hidden.getByTestId('config-diff-layers').nth(3).locator('td.differs').allTextContents()).toEqual(['tanh', 'tanh']);
    expect(await hidden.getByTestId('config-diff-layers').nth(1).locator('td.differs').count()).toBe(0);
    await hidden.scrollIntoViewIfNeeded();
    await page.getByTestId('compare-config-diff').screenshot({ path: path.join(ARTIFACTS, 'compare-07-config-diff-layers.png') });
    await shot('06-four-runs');

    await page.getByTestId('compare-remove-1').click();
    const three = [runs[0]!, runs[2]!, extra];
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toBe(`#/compare/${three.map((r) => r.id).join(',')}`);
    await expect.poll(() => page.getByTestId('compare-column').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-run-id')))), { timeout: 10_000 }).toEqual(three.map((r) => r.id));
    // No two of these share a configuration but for the seed: no bands to offer.
    expect(await page.getByTestId('compare-group-seeds').isDisabled()).toBe(true);
  });
});
