/**
 * The data behind each figure, as one table (for CSV) and one object (for JSON). The renderer's
 * charts and every export read these, so a figure and its exported data cannot disagree.
 */
import { PHASES, type Phase } from '../engine/records.js';
import type { RunRow, RunStore } from '../store/index.js';
import { runConfig, UserError } from './runs.js';

export const DATA_FIGURES = ['losses', 'samples', 'features', 'centroids', 'metrics'] as const;
export type DataFigure = (typeof DATA_FIGURES)[number];

export interface Table {
  columns: string[];
  rows: Array<Array<number | string>>;
}

export interface FigureData {
  table: Table;
  json: Record<string, unknown>;
}

export interface FigureOptions {
  step?: number;
  phase?: Phase;
}

function rowsOf(data: Float32Array, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += width) out.push(Array.from(data.subarray(i, i + width)));
  return out;
}

/** The snapshot step asked for, or the newest; an unknown step is named with what exists. */
function resolveStep(store: RunStore, run: RunRow, step: number | undefined): number {
  const steps = store.snapshotSteps(run.id);
  if (steps.length === 0) throw new UserError(`run ${run.id} has no snapshots yet`);
  if (step === undefined) return steps[steps.length - 1]!;
  if (!steps.includes(step)) {
    const near = [...steps].sort((a, b) => Math.abs(a - step) - Math.abs(b - step)).slice(0, 3).sort((a, b) => a - b);
    throw new UserError(`run ${run.id} has no snapshot at step ${step} (nearest: ${near.join(', ')})`);
  }
  return step;
}

function snapshotArrays(store: RunStore, run: RunRow, step: number, names: string[]): Map<string, Float32Array> {
  const snap = store.snapshot(run.id, step, names);
  const found = new Map((snap?.arrays ?? []).map((a) => [a.name, a.data]));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) throw new UserError(`run ${run.id} step ${step} lacks ${missing.join(', ')}`);
  return found;
}

export function figureData(store: RunStore, run: RunRow, figure: DataFigure, options: FigureOptions = {}): FigureData {
  const width = runConfig(run).discriminator.featureWidth;
  const featureCols = Array.from({ length: width }, (_, i) => `f${i}`);
  switch (figure) {
    case 'losses': {
      const series = store.lossSeries(run.id);
      return {
        table: { columns: ['iteration', 'dLoss', 'gLoss'], rows: series.map((l) => [l.iteration, l.dLoss, l.gLoss]) },
        json: { runId: run.id, figure, losses: series },
      };
    }
    case 'samples': {
      const step = resolveStep(store, run, options.step);
      const a = snapshotArrays(store, run, step, ['real', 'fake']);
      const real = rowsOf(a.get('real')!, 2);
      const fake = rowsOf(a.get('fake')!, 2);
      return {
        table: {
          columns: ['set', 'x', 'y'],
          rows: [...real.map((p) => ['real', ...p]), ...fake.map((p) => ['generated', ...p])],
        },
        json: { runId: run.id, figure, step, real, generated: fake },
      };
    }
    case 'features': {
      const step = resolveStep(store, run, options.step);
      const phases = options.phase ? [options.phase] : [...PHASES];
      const names = phases.flatMap((p) => [`features.real.${p}`, `features.fake.${p}`]);
      const a = snapshotArrays(store, run, step, names);
      const rows: Table['rows'] = [];
      const json: Record<string, unknown> = { runId: run.id, figure, step, featureWidth: width };
      for (const p of phases) {
        const real = rowsOf(a.get(`features.real.${p}`)!, width);
        const fake = rowsOf(a.get(`features.fake.${p}`)!, width);
        rows.push(...real.map((f) => [p, 'real', ...f]), ...fake.map((f) => [p, 'generated', ...f]));
        json[p] = { real, generated: fake };
      }
      return { table: { columns: ['phase', 'set', ...featureCols], rows }, json };
    }
    case 'centroids': {
      const steps = options.step === undefined ? store.snapshotSteps(run.id) : [resolveStep(store, run, options.step)];
      if (steps.length === 0) throw new UserError(`run ${run.id} has no snapshots yet`);
      const rows: Table['rows'] = [];
      const perStep = steps.map((step) => {
        const c = snapshotArrays(store, run, step, ['centroids']).get('centroids')!;
        const entry: Record<string, unknown> = { step };
        PHASES.forEach((p, i) => {
          if (options.phase && p !== options.phase) return;
          const real = Array.from(c.subarray((i * 2) * width, (i * 2 + 1) * width));
          const fake = Array.from(c.subarray((i * 2 + 1) * width, (i * 2 + 2) * width));
          rows.push([step, p, 'real', ...real], [step, p, 'generated', ...fake]);
          entry[p] = { real, generated: fake };
        });
        return entry;
      });
      return {
        table: { columns: ['iteration', 'phase', 'set', ...featureCols.map((f) => f.replace('f', 'c'))], rows },
        json: { runId: run.id, figure, featureWidth: width, centroids: perStep },
      };
    }
    case 'metrics': {
      const series = store.metricSeries(run.id);
      const names = [...new Set(series.flatMap((s) => Object.keys(s.metrics)))].sort();
      return {
        table: { columns: ['iteration', ...names], rows: series.map((s) => [s.iteration, ...names.map((n) => s.metrics[n] ?? NaN)]) },
        json: { runId: run.id, figure, metrics: series },
      };
    }
  }
}

/** CSV per RFC 4180: fields with a comma, quote or line break are quoted. */
export function toCsv(table: Table): string {
  const field = (v: number | string) => {
    const s = typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : String(v)) : v;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
