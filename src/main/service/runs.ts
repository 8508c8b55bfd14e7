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

export interface NewRunExtra {
  sweepId?: string;
  tags?: string[];
  /** The preset the configuration started from; recorded with the run and put in its auto-name. */
  preset?: string | null;
}

/** What a run is called when nobody names it: "article · quadratic · seed 1". */
export function autoRunName(config: RunConfig, preset?: string | null): string {
  return [preset, config.dataset.kind, `seed ${config.seed}`].filter(Boolean).join(' · ');
}

/** `name`, or `name (2)`, `name (3)`… — the first one no run has yet. */
export function freeRunName(store: RunStore, name: string): string {
  const taken = store.namesLike(name);
  if (!taken.has(name)) return name;
  let k = 2;
  while (taken.has(`${name} (${k})`)) k += 1;
  return `${name} (${k})`;
}

/** A new run; its name (given, the config's, or automatic) is made unique with a " (n)" suffix. */
export function createRun(store: RunStore, config: RunConfig, name?: string, extra: NewRunExtra = {}): RunRow {
  makeDataset(config.dataset); // a formula that cannot be sampled is refused before a run exists
  const { preset, ...rest } = extra;
  return store.transaction(() =>
    store.createRun({
      name: freeRunName(store, name ?? config.name ?? autoRunName(config, preset)),
      config,
      seed: config.seed,
      iterationsPlanned: config.schedule.iterations,
      appVersion: APP_VERSION,
      status: 'created',
      preset: preset ?? null,
      ...rest,
    }),
  );
}

/** The run's configuration, validated again: a database is input too. */
export function runConfig(run: RunRow): RunConfig {
  return parseRunConfig(run.config);
}

/**
 * Finds a run by id or name, or says plainly that there is none. A name two runs share is
 * refused with the candidates listed, so a command never acts on a run the user did not mean.
 */
export function requireRun(store: RunStore, ref: string | number): RunRow {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const byId = store.getRun(Number(ref));
    if (byId) return byId;
  }
  const named = typeof ref === 'string' ? store.runsNamed(ref) : [];
  if (named.length > 1) {
    const list = named.map((r) => `  run ${r.id}: created ${r.createdAt.slice(0, 19).replace('T', ' ')}, ${r.status}`).join('\n');
    throw new UserError(`${named.length} runs are named "${ref}"; give the id of the one you mean:\n${list}`);
  }
  if (!named[0]) throw new UserError(`unknown run "${ref}"`);
  return named[0];
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
    { diverged: run.status === 'diverged' ? (run.error ?? 'diverged') : null },
  );
}
