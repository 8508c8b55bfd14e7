/**
 * A run's figures as models: the store's records fed to the shared builders. The screen
 * (figures.model), every export and the CLI come through figureModel, so what is drawn and what
 * is exported cannot differ.
 */
import { PCA } from 'ml-pca';
import {
  centroidsFigure,
  featuresFigure,
  lossesFigure,
  metricsFigure,
  samplesFigure,
  type CentroidStep,
  type Projection,
} from '../../shared/figures/build.js';
import { sharedBounds } from '../../shared/figures/bounds.js';
import { FigureModelSchema, STEP_FIGURES, type Bounds, type FigureKind, type FigureModel, type FigureModelInput, type Layers, type PhaseChoice } from '../../shared/figures/model.js';
import { balanceValues } from '../engine/losses.js';
import { PHASES, type NamedArray } from '../engine/records.js';
import type { RunRow, RunStore } from '../store/index.js';
import { runConfig, UserError } from './runs.js';

export interface FigureRequest {
  figure: FigureKind;
  /** The snapshot step for step figures (default: the newest); the cursor for losses and metrics. */
  step?: number | undefined;
  /** Take the snapshot nearest to `step` when there is none at it (compare's synchronized grid). */
  nearest?: boolean | undefined;
  phase?: PhaseChoice | undefined;
  layers?: Partial<Layers> | undefined;
  smoothing?: number | undefined;
  logScale?: boolean | undefined;
  /**
   * A step figure's axis ranges: fitted to its own snapshot (default), or one set shared by every
   * snapshot of the run, so that scrubbing through a replay does not move the axes.
   */
  axes?: 'step' | 'run' | undefined;
}

/** The snapshot step asked for, the nearest one, or the newest; an unknown step names what exists. */
export function resolveStep(store: RunStore, run: RunRow, step: number | undefined, nearest = false): number {
  const steps = store.snapshotSteps(run.id);
  if (steps.length === 0) throw new UserError(`run ${run.id} has no snapshots yet`);
  if (step === undefined) return steps[steps.length - 1]!;
  if (steps.includes(step)) return step;
  const byDistance = [...steps].sort((a, b) => Math.abs(a - step) - Math.abs(b - step) || a - b);
  if (nearest) return byDistance[0]!;
  const near = byDistance.slice(0, 3).sort((a, b) => a - b);
  throw new UserError(`run ${run.id} has no snapshot at step ${step} (nearest: ${near.join(', ')})`);
}

function arraysAt(store: RunStore, run: RunRow, step: number, names?: string[]): Map<string, NamedArray> {
  const snap = store.snapshot(run.id, step, names);
  return new Map((snap?.arrays ?? []).map((a) => [a.name, a]));
}

const projections = new Map<string, Projection | undefined>();
/** Rows per set and snapshot that go into the PCA fit: enough for the axes, cheap for 1000 snapshots. */
const PCA_ROWS = 64;

/**
 * The run's 2-D projection of D's feature layer when it is wider than 2: a PCA fitted once on
 * real and generated features from every snapshot, so the axes stay put while scrubbing. It is
 * cached per run and number of snapshots (a running run refits as snapshots arrive).
 */
export function runProjection(store: RunStore, run: RunRow): Projection | undefined {
  const width = runConfig(run).discriminator.featureWidth;
  if (width <= 2) return undefined;
  const steps = store.snapshotSteps(run.id);
  const key = `${store.file}#${run.id}#${run.createdAt}#${steps.length}`;
  if (projections.has(key)) return projections.get(key);
  const rows: number[][] = [];
  for (const step of steps) {
    const arrays = arraysAt(store, run, step, ['features.real.after-g', 'features.fake.after-g']);
    for (const a of arrays.values()) {
      const n = a.shape[0] ?? 0;
      const every = Math.max(1, Math.floor(n / PCA_ROWS));
      for (let i = 0; i < n; i += every) {
        const row = Array.from(a.data.subarray(i * width, (i + 1) * width));
        if (row.every(Number.isFinite)) rows.push(row);
      }
    }
  }
  let projection: Projection | undefined;
  if (rows.length > width) {
    const pca = new PCA(rows, { center: true, scale: false });
    const loadings = pca.getLoadings().to2DArray();
    const explained = pca.getExplainedVariance();
    const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
    projection = { mean, axes: [loadings[0]!, loadings[1]!], explained: [explained[0] ?? 0, explained[1] ?? 0] };
  }
  projections.set(key, projection);
  return projection;
}

