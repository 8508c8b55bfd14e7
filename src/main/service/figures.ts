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
import { FigureModelSchema, type Bounds, type FigureKind, type FigureModel, type FigureModelInput, type Layers, type PhaseChoice } from '../../shared/figures/model.js';
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
  /** A step figure's axis ranges as the screen shows them after a zoom or pan (they win over `axes`). */
  view?: Bounds | undefined;
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

/**
 * Values worked out from every snapshot of a run (its projection, its centroids, its shared
 * axes), kept until the run has more snapshots; the least recently made go first.
 */
class PerRun<T> {
  private readonly kept = new Map<string, T>();
  constructor(private readonly limit = 200) {}

  get(store: RunStore, run: RunRow, what: string, make: () => T): T {
    const key = JSON.stringify([store.file, run.id, run.createdAt, store.snapshotSteps(run.id).length, what]);
    if (this.kept.has(key)) return this.kept.get(key) as T;
    const value = make();
    if (this.kept.size >= this.limit) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, value);
    return value;
  }
}

const projections = new PerRun<Projection | undefined>();
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
  return projections.get(store, run, 'pca', () => {
    const rows: number[][] = [];
    for (const step of store.snapshotSteps(run.id)) {
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
    if (rows.length <= width) return undefined;
    const pca = new PCA(rows, { center: true, scale: false });
    const loadings = pca.getLoadings().to2DArray();
    const explained = pca.getExplainedVariance();
    const mean = rows[0]!.map((_, j) => rows.reduce((sum, r) => sum + r[j]!, 0) / rows.length);
    return { mean, axes: [loadings[0]!, loadings[1]!], explained: [explained[0] ?? 0, explained[1] ?? 0] };
  });
}

const centroidPaths = new PerRun<Array<{ step: number; centroids: NamedArray | undefined }>>(20);

/**
 * Every snapshot's centroids up to `upTo`: the centroids figure draws their paths. Read once per
 * run, not once per step shown (a replay or a GIF asks for every step).
 */
function runCentroids(store: RunStore, run: RunRow, upTo: number): CentroidStep[] {
  const all = centroidPaths.get(store, run, 'centroids', () => store.snapshotSteps(run.id).map((step) => ({ step, centroids: arraysAt(store, run, step, ['centroids']).get('centroids') })));
  return all
    .filter((c) => c.step <= upTo)
    .map(({ step, centroids }) => {
      if (!centroids) throw new UserError(`run ${run.id} step ${step} lacks centroids`);
      return { step, centroids };
    });
}

type StepFigure = Exclude<FigureKind, 'losses' | 'metrics'>;

/** A step figure at one snapshot, with the axes fitted to it (not yet validated). */
function stepFigure(store: RunStore, run: RunRow, figure: StepFigure, req: FigureRequest, step: number): FigureModelInput {
  switch (figure) {
    case 'features': {
      const names = [...PHASES.flatMap((p) => [`features.real.${p}`, `features.fake.${p}`]), 'centroids'];
      return featuresFigure(step, arraysAt(store, run, step, names), req.phase ?? 'after-g', runProjection(store, run));
    }
    case 'centroids':
      return centroidsFigure(runCentroids(store, run, step), step, runProjection(store, run));
    case 'samples':
    case 'heatmap':
    case 'manifold':
      return samplesFigure(step, arraysAt(store, run, step), req.layers ?? {}, figure);
  }
}

const runAxes = new PerRun<Bounds | undefined>();

/**
 * One set of axes for a step figure over the whole run: the union of every snapshot's (see
 * sharedBounds), as a GIF of the figure has. Cached per run, figure, options and number of
 * snapshots; a run with new snapshots is measured again.
 */
function runBounds(store: RunStore, run: RunRow, figure: StepFigure, req: FigureRequest): Bounds | undefined {
  const layers = req.layers ?? {};
  const what = JSON.stringify([figure, req.phase ?? 'after-g', !!layers.heatmap, !!layers.manifold, !!layers.arrows]);
  // The models are only measured, not sent: no need to validate a few hundred of them.
  return runAxes.get(store, run, what, () => sharedBounds(store.snapshotSteps(run.id).map((step) => stepFigure(store, run, figure, req, step))));
}

/** A step figure at the step asked for (or the nearest), on its own axes or the run's. */
function stepModel(store: RunStore, run: RunRow, figure: StepFigure, req: FigureRequest): FigureModel {
  const model = FigureModelSchema.parse(stepFigure(store, run, figure, req, resolveStep(store, run, req.step, req.nearest)));
  const bounds = req.view ?? (req.axes === 'run' ? runBounds(store, run, figure, req) : undefined);
  return bounds ? { ...model, bounds } : model;
}

/** The model of one of a run's figures. */
export function figureModel(store: RunStore, run: RunRow, req: FigureRequest): FigureModel {
  const config = runConfig(run);
  switch (req.figure) {
    case 'losses': {
      const series = store.lossSeries(run.id);
      const balance = balanceValues(config.loss.kind);
      return FigureModelSchema.parse(
        lossesFigure(
          { iterations: series.map((l) => l.iteration), dLoss: series.map((l) => l.dLoss), gLoss: series.map((l) => l.gLoss) },
          { smoothing: req.smoothing ?? 0, ...(req.logScale !== undefined ? { logScale: req.logScale } : {}), ...(balance ? { balance } : {}), ...(req.step !== undefined ? { cursor: req.step } : {}), title: `Losses — ${run.name}` },
        ),
      );
    }
    case 'metrics':
      return FigureModelSchema.parse(metricsFigure(store.metricSeries(run.id), { ...(req.step !== undefined ? { cursor: req.step } : {}), ...(req.logScale !== undefined ? { logScale: req.logScale } : {}) }));
    case 'samples':
    case 'heatmap':
    case 'manifold':
    case 'features':
    case 'centroids':
      return stepModel(store, run, req.figure, req);
  }
}
