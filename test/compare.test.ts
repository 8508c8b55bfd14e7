/**
 * Comparing runs: the pure pieces on made-up inputs (config diff, stability, seed groups, bands,
 * the time axis), then the service on three small real runs — two seeds of one configuration and
 * one with another learning rate.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bandOf,
  compareCurvesFigure,
  configDiff,
  lossSpread,
  seedGroupLabel,
  seedGroups,
  TIME_AXIS_TITLE,
  winners,
  type CompareCurve,
} from '../src/shared/figures/compare.js';
import { CompareSummarySchema, ExportStyleSchema } from '../src/shared/contract.js';
import { FigureModelSchema } from '../src/shared/figures/model.js';
import { smoothSeries } from '../src/shared/smoothing.js';
import { compareExport, compareModel, compareSummary, type CompareRequest } from '../src/main/service/compare.js';
import { UserError } from '../src/main/service/runs.js';
import { openStore, type RunRow, type RunStore } from '../src/main/store/index.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const curve = (runId: number, color: CompareCurve['color'], values: Array<number | null>, ms: number | null = 2, name = `run ${runId}`): CompareCurve => ({
  runId,
  name,
  color,
  msPerIteration: ms,
  iterations: values.map((_, i) => i * 10),
  values,
});

describe('the configuration diff', () => {
  const a = { name: 'a', seed: 1, loss: { kind: 'nonSaturating', gpWeight: 10 }, optimizer: { generator: { lr: 0.001 }, discriminator: { lr: 0.001 } }, generator: { hidden: [{ units: 16 }, { units: 16 }] } };
  const b = { name: 'b', seed: 2, loss: { kind: 'nonSaturating', gpWeight: 10 }, optimizer: { generator: { lr: 0.001 }, discriminator: { lr: 0.002 } }, generator: { hidden: [{ units: 16 }, { units: 8 }] } };

  it('lists only the dotted paths that differ, nested and arrays (as JSON) included, and ignores the name', () => {
    expect(configDiff([a, b])).toEqual([
      { path: 'seed', values: ['1', '2'] },
      { path: 'optimizer.discriminator.lr', values: ['0.001', '0.002'] },
      { path: 'generator.hidden', values: ['[{"units":16},{"units":16}]', '[{"units":16},{"units":8}]'] },
    ]);
  });

  it('is empty for identical configurations, and marks a path one configuration lacks', () => {
    expect(configDiff([a, { ...a, name: 'other' }])).toEqual([]);
    expect(configDiff([{ x: { y: 1 } }, { x: {} }, { x: { y: 1 } }])).toEqual([{ path: 'x.y', values: ['1', '—', '1'] }]);
  });

  it('groups runs that differ only in seed and name, in input order, and names a group by what sets it apart', () => {
    const c = { ...a, name: 'c', seed: 9 };
    const d = { ...b, seed: 5 };
    expect(seedGroups([{ id: 1, config: a }, { id: 2, config: b }, { id: 3, config: c }, { id: 4, config: d }])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(seedGroups([{ id: 1, config: a }, { id: 2, config: b }])).toEqual([]);
    const diff = configDiff([a, b, c]);
    expect(seedGroupLabel(diff, 0, 2)).toBe('lr 0.001, hidden [{"units":16},{"units":… (2 seeds)'); // long values are clipped
    expect(seedGroupLabel(configDiff([a, c]), 0, 2)).toBe('one configuration (2 seeds)');
  });
});

describe('stability and winners', () => {
  it('stability is the standard deviation of the last 20% of the records', () => {
    const values = [100, -50, 7, 3, 1, 2, 3, 4, 2, 4]; // last 2 of 10: [2, 4]
    expect(lossSpread(values)).toBeCloseTo(1, 12);
    expect(lossSpread([...Array(80).fill(9), ...Array(20).fill(0).map((_, i) => (i % 2 ? 1 : 3))])).toBeCloseTo(1, 12);
    expect(lossSpread([1, 2, 3, 4, 5, 6, 7, 8, 2, null])).toBe(0); // only finite values count
    expect(lossSpread([1, 2, 3, 4, null])).toBeNull();
    expect(lossSpread([])).toBeNull();
  });

  it('the winner is the lowest or highest value; no winner when all tie or fewer than two are known', () => {
    expect(winners([0.3, 0.1, 0.2], 'lower')).toEqual([1]);
    expect(winners([0.3, 0.1, 0.3], 'higher')).toEqual([0, 2]);
    expect(winners([1, 1], 'higher')).toEqual([]);
    expect(winners([null, 2], 'lower')).toEqual([]);
  });
});

describe('the overlaid curves', () => {
  it('draws one line per run in its run colour, raw faint under the smoothed line when smoothing', () => {
    const runs = [curve(1, 'run0', [1, 2, 3]), curve(2, 'run1', [3, 2, 1])];
    const plain = FigureModelSchema.parse(compareCurvesFigure(runs, { figure: 'losses', quantity: 'D loss' }));
    expect(plain.series.map((s) => [s.label, s.color, s.style])).toEqual([
      ['run 1', 'run0', 'line'],
      ['run 2', 'run1', 'line'],
    ]);
    expect(plain.series[1]!.points).toEqual([{ x: 0, y: 3 }, { x: 10, y: 2 }, { x: 20, y: 1 }]);
    expect(plain.xTitle).toBe('iteration');
    const smooth = FigureModelSchema.parse(compareCurvesFigure(runs, { figure: 'losses', quantity: 'D loss', smoothing: 0.5, cursor: 10 }));
    expect(smooth.series.map((s) => [s.label, s.style, !!s.hideInLegend])).toEqual([
      ['run 1 (raw)', 'faint', true],
      ['run 1 (smoothed 0.5)', 'line', false],
      ['run 2 (raw)', 'faint', true],
      ['run 2 (smoothed 0.5)', 'line', false],
    ]);
    expect(smooth.series[1]!.points.map((p) => p!.y)).toEqual(smoothSeries([1, 2, 3], 0.5));
    expect(smooth.cursor).toBe(10);
  });

  it('leaves non-positive values out on a log scale', () => {
    const m = compareCurvesFigure([curve(1, 'run0', [2, 0, -1, 4]), curve(2, 'run1', [1, 1, 1, 1])], { figure: 'losses', quantity: 'D loss', logScale: true });
    expect(m.yScale).toBe('logarithmic');
    expect(m.yTitle).toBe('D loss (log scale)');
    expect(m.series[0]!.points).toEqual([{ x: 0, y: 2 }, null, null, { x: 30, y: 4 }]);
  });

  it("puts time at iteration × the run's mean ms per iteration / 1000 on the time axis, and refuses a run without timing", () => {
    const runs = [curve(1, 'run0', [1, 2, 3], 4), curve(2, 'run1', [3, 2, 1], 0.5)];
    const m = compareCurvesFigure(runs, { figure: 'losses', quantity: 'D loss', axis: 'time', cursor: 10 });
    expect(m.xTitle).toBe(TIME_AXIS_TITLE);
    expect(m.series[0]!.points.map((p) => p!.x)).toEqual([0, 0.04, 0.08]);
    expect(m.series[1]!.points.map((p) => p!.x)).toEqual([0, 0.005, 0.01]);
    expect(m.cursor).toBeUndefined(); // one step is a different time in each run
    expect(() => compareCurvesFigure([runs[0]!, curve(2, 'run1', [1], null, 'untimed')], { figure: 'losses', quantity: 'D loss', axis: 'time' })).toThrow(
      /"untimed" has no recorded time per iteration, so cannot be drawn on a time axis/,
    );
  });

  it('draws a seed group as a min edge, a min–max band and a mean line in its first run colour, aligned by iteration', () => {
    const band = bandOf([
      { iterations: [0, 10, 20, 30], values: [1, 5, null, 2] },
      { iterations: [0, 10, 20], values: [3, 1, 4] },
      { iterations: [10, 20], values: [2, 2] },
    ]);
    expect(band).toEqual({ iterations: [10, 20], mean: [8 / 3, null], min: [1, null], max: [5, null] });

    const runs = [curve(1, 'run0', [1, 5]), curve(2, 'run1', [10, 10]), curve(3, 'run2', [3, 1])];
    const m = FigureModelSchema.parse(compareCurvesFigure(runs, { figure: 'losses', quantity: 'G loss', groups: [{ runIds: [1, 3], label: 'lr 0.001 (2 seeds)' }] }));
    expect(m.series.map((s) => [s.label, s.color, s.style])).toEqual([
      ['lr 0.001 (2 seeds): min', 'run0', 'faint'],
      ['lr 0.001 (2 seeds): min–max band', 'run0', 'band'],
      ['lr 0.001 (2 seeds): mean', 'run0', 'line'],
      ['run 2', 'run1', 'line'],
    ]);
    expect(m.series[0]!.hideInLegend).toBe(true);
    expect(m.series[0]!.points.map((p) => p!.y)).toEqual([1, 1]);
    expect(m.series[1]!.points.map((p) => p!.y)).toEqual([3, 5]);
    expect(m.series[2]!.points.map((p) => p!.y)).toEqual([2, 3]);
  });
});

describe('comparing three real runs', () => {
  const dir = tempDir();
  let store: RunStore;
  let a: RunRow;
  let b: RunRow;
  let c: RunRow;
  const req = (over: Partial<CompareRequest> = {}): CompareRequest => ({ runIds: [a.id, b.id, c.id], figure: 'losses', series: 'dLoss', smoothing: 0, axis: 'step', groupSeeds: false, logScale: false, ...over });

  beforeAll(async () => {
    store = openStore(path.join(dir, 'compare.db'));
    const small = { iterations: 60, snapshotEvery: 20 };
    a = await finishedRun(store, { ...small, seed: 1, name: 'seed 1' });
    b = await finishedRun(store, { ...small, seed: 2, name: 'seed 2' });
    c = await finishedRun(store, { ...small, seed: 1, name: 'fast lr', snapshotEvery: 25, overrides: { optimizer: { generator: { lr: 0.003 }, discriminator: { lr: 0.003 } } } });
  });
  afterAll(() => store?.close());

  it('summarizes each run in colour order with time, stability, last metrics and claims; the diff and the seed group', () => {
    const s = CompareSummarySchema.parse(compareSummary(store, [a.id, b.id, c.id]));
    expect(s.runs.map((r) => [r.runId, r.name, r.color])).toEqual([
      [a.id, 'seed 1', 'run0'],
      [b.id, 'seed 2', 'run1'],
      [c.id, 'fast lr', 'run2'],
    ]);
    const losses = store.lossSeries(a.id);
    const tail = losses.slice(48).map((l) => l.dLoss); // the last 12 of 60 records
    const mean = tail.reduce((x, y) => x + y, 0) / tail.length;
    expect(s.runs[0]!.stability.d).toBeCloseTo(Math.sqrt(tail.reduce((x, y) => x + (y - mean) ** 2, 0) / tail.length), 12);
    expect(s.runs[0]!.msPerIteration).toBeGreaterThan(0);
    expect(s.runs[0]!.snapshotSteps).toEqual([0, 20, 40, 59]);
    expect(s.runs[2]!.snapshotSteps).toEqual([0, 25, 50, 59]);
    expect(Object.keys(s.runs[0]!.metrics).sort()).toEqual(['mmd2', 'onCurveFraction', 'slicedWasserstein', 'xCoverage']); // no claim.* measures
    expect(s.runs[0]!.metrics.mmd2).toBe(store.metricSeries(a.id).at(-1)!.metrics.mmd2);
    expect(s.runs[0]!.claims.map((cl) => cl.id)).toContain('real-features-still');
    expect(s.configDiff.map((r) => r.path)).toEqual(['optimizer.generator.lr', 'optimizer.discriminator.lr', 'seed', 'recording.snapshotEvery']);
    expect(s.configDiff.find((r) => r.path === 'seed')!.values).toEqual(['1', '2', '1']);
    expect(s.seedGroups).toEqual([[a.id, b.id]]);
  });

  it('overlays the losses, a metric, the time axis and the seed band', () => {
    const m = compareModel(store, req({ smoothing: 0.6, cursor: 20 }));
    expect(m.series.filter((s) => !s.hideInLegend).map((s) => s.label)).toEqual(['seed 1 (smoothed 0.6)', 'seed 2 (smoothed 0.6)', 'fast lr (smoothed 0.6)']);
    expect(m.cursor).toBe(20);
    const metric = compareModel(store, req({ figure: 'metrics', series: 'slicedWasserstein' }));
    expect(metric.series.map((s) => s.points.length)).toEqual([4, 4, 4]);
    const time = compareModel(store, req({ axis: 'time', series: 'gLoss' }));
    expect(time.series[0]!.points[59]!.x).toBeCloseTo((59 * a.msPerIteration!) / 1000, 9);
    const grouped = compareModel(store, req({ groupSeeds: true }));
    expect(grouped.series.map((s) => [s.label, s.style])).toEqual([
      ['lr 0.001, snapshotEvery 20 (2 seeds): min', 'faint'],
      ['lr 0.001, snapshotEvery 20 (2 seeds): min–max band', 'band'],
      ['lr 0.001, snapshotEvery 20 (2 seeds): mean', 'line'],
      ['fast lr', 'line'],
    ]);
  });

  it('exports the overlaid chart as CSV and JSON of exactly what it shows, and as PDF', () => {
    const style = ExportStyleSchema.parse({});
    const csv = compareExport(store, req({ runIds: [a.id, c.id] }), 'csv', style);
    expect(csv).toMatchObject({ fileName: `compare-runs-${a.id}-${c.id}-dLoss.csv`, mime: 'text/csv' });
    const lines = Buffer.from(csv.bytes).toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('series,x,y');
    expect(lines).toHaveLength(1 + 60 + 60); // a row per loss record of each run
    expect(lines[1]).toBe(`seed 1,0,${store.lossSeries(a.id)[0]!.dLoss}`);
    expect(lines[61]).toMatch(/^fast lr,0,/);

    const json = compareExport(store, req({ groupSeeds: true }), 'json', style);
    expect(json.fileName).toBe(`compare-runs-${a.id}-${b.id}-${c.id}-dLoss-seed-bands.json`);
    const parsed = JSON.parse(Buffer.from(json.bytes).toString('utf8')) as { meta: { runs: Array<{ name: string; color: string }> }; model: unknown };
    expect(parsed.meta.runs.map((r) => [r.name, r.color])).toEqual([
      ['seed 1', 'run0'],
      ['seed 2', 'run1'],
      ['fast lr', 'run2'],
    ]);
    expect(parsed.model).toEqual(compareModel(store, req({ groupSeeds: true })));

    const pdf = compareExport(store, req(), 'pdf', style);
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The same guard as a run's figures: a raster too large to hold in memory is refused.
    expect(() => compareExport(store, req(), 'png', ExportStyleSchema.parse({ width: 4000, height: 4000, scale: 4 }))).toThrow(/256 megapixels; at most 64/);
  });

  it('refuses 1 or 5 runs, a repeat, an unknown run, an unknown series and a run without timing on the time axis', () => {
    expect(() => compareSummary(store, [a.id])).toThrow(new UserError('compare 2 to 4 runs, not 1'));
    expect(() => compareModel(store, req({ runIds: [a.id, b.id, c.id, 98, 99] }))).toThrow(/compare 2 to 4 runs, not 5/);
    expect(() => compareSummary(store, [a.id, a.id])).toThrow(/listed twice/);
    expect(() => compareSummary(store, [a.id, 999])).toThrow(/unknown run "999"/);
    expect(() => compareModel(store, req({ series: 'wLoss' }))).toThrow(/dLoss or gLoss, not "wLoss"/);
    expect(() => compareModel(store, req({ figure: 'metrics', series: 'fid' }))).toThrow(/none of these runs has the metric "fid" \(they have: .*slicedWasserstein/);
    const untimed = store.createRun({ name: 'untimed', config: c.config, seed: 1, iterationsPlanned: 10, appVersion: 'test' });
    expect(() => compareModel(store, req({ runIds: [a.id, untimed.id], axis: 'time' }))).toThrow(UserError);
  });
});