/** Every snapshot's centroids, read once (the centroids figure draws their paths). */
function runCentroids(store: RunStore, run: RunRow, upTo = Number.POSITIVE_INFINITY): CentroidStep[] {
  const steps = store.snapshotSteps(run.id).filter((s) => s <= upTo);
  return steps.map((step) => {
    const centroids = arraysAt(store, run, step, ['centroids']).get('centroids');
    if (!centroids) throw new UserError(`run ${run.id} step ${step} lacks centroids`);
    return { step, centroids };
  });
}

/** A step figure at one snapshot, with the axes fitted to it (not yet validated: see stepFigure). */
function stepFigureInput(store: RunStore, run: RunRow, req: FigureRequest, step: number, centroids?: CentroidStep[]): FigureModelInput {
  switch (req.figure) {
    case 'features': {
      const names = [...PHASES.flatMap((p) => [`features.real.${p}`, `features.fake.${p}`]), 'centroids'];
      return featuresFigure(step, arraysAt(store, run, step, names), req.phase ?? 'after-g', runProjection(store, run));
    }
    case 'centroids':
      return centroidsFigure(centroids ?? runCentroids(store, run, step), step, runProjection(store, run));
    case 'samples':
    case 'heatmap':
    case 'manifold':
      return samplesFigure(step, arraysAt(store, run, step), req.layers ?? {}, req.figure);
    case 'losses':
    case 'metrics':
      throw new Error(`${req.figure} spans the run; it has no step figure`);
  }
}

function stepFigure(store: RunStore, run: RunRow, req: FigureRequest, step: number): FigureModel {
  return FigureModelSchema.parse(stepFigureInput(store, run, req, step));
}

const runAxes = new Map<string, Bounds | undefined>();
/** Runs whose shared axes are kept (each entry is four numbers per figure and option set). */
const RUN_AXES_KEPT = 200;

/**
 * One set of axes for a step figure over the whole run: the union of every snapshot's (see
 * sharedBounds), as a GIF of the figure has. Cached per run, figure, options and number of
 * snapshots; a run with new snapshots is measured again.
 */
function runBounds(store: RunStore, run: RunRow, req: FigureRequest): Bounds | undefined {
  const steps = store.snapshotSteps(run.id);
  const layers = req.layers ?? {};
  const key = JSON.stringify([store.file, run.id, run.createdAt, steps.length, req.figure, req.phase ?? 'after-g', !!layers.heatmap, !!layers.manifold, !!layers.arrows]);
  if (runAxes.has(key)) return runAxes.get(key);
  const centroids = req.figure === 'centroids' ? runCentroids(store, run) : undefined;
  // Models only measured, not sent: no need to validate a few hundred of them.
  const bounds = sharedBounds(steps.map((step) => stepFigureInput(store, run, req, step, centroids?.filter((c) => c.step <= step))));
  if (runAxes.size >= RUN_AXES_KEPT) runAxes.delete(runAxes.keys().next().value!);
  runAxes.set(key, bounds);
  return bounds;
}

/** The model of one of a run's figures. */
export function figureModel(store: RunStore, run: RunRow, req: FigureRequest): FigureModel {
  const config = runConfig(run);
  if (STEP_FIGURES.includes(req.figure)) {
    const model = stepFigure(store, run, req, resolveStep(store, run, req.step, req.nearest));
    const bounds = req.axes === 'run' ? runBounds(store, run, req) : undefined;
    return bounds ? { ...model, bounds } : model;
  }
  switch (req.figure) {
    case 'losses': {
      const series = store.lossSeries(run.id);
      const balance = balanceValues(config.loss.kind);
      return FigureModelSchema.parse(
        lossesFigure(
          { iterations: series.map((l) => l.iteration), dLoss: series.map((l) => l.dLoss), gLoss: series.map((l) => l.gLoss) },
          { smoothing: req.smoothing ?? 0, logScale: req.logScale ?? false, ...(balance ? { balance } : {}), ...(req.step !== undefined ? { cursor: req.step } : {}), title: `Losses — ${run.name}` },
        ),
      );
    }
    case 'metrics':
      return FigureModelSchema.parse(metricsFigure(store.metricSeries(run.id), { ...(req.step !== undefined ? { cursor: req.step } : {}), logScale: req.logScale ?? false }));
    default:
      throw new Error(`${req.figure} is a step figure`);
  }
}
