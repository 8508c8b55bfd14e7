/**
 * Live, end to end in Debian's Chromium over browser mode, on a run that keeps training: the
 * snapshot label never names a snapshot other than the one the charts draw, the loss chart opens
 * on log scale when the losses span more than two decades, the layers Replay has (D's heatmap,
 * G's manifold, gradient arrows) are drawn in Live too, and `S` stops the run only once a dialog
 * is confirmed while Space pauses and resumes at once. Then a run that diverges: its step, reason
 * and last good snapshot in Live's and Replay's header and badge, and no speed or ETA.
 * Issue 10 items 3, 4, 6 and 13.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GanLabApp } from '../../src/main/app.js';
import type { BrowserServer } from '../../src/main/server/browser-server.js';
import type { RunSummary } from '../../src/shared/contract.js';
import { prefersLogScale } from '../../src/shared/figures/log-axis.js';
import { DEFAULT_SMOOTHING } from '../../src/shared/smoothing.js';
import { resolveRunConfig } from '../../src/shared/validate.js';
import { ARTIFACTS, launchChromium, startBrowserMode } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

let app: GanLabApp;
let server: BrowserServer;
let browser: Browser;
let page: Page;
let run: RunSummary;

const attr = (testid: string, name: string) => page.getByTestId(testid).getAttribute(name);
const status = () => page.getByTestId('run-status').getAttribute('data-status');
const progressDone = async () => Number((await page.getByTestId('progress').textContent())!.split('/')[0]!.trim());
const dialogOpen = () => page.evaluate(() => document.querySelector('dialog[open]') !== null);
/** Nothing focused: the page's shortcuts ignore keys typed into a field. */
const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/** The share of the samples chart's overlay (where the layers are drawn) that is painted. */
function overlayCoverage(): Promise<number> {
  return page.getByTestId('samples-chart').evaluate((frame) => {
    const overlay = frame.querySelectorAll('canvas')[1]!;
    const { data } = overlay.getContext('2d')!.getImageData(0, 0, overlay.width, overlay.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted / (overlay.width * overlay.height);
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ app, server } = await startBrowserMode(path.join(tempDir(), 'live.db')));
  const config = resolveRunConfig({
    preset: 'article',
    // A snapshot every 1000 iterations: a few a second on the SIMD engine.
    overrides: { schedule: { iterations: 1_000_000 }, recording: { lossEvery: 10, snapshotEvery: 1000, checkpointEvery: 100_000, samples: 64, heatmapResolution: 12, manifoldResolution: 6 } },
  });
  run = (await app.dispatch('runs.create', { config, name: 'live e2e', start: true })) as RunSummary;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  page.on('pageerror', (e) => {
    throw e;
  });
}, 60_000);

