/**
 * Replay scrubbing benchmark (a benchmark, not a test): trains an article run with 101 snapshots,
 * serves browser mode, opens #/replay/<id> in Debian's Chromium, steps through 100 snapshots
 * once to fill the model cache, then through the same 100 again and reads the performance
 * measures the renderer leaves: "replay:frame" (a step change until the last panel is drawn) and
 * "figure:<panel>" (one chart's draw). Prints median / p95 / max and writes them into
 * docs/performance.md ("Replay scrubbing").
 *
 *   npx tsx bench/scrub-bench.ts [--iterations 1000] [--every 10] [--samples 512] [--heatmap 40]
 *                                [--manifold 20] [--no-write] [--json] [--profile FILE.cpuprofile]
 *
 * The renderer must be built (npx electron-vite build).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/main/store/index.js';
import { launchChromium, ROOT, startBrowserMode } from '../test/helpers/browser.js';
import { finishedRun } from '../test/helpers/runs.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000' },
    every: { type: 'string', default: '10' },
    samples: { type: 'string', default: '512' },
    heatmap: { type: 'string', default: '40' },
    manifold: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    /** Write Chromium's CPU profile of the measured pass (open it in Chrome's DevTools). */
    profile: { type: 'string' },
    /** List the measured frames slower than this many ms, each with its panels' draws. */
    slow: { type: 'string' },
  },
});
const iterations = Number(values.iterations);
const every = Number(values.every);
const recording = { lossEvery: 1, snapshotEvery: every, checkpointEvery: iterations, samples: Number(values.samples), heatmapResolution: Number(values.heatmap), manifoldResolution: Number(values.manifold) };
const FRAMES = 100;

interface Stats {
  n: number;
  median: number;
  p95: number;
  max: number;
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? Number.NaN };
}
const ms = (v: number) => v.toFixed(2);

const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-lab-scrub-'));
const dbPath = path.join(dir, 'scrub.db');
const t0 = performance.now();
const store = openStore(dbPath);
const run = await finishedRun(store, { preset: 'article', iterations, seed: 11, name: 'scrub bench', overrides: { recording } });
const snapshots = store.snapshotSteps(run.id).length;
store.close();
const trainSeconds = (performance.now() - t0) / 1000;
if (snapshots < FRAMES + 1) throw new Error(`the run has ${snapshots} snapshots; ${FRAMES + 1} are needed (raise --iterations)`);

