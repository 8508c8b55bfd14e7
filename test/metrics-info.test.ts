/** Every metric the engine records has a label, a definition and a direction wherever it is shown. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { curveMetrics, mixtureMetrics } from '../src/main/engine/metrics.js';
import { compareModel } from '../src/main/service/compare.js';
import { createRun } from '../src/main/service/runs.js';
import { openStore } from '../src/main/store/index.js';
import { CLAIM_MEASURES } from '../src/shared/claims.js';
import { metricsFigure } from '../src/shared/figures/build.js';
import { METRIC_BETTER } from '../src/shared/figures/compare.js';
import { METRIC_INFO, metricHint, metricInfo, metricLabel, metricNameOf, ON_CURVE_CAVEAT } from '../src/shared/metric-info.js';
import { resolveRunConfig } from '../src/shared/validate.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/** Every quality metric name engine/metrics.ts can produce (curve sets with two curves, mixtures, all 2-D sets). */
const ENGINE_METRICS = ['onCurveFraction', 'xCoverage', 'balance', 'highQualityFraction', 'modesCaptured', 'reverseKL', 'slicedWasserstein', 'mmd2'];

describe('metric labels', () => {
  it('cover every metric the engine computes, each with a label, a definition and a direction', () => {
    const curve = (x: number) => x * x;
    const fromEngine = [
      ...Object.keys(curveMetrics({ xMin: -1, xMax: 1, yRange: 1, curves: [{ f: curve }, { f: (x) => 1 - curve(x) }] }, new Float32Array([0, 0, 0.5, 0.25]))),
      ...Object.keys(mixtureMetrics({ modes: [{ x: 0, y: 0 }], std: 0.1 }, new Float32Array([0, 0]))),
    ];
    for (const name of new Set([...fromEngine, ...ENGINE_METRICS])) {
      const info = metricInfo(name);
      expect(info, name).toBeDefined();
      expect(info!.label).not.toBe(name);
      expect(info!.definition.length).toBeGreaterThan(20);
      expect(['higher', 'lower']).toContain(info!.better);
    }
    // the claims' inputs are named too, with no "better"
    for (const name of Object.values(CLAIM_MEASURES)) expect(metricInfo(name)?.better).toBeNull();
  });

  it('read with an arrow for the direction, and fall back to the name for an unknown metric', () => {
    expect(metricLabel('onCurveFraction')).toBe('On-curve fraction ↑');
    expect(metricLabel('mmd2')).toBe('MMD² ↓');
    expect(metricLabel('slicedWasserstein')).toBe('Sliced Wasserstein ↓');
    expect(metricLabel('fid')).toBe('fid');
    expect(metricLabel('toString')).toBe('toString'); // not Object.prototype's
    expect(metricNameOf('x-coverage ↑')).toBe('xCoverage');
    expect(metricNameOf('xCoverage')).toBe('xCoverage');
  });

  it("say on hover why on-curve can be 1.0 for an untrained generator at iteration 0", () => {
    expect(metricHint('onCurveFraction')).toContain(ON_CURVE_CAVEAT);
    expect(metricHint('On-curve fraction ↑')).toContain('iteration 0');
    expect(metricHint('mmd2')).toMatch(/lower is better.*\(mmd2\)$/);
  });

  it("agree with compare's METRIC_BETTER (one table, not two)", () => {
    for (const [name, info] of Object.entries(METRIC_INFO)) expect(METRIC_BETTER[name]).toBe(info.better ?? undefined);
  });

  it('name the metrics figure\'s series and Compare\'s overlaid metric', () => {
    const m = metricsFigure([{ iteration: 0, metrics: { onCurveFraction: 1, xCoverage: 0.1, 'claim.dOutReal': 0.5 } }]);
    expect(m.series.map((s) => s.label)).toEqual(['On-curve fraction ↑', 'x-coverage ↑']);

    const store = openStore(path.join(tempDir(), 'labels.db'));
    try {
      const config = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: 10 } } });
      const ids = [1, 2].map((seed) => {
        const run = createRun(store, { ...config, seed });
        store.writeRecords(run.id, { snapshots: [{ iteration: 0, arrays: [], metrics: { slicedWasserstein: seed } }] });
        return run.id;
      });
      const model = compareModel(store, { runIds: ids, figure: 'metrics', series: 'slicedWasserstein', smoothing: 0, axis: 'step', groupSeeds: false });
      expect(model.title).toBe('Sliced Wasserstein ↓: 2 runs compared');
    } finally {
      store.close();
    }
  });
});

describe('gan-lab show', () => {
  it('prints the quality metrics by label, with the direction key', () => {
    const dir = tempDir();
    const db = path.join(dir, 'show.db');
    const store = openStore(db);
    const run = createRun(store, resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: 10 } } }), undefined, { preset: 'article' });
    store.writeRecords(run.id, { snapshots: [{ iteration: 0, arrays: [], metrics: { onCurveFraction: 1, xCoverage: 0.1, 'claim.dOutReal': 0.5 } }] });
    store.close();
    const r = cli(['show', String(run.id), '--db', db]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^preset\s+article$/m);
    expect(out).toContain('metrics at iteration 0 (↑ higher is better, ↓ lower is better):');
    expect(out).toMatch(/^ {2}On-curve fraction ↑ {2}1$/m);
    expect(out).toMatch(/^ {2}x-coverage ↑ +0\.1$/m);
    expect(out).not.toContain('dOutReal');
  });

  it('refuses a name two runs share, listing each with its id, creation time and status', () => {
    const db = path.join(tempDir(), 'twins.db');
    const store = openStore(db);
    const config = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: 10 } } });
    const a = store.createRun({ name: 'twin', config, seed: 1, iterationsPlanned: 10, appVersion: 't' });
    const b = store.createRun({ name: 'twin', config, seed: 1, iterationsPlanned: 10, appVersion: 't', status: 'finished' });
    store.close();
    const r = cli(['show', 'twin', '--db', db]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('2 runs are named "twin"; give the id of the one you mean:');
    expect(r.stderr).toMatch(new RegExp(`run ${b.id}: created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d, finished`));
    expect(r.stderr).toMatch(new RegExp(`run ${a.id}: created .*, created`));
    expect(cli(['show', String(a.id), '--db', db]).code).toBe(0);
  });
});
