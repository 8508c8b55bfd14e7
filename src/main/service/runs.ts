/** Creating and finding runs: the service's small, shared pieces. */
import { lastPart, tutorialClaims, type ClaimVerdict } from '../../shared/claims.js';
import type { RunConfig } from '../../shared/config.js';
import { parseRunConfig } from '../../shared/validate.js';
import { makeDataset } from '../engine/datasets.js';
import { balanceValues } from '../engine/losses.js';
import type { RunRow, RunStore } from '../store/index.js';
import { APP_VERSION } from './version.js';

/** A problem the user can fix (unknown run, wrong state): shown as one line, never a stack. */
export class UserError extends Error {
  override name = 'UserError';
}

export function createRun(store: RunStore, config: RunConfig, name?: string, extra: { sweepId?: string; tags?: string[] } = {}): RunRow {
  makeDataset(config.dataset); // a formula that cannot be sampled is refused before a run exists
  return store.createRun({
    name: name ?? config.name ?? `${config.dataset.kind} seed ${config.seed}`,
    config,
    seed: config.seed,
    iterationsPlanned: config.schedule.iterations,
    appVersion: APP_VERSION,
    status: 'created',
    ...extra,
  });
}

/** The run's configuration, validated again: a database is input too. */
export function runConfig(run: RunRow): RunConfig {
  return parseRunConfig(run.config);
}

/** Finds a run by id or name, or says plainly that there is none. */
export function requireRun(store: RunStore, ref: string | number): RunRow {
  const run = typeof ref === 'number' ? store.getRun(ref) : store.findRun(ref);
  if (!run) throw new UserError(`unknown run "${ref}"`);
  return run;
}

export function latestMetrics(store: RunStore, runId: number): Record<string, number> {
  const series = store.metricSeries(runId);
  return series[series.length - 1]?.metrics ?? {};
}

/**
 * The tutorial's claims against one snapshot (default: the newest) and the last fifth of the
 * losses recorded up to it.
 */
export function runClaims(store: RunStore, run: RunRow, step?: number): ClaimVerdict[] {
  const losses = store.lossSeries(run.id, step !== undefined ? { to: step } : {});
  const tail = lastPart(losses);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const balance = balanceValues(runConfig(run).loss.kind);
  const measures = step === undefined ? latestMetrics(store, run.id) : (store.snapshot(run.id, step, [])?.metrics ?? {});
  return tutorialClaims(
    measures,
    tail.length ? { meanD: mean(tail.map((l) => l.dLoss)), meanG: mean(tail.map((l) => l.gLoss)), ...(balance ? { balance } : {}) } : undefined,
  );
}