const { app, server } = await startBrowserMode(dbPath);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}#/replay/${run.id}`);
  const frames = () => page.evaluate(() => performance.getEntriesByName('replay:frame').length);
  await page.waitForFunction(() => performance.getEntriesByName('replay:frame').length > 0, undefined, { timeout: 60_000 });

  /** One snapshot forward with the → key; resolves when that frame is drawn. */
  async function step(): Promise<void> {
    const before = await frames();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => performance.getEntriesByName('replay:frame').length > n, before, { timeout: 30_000 });
  }

  // First pass: fills the cache (the background prefetch loads the run alongside).
  await page.evaluate(() => performance.clearMeasures());
  for (let i = 0; i < FRAMES; i++) await step();
  const firstFrames = await page.evaluate(() => performance.getEntriesByName('replay:frame').map((e) => ({ duration: e.duration, cached: (e as PerformanceMeasure).detail?.cached === true })));
  const first = firstFrames.map((f) => f.duration);

  // Second pass, measured: back to the start, then 100 snapshots forward.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-testid="replay-step"]')?.getAttribute('data-step') === '0');
  await page.waitForTimeout(300);
  await page.evaluate(() => performance.clearMeasures());
  const cdp = values.profile ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  for (let i = 0; i < FRAMES; i++) await step();
  if (cdp) writeFileSync(values.profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  const measured = await page.evaluate(() =>
    performance.getEntriesByType('measure').map((e) => ({ name: e.name, start: e.startTime, duration: e.duration, cached: (e as PerformanceMeasure).detail?.cached as boolean | undefined })),
  );
  if (values.slow !== undefined) {
    for (const f of measured.filter((m) => m.name === 'replay:frame' && m.duration > Number(values.slow))) {
      const inside = measured.filter((m) => m.name.startsWith('figure:') && m.start >= f.start && m.start <= f.start + f.duration);
      const drawn = inside.reduce((sum, m) => sum + m.duration, 0);
      console.log(`slow frame ${ms(f.duration)} ms: ${inside.map((m) => `${m.name.slice('figure:replay-'.length)} ${ms(m.duration)}`).join(', ')}; outside the charts ${ms(f.duration - drawn)}`);
    }
  }
  const frame = measured.filter((m) => m.name === 'replay:frame');
  const panels = [...new Set(measured.filter((m) => m.name.startsWith('figure:')).map((m) => m.name))].sort();
  const result = {
    date: new Date().toISOString().slice(0, 10),
    chromium: browser.version(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    run: { preset: 'article', iterations, snapshots, ...recording, trainSeconds: Number(trainSeconds.toFixed(1)) },
    frame: stats(frame.map((f) => f.duration)),
    fromMemory: frame.filter((f) => f.cached).length,
    first: stats(first),
    firstFromMemory: firstFrames.filter((f) => f.cached).length,
    /** Other work on the machine while measuring (1-minute load average; the box has 2 cores). */
    load: Number(os.loadavg()[0]!.toFixed(2)),
    panels: Object.fromEntries(panels.map((name) => [name.slice('figure:'.length), stats(measured.filter((m) => m.name === name).map((m) => m.duration))])),
  };

  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${snapshots} snapshots (trained in ${result.run.trainSeconds} s); Chromium ${result.chromium}; ${result.cores} × ${result.cpu}`);
    console.log(`frame (second pass, ${result.fromMemory}/${frame.length} from memory): median ${ms(result.frame.median)} ms, p95 ${ms(result.frame.p95)} ms, max ${ms(result.frame.max)} ms`);
    console.log(`load average ${result.load}`);
    console.log(`frame (first pass, ${result.firstFromMemory}/${first.length} from memory): median ${ms(result.first.median)} ms, p95 ${ms(result.first.p95)} ms, max ${ms(result.first.max)} ms`);
    for (const [name, s] of Object.entries(result.panels)) console.log(`  ${name.padEnd(18)} median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms, max ${ms(s.max)} ms (${s.n} draws)`);
  }
  if (!values['no-write']) writeSection(result);
} finally {
  await browser.close();
  await server.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

function writeSection(r: {
  date: string;
  chromium: string;
  cpu: string;
  cores: number;
  run: typeof recording & { iterations: number; snapshots: number; trainSeconds: number };
  frame: Stats;
  fromMemory: number;
  first: Stats;
  firstFromMemory: number;
  load: number;
  panels: Record<string, Stats>;
}): void {
  const file = path.join(ROOT, 'docs', 'performance.md');
  const row = (what: string, s: Stats) => `| ${what} | ${s.n} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} |`;
  const section = [
    '## Replay scrubbing',
    '',
    '`npx tsx bench/scrub-bench.ts` trains an article run, serves browser mode, opens it in Replay in',
    "Debian's Chromium (1440×1000, light theme, software rendering) and steps through its snapshots",
    'with the → key: 100 snapshots to fill the model cache, then the same 100 again, measured. "replay:frame" runs',
    'from the step change to the last of the five charts drawn (losses and metrics move their cursor;',
    'samples, feature space and centroids draw the new step); "figure:<panel>" is one chart\'s draw.',
    'In the first pass the background prefetch is still receiving and parsing models on the same',
    'thread, and a frame whose models have not arrived waits for them over the WebSocket.',
    '',
    'What keeps a frame short: every model comes from the renderer\'s cache (prefetched around the',
    'cursor, and the whole run in the background for runs of up to 300 snapshots), and all five',
    'panels are set in one Svelte flush. A finished run\'s step figures come with one set of axes for',
    'the whole run (`axes: "run"`, the union a GIF of the figure has), and what moves in a chart (a',
    'step figure\'s points, lines and markers, the heatmap, the arrows, the subtitle, a curve\'s step',
    'cursor) is drawn by GAN Lab\'s own layer code (shared/figures/chart-layers.ts) on a canvas stacked',
    'over the Chart.js one. So a step change repaints only those overlays: no Chart.js update, no',
    'layout, no element per point and no axes, legend or title drawn again. Files are drawn by the',
    'same layer code into the one canvas, so screen and files still agree (tested to a tolerance).',
    '',
    'Measured on the way (medians / max of the second pass; this machine varies by about ±30% run to run):',
    '',
    '| change | frame median | frame max |',
    '|---|---|---|',
    '| first measured (no cache, Chart.js updates) | 20 ms | 44 ms (p95) |',
    '| cache, one flush, cursor-only repaint, same-shape data swap | 10–15 ms | 25–31 ms |',
    '| step figures\' points, lines, markers and subtitle drawn as layers; run-wide axes; repaint = chart.draw() | 6–7 ms | 15–19 ms |',
    '| moving layers on an overlay canvas; repaint = the overlay only | 3.5–4.9 ms | 6–10 ms (first pass up to 14 ms) |',
    '| (tried) point sprites via drawImage instead of paths | 11 ms | 18 ms, reverted |',
    '| (tried) one path per circle series instead of one per point | no change | reverted (loses the overlap shading) |',
    '',
    `### ${r.date}, ${r.cores} × ${r.cpu}, Chromium ${r.chromium}`,
    `Load average ${r.load} while measuring (other work on the machine).`,
    `Run: ${r.run.iterations} iterations, ${r.run.snapshots} snapshots, ${r.run.samples} samples, heatmap ${r.run.heatmapResolution}², manifold ${r.run.manifoldResolution}², losses every iteration (trained in ${r.run.trainSeconds} s).`,
    '',
    '| measure (ms) | frames | median | p95 | max |',
    '|---|---|---|---|---|',
    row(`replay:frame, second pass (${r.fromMemory} of ${r.frame.n} from memory)`, r.frame),
    row(`replay:frame, first pass (${r.firstFromMemory} of ${r.first.n} from memory)`, r.first),
    ...Object.entries(r.panels).map(([name, s]) => row(`figure:${name}`, s)),
    '',
    `Target: every frame under 16 ms — median ${ms(r.frame.median)} ms, p95 ${ms(r.frame.p95)} ms, max ${ms(r.frame.max)} ms: ${
      r.frame.max < 16 ? 'met' : r.frame.p95 < 16 ? 'met for 95% of the frames, not for every one' : '**missed** at the 95th percentile'
    }.`,
    '',
  ].join('\n');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Replay scrubbing');
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${section}`;
  else {
    const end = text.indexOf('\n## ', start + 1);
    next = text.slice(0, start) + section + (end < 0 ? '' : `\n${text.slice(end + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
  console.log(`wrote the "Replay scrubbing" section of ${path.relative(ROOT, file)}`);
}
