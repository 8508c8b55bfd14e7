/**
 * Comparing 2 to 4 runs: overlaid curves, a config diff, and a metrics table with training time
 * and stability. The records come from the store; what is drawn and measured is decided by the
 * pure builders in shared/figures/compare.ts.
 */
import type { CompareSummary, ExportStyle, ParsedRequestOf } from '../../shared/contract.js';
import {
  CompareInputError,
  compareCurvesFigure,
  configDiff,
  LOSS_SERIES,
  lossSpread,
  RUN_COLORS,
  seedGroupLabel,
  seedGroups,
  type CompareCurve,
  type CompareGroup,
} from '../../shared/figures/compare.js';
import { FigureModelSchema, type FigureModel } from '../../shared/figures/model.js';
import { metricLabel } from '../../shared/metric-info.js';
import { figureRenderer } from '../figures/render.js';
import type { RunRow, RunStore } from '../store/index.js';
import { checkSize, encode, MIME_TYPES, type ExportedFile } from './figure-export.js';
import { latestMetrics, requireRun, runClaims, runConfig, UserError } from './runs.js';
import { APP_VERSION } from './version.js';

export type CompareRequest = Omit<ParsedRequestOf<'compare.model'>, never>;

const MIN_RUNS = 2;
const MAX_RUNS = 4;

/** The runs to compare, in colour order; a wrong count, a repeat or an unknown run is refused plainly. */
function compareRuns(store: RunStore, runIds: readonly number[]): RunRow[] {
  if (runIds.length < MIN_RUNS || runIds.length > MAX_RUNS) throw new UserError(`compare ${MIN_RUNS} to ${MAX_RUNS} runs, not ${runIds.length}`);
  if (new Set(runIds).size !== runIds.length) throw new UserError('the same run is listed twice');
  return runIds.map((id) => requireRun(store, id));
}

const isClaimMeasure = (name: string) => name.startsWith('claim.');

export function compareSummary(store: RunStore, runIds: number[]): CompareSummary {
  const runs = compareRuns(store, runIds);
  const configs = runs.map((r) => runConfig(r));
  return {
    runs: runs.map((run, i) => {
      const losses = store.lossSeries(run.id);
      const metrics = Object.fromEntries(
        Object.entries(latestMetrics(store, run.id))
          .filter(([name]) => !isClaimMeasure(name))
          .map(([name, v]) => [name, Number.isFinite(v) ? v : null]),
      );
      return {
        runId: run.id,
        name: run.name,
        color: RUN_COLORS[i]!,
        seed: run.seed,
        status: run.status,
        iterationsDone: run.iterationsDone,
        msPerIteration: run.msPerIteration,
        stability: { d: lossSpread(losses.map((l) => l.dLoss)), g: lossSpread(losses.map((l) => l.gLoss)) },
        metrics,
        claims: runClaims(store, run),
        snapshotSteps: store.snapshotSteps(run.id),
      };
    }),
    configDiff: configDiff(configs),
    seedGroups: seedGroups(runs.map((r, i) => ({ id: r.id, config: configs[i] }))),
  };
}

/** Each run's curve of the requested loss or metric. */
function curves(store: RunStore, runs: RunRow[], req: CompareRequest): { curves: CompareCurve[]; quantity: string } {
  const base = (run: RunRow, i: number) => ({ runId: run.id, name: run.name, color: RUN_COLORS[i]!, msPerIteration: run.msPerIteration });
  if (req.figure === 'losses') {
    if (!(req.series in LOSS_SERIES)) throw new UserError(`the losses to compare are dLoss or gLoss, not "${req.series}"`);
    const key = req.series as keyof typeof LOSS_SERIES;
    return {
      quantity: LOSS_SERIES[key],
      curves: runs.map((run, i) => {
        const losses = store.lossSeries(run.id);
        return { ...base(run, i), iterations: losses.map((l) => l.iteration), values: losses.map((l) => l[key]) };
      }),
    };
  }
  const series = runs.map((run) => store.metricSeries(run.id));
  const known = [...new Set(series.flatMap((s) => s.flatMap((p) => Object.keys(p.metrics))))].filter((n) => !isClaimMeasure(n)).sort();
  if (!known.includes(req.series)) {
    throw new UserError(`none of these runs has the metric "${req.series}"${known.length ? ` (they have: ${known.join(', ')})` : ''}`);
  }
  return {
    quantity: metricLabel(req.series),
    curves: runs.map((run, i) => ({
      ...base(run, i),
      iterations: series[i]!.map((p) => p.iteration),
      values: series[i]!.map((p) => p.metrics[req.series] ?? null),
    })),
  };
}

export function compareModel(store: RunStore, req: CompareRequest): FigureModel {
  const runs = compareRuns(store, req.runIds);
  const { curves: cs, quantity } = curves(store, runs, req);
  let groups: CompareGroup[] = [];
  if (req.groupSeeds) {
    const configs = runs.map((r) => runConfig(r));
    const diff = configDiff(configs);
    groups = seedGroups(runs.map((r, i) => ({ id: r.id, config: configs[i] }))).map((ids) => ({
      runIds: ids,
      label: seedGroupLabel(diff, req.runIds.indexOf(ids[0]!), ids.length),
    }));
  }
  try {
    return FigureModelSchema.parse(
      compareCurvesFigure(cs, {
        figure: req.figure,
        quantity,
        smoothing: req.smoothing,
        axis: req.axis,
        groups,
        ...(req.logScale !== undefined ? { logScale: req.logScale } : {}),
        ...(req.cursor !== undefined ? { cursor: req.cursor } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof CompareInputError) throw new UserError(err.message);
    throw err;
  }
}

/** The overlaid chart as a file: drawn from the very model the screen shows, or exactly its data as CSV/JSON. */
export function compareExport(store: RunStore, req: CompareRequest, format: 'png' | 'svg' | 'pdf' | 'csv' | 'json', style: ExportStyle): ExportedFile {
  checkSize(style, format);
  const runs = compareRuns(store, req.runIds);
  const model = compareModel(store, req);
  const what = [req.series, req.groupSeeds ? 'seed-bands' : '', req.axis === 'time' ? 'time' : ''].filter(Boolean).join('-');
  const fileName = `compare-runs-${req.runIds.join('-')}-${what.replace(/[^A-Za-z0-9_.-]+/g, '_')}.${format}`;
  const meta = {
    exportedBy: `GAN Lab ${APP_VERSION}`,
    runs: runs.map((r, i) => ({ id: r.id, name: r.name, color: RUN_COLORS[i], status: r.status, seed: r.seed, iterationsDone: r.iterationsDone, msPerIteration: r.msPerIteration, config: r.config })),
    request: req,
  };
  return { fileName, mime: MIME_TYPES[format], bytes: encode(model, format, figureRenderer(style), meta) };
}