afterAll(async () => {
  if (run && app) await app.dispatch('runs.stop', { runId: run.id }).catch(() => {});
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('Live, end to end in Chromium', () => {
  it('labels every snapshot shown with the iteration the samples, features and claims are drawn at', async () => {
    await page.goto(`${server.url}#/live/${run.id}`);
    await page.getByTestId('snapshot-label').waitFor();
    // Every change the page makes is read at once, in the same state the person sees.
    await page.evaluate(() => {
      type Frame = { label: string; samples: string | null; features: string | null; claims: string };
      const w = window as unknown as { liveFrames: Frame[] };
      w.liveFrames = [];
      const text = (sel: string) => document.querySelector(sel)?.textContent ?? '';
      const read = () => {
        const frame: Frame = {
          label: text('[data-testid="snapshot-label"]'),
          samples: document.querySelector('[data-testid="samples-chart"]')?.getAttribute('data-step') ?? null,
          features: document.querySelector('[data-testid="features-chart"]')?.getAttribute('data-step') ?? null,
          claims: text('[data-testid="claims"] h2'),
        };
        const last = w.liveFrames.at(-1);
        if (!last || JSON.stringify(last) !== JSON.stringify(frame)) w.liveFrames.push(frame);
      };
      read();
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-step'] });
    });
    const labelled = () =>
      page.evaluate(() => {
        const frames = (window as unknown as { liveFrames: Array<{ label: string }> }).liveFrames;
        return new Set(frames.map((f) => /iteration ([\d,]+)/.exec(f.label)?.[1]).filter(Boolean)).size;
      });
    // Six snapshots shown one after another while the run records new ones.
    await expect.poll(labelled, { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
    const frames = await page.evaluate(() => (window as unknown as { liveFrames: Array<{ label: string; samples: string | null; features: string | null; claims: string }> }).liveFrames);
    const number = (s: string | undefined) => (s === undefined ? null : s.replaceAll(',', ''));
    let checked = 0;
    for (const f of frames) {
      const label = number(/iteration ([\d,]+)/.exec(f.label)?.[1]);
      if (label === null) {
        expect(f.label, 'no iteration named while nothing is drawn').not.toMatch(/\d/);
        continue;
      }
      expect({ label, samples: f.samples, features: f.features }).toEqual({ label, samples: label, features: label });
      const claims = number(/iteration ([\d,]+)/.exec(f.claims)?.[1]);
      if (claims !== null) expect(claims).toBe(label);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('opens the loss chart on log scale when the losses span more than two decades, until the box is unticked', async () => {
    // The tutorial's D loss starts near 140 and falls toward its balance value.
    await expect
      .poll(async () => {
        const l = (await app.dispatch('runs.losses', { runId: run.id })) as { dLoss: Array<number | null>; gLoss: Array<number | null> };
        return prefersLogScale([l.dLoss, l.gLoss]);
      }, { timeout: 30_000 })
      .toBe(true);
    const box = page.getByTestId('log-scale');
    await expect.poll(() => box.isChecked(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('smoothing').inputValue()).toBe(String(DEFAULT_SMOOTHING));
    await box.uncheck();
    // The choice holds as new losses arrive.
    const points = Number(await attr('loss-chart', 'data-points'));
    await expect.poll(async () => Number(await attr('loss-chart', 'data-points')), { timeout: 20_000 }).toBeGreaterThan(points);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    expect(await box.isChecked()).toBe(true);
  });

  it("draws D's heatmap, G's manifold and the gradient arrows over the samples, as Replay does, and keeps them as snapshots arrive", async () => {
    await expect.poll(() => attr('samples-chart', 'data-step'), { timeout: 20_000 }).toMatch(/^\d+$/);
    expect(await attr('samples-chart', 'data-figure')).toBe('samples');
    const without = await overlayCoverage();

    await page.getByTestId('layer-heatmap').check();
    await expect.poll(() => attr('samples-chart', 'data-figure'), { timeout: 10_000 }).toBe('heatmap');
    expect(await attr('samples-chart', 'data-series')).toContain('D(x)');
    const at = Number(await attr('samples-chart', 'data-step'));
    // The heatmap fills the plot: most of the overlay is painted (points alone paint little of it).
    const withHeatmap = await overlayCoverage();
    console.log(`samples overlay painted: ${(without * 100).toFixed(1)}% without the heatmap, ${(withHeatmap * 100).toFixed(1)}% with it`);
    expect(without).toBeLessThan(0.1);
    expect(withHeatmap).toBeGreaterThan(0.3);
    // The next snapshot keeps the layer.
    await expect.poll(async () => Number(await attr('samples-chart', 'data-step')), { timeout: 20_000 }).toBeGreaterThan(at);
    expect(await attr('samples-chart', 'data-figure')).toBe('heatmap');
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-heatmap-1440x900.png'), fullPage: true });

    await page.getByTestId('layer-manifold').check();
    await page.getByTestId('layer-arrows').check();
    await expect.poll(() => attr('samples-chart', 'data-series'), { timeout: 10_000 }).toContain('G manifold');
    await expect.poll(() => attr('samples-chart', 'data-series'), { timeout: 10_000 }).toContain('dD/dx');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-all-layers-1024x700.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    for (const layer of ['heatmap', 'manifold', 'arrows']) await page.getByTestId(`layer-${layer}`).uncheck();
    await expect.poll(() => attr('samples-chart', 'data-figure'), { timeout: 10_000 }).toBe('samples');
  });

  it('pauses and resumes with Space at once, and stops with S only after the dialog is confirmed', async () => {
    await blur();
    expect(await status()).toBe('running');
    await page.keyboard.press('Space');
    await expect.poll(status, { timeout: 10_000 }).toBe('paused');
    expect(await dialogOpen()).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(status, { timeout: 10_000 }).toBe('running');

    await page.keyboard.press('s');
    await expect.poll(dialogOpen).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-stop-confirm-1440x900.png') });
    // The run goes on while the question is open...
    const asked = await progressDone();
    await expect.poll(progressDone, { timeout: 20_000 }).toBeGreaterThan(asked);
    expect(await status()).toBe('running');
    // ...and after it is cancelled.
    await page.keyboard.press('Escape');
    await expect.poll(dialogOpen).toBe(false);
    const cancelled = await progressDone();
    await expect.poll(progressDone, { timeout: 20_000 }).toBeGreaterThan(cancelled);
    expect(await status()).toBe('running');

    await blur();
    await page.keyboard.press('S');
    await expect.poll(dialogOpen).toBe(true);
    await page.getByTestId('confirm-stop').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('stopped');
    // A run that is not running has no speed and no time left.
    expect(await page.getByTestId('rate').count()).toBe(0);
    expect(await page.getByTestId('eta').count()).toBe(0);
  });

  it('a diverged run shows the step, the reason and a link to its last good snapshot in Live and Replay, and no speed or ETA', async () => {
    // Learning rates of 1 for both networks cross the loss bound within a few iterations.
    const config = resolveRunConfig({
      preset: 'article',
      sets: ['optimizer.generator.lr=1', 'optimizer.discriminator.lr=1', 'schedule.iterations=3000', 'recording.lossEvery=1', 'recording.snapshotEvery=1', 'recording.samples=64', 'recording.heatmapResolution=4', 'recording.manifoldResolution=4'],
    });
    const bad = (await app.dispatch('runs.create', { config, name: 'diverges', start: true })) as RunSummary;
    await expect.poll(async () => ((await app.dispatch('runs.get', { runId: bad.id })) as RunSummary).status, { timeout: 60_000 }).toBe('diverged');
    const { error } = (await app.dispatch('runs.get', { runId: bad.id })) as RunSummary;
    const [, at, reason] = /^diverged at iteration ([\d,]+): (.+)$/.exec(error!)!;
    const step = Number(at!.replaceAll(',', ''));
    const kept = (await app.dispatch('runs.snapshotSteps', { runId: bad.id })) as number[];
    expect(kept.length).toBeGreaterThan(0);
    const lastGood = Math.max(...kept);
    expect(lastGood).toBeLessThan(step);

    await page.goto(`${server.url}#/live/${bad.id}`);
    const badge = page.getByTestId('run-status');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('diverged');
    expect((await badge.textContent())!.trim()).toBe(`diverged at ${step.toLocaleString('en-US')}`);
    expect(await badge.getAttribute('title')).toBe(error);
    const notice = page.getByTestId('diverged-notice');
    expect(await notice.getAttribute('data-step')).toBe(String(step));
    expect(await notice.textContent()).toContain(`Diverged at iteration ${step.toLocaleString('en-US')}`);
    expect(await page.getByTestId('diverged-reason').textContent()).toBe(reason);
    const link = page.getByTestId('last-good-snapshot');
    await expect.poll(() => link.getAttribute('href'), { timeout: 10_000 }).toBe(`#/replay/${bad.id}?step=${lastGood}`);
    expect(await link.textContent()).toContain(`iteration ${lastGood}`);
    expect(await page.getByTestId('rate').count()).toBe(0);
    expect(await page.getByTestId('eta').count()).toBe(0);
    // The reason is said in the header, not again as an error under the progress bar.
    expect(await page.locator('.head .error-text').count()).toBe(0);
    // Live follows the newest snapshot, which is the last good one.
    await expect.poll(() => attr('samples-chart', 'data-step'), { timeout: 10_000 }).toBe(String(lastGood));
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-diverged-1440x900.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-diverged-1024x700.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/replay/${bad.id}?step=${lastGood}`);
    await expect.poll(() => page.getByTestId('replay').getAttribute('data-run-id'), { timeout: 10_000 }).toBe(String(bad.id));
    expect((await page.getByTestId('replay-status').textContent())!.trim()).toBe(`diverged at ${step.toLocaleString('en-US')}`);
    expect(await page.getByTestId('diverged-notice').getAttribute('data-step')).toBe(String(step));
    await page.screenshot({ path: path.join(ARTIFACTS, 'replay-diverged-1440x900.png') });
  });
});
