/** `gan-lab train` and `gan-lab resume`: training from a terminal, with progress and Ctrl-C. */
import type { RunConfig } from '../../shared/config.js';
import { resolveRunConfig } from '../../shared/validate.js';
import type { BackendChoice } from '../engine/backend.js';
import type { EngineChoice } from '../engine/trainer.js';
import type { RunStore } from '../store/index.js';
import { createRun } from '../service/runs.js';
import { trainRun, type TrainSummary } from '../service/training.js';
import { readConfigFile, readPointsCsv } from './args.js';
import { printJson, printSummary } from './output.js';
import { progressReporter } from './progress.js';

export interface TrainFlags {
  preset?: string;
  config?: string;
  set?: string[];
  iterations?: number;
  seed?: number;
  seeds?: string;
  name?: string;
  pointsCsv?: string;
  backend?: BackendChoice;
  engine?: EngineChoice;
  json?: boolean;
}

/** The first Ctrl-C (or SIGTERM) stops after the current iteration and keeps a checkpoint. */
function stopOnSignals(quiet: boolean, beforeNotice: () => void) {
  let stop = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stop) process.exit(130);
    stop = true;
    beforeNotice();
    if (!quiet) process.stderr.write(`\n${signal}: stopping after this iteration and keeping a checkpoint (again to abort)\n`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    shouldStop: () => stop,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export async function runTraining(store: RunStore, runId: number, until: number | undefined, flags: { json?: boolean; backend?: BackendChoice; engine?: EngineChoice }): Promise<TrainSummary> {
  const progress = progressReporter(!flags.json && process.stderr.isTTY === true ? process.stderr : null);
  const signals = stopOnSignals(Boolean(flags.json), progress.stop);
  try {
    const summary = await trainRun(store, runId, {
      ...(until !== undefined ? { until } : {}),
      ...(flags.backend ? { backend: flags.backend } : {}),
      ...(flags.engine ? { engine: flags.engine } : {}),
      onProgress: progress.update,
      shouldStop: signals.shouldStop,
      flushEveryMs: 250,
    });
    progress.stop();
    if (flags.json) printJson(summary);
    else printSummary(summary);
    return summary;
  } finally {
    progress.stop();
    signals.dispose();
  }
}

/** What `gan-lab` exits with; `train` and `resume` end non-zero for a run that diverged. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    done (the run finished, or was stopped by Ctrl-C with a checkpoint kept)
  1    bad input: an unknown run, an invalid configuration or flag
  3    the run diverged: its reason is printed and stored as the run's error
  70   internal error
  130  aborted by a second Ctrl-C`;
export const EXIT_DIVERGED = 3;

/** The command printed its result, and must still end with a non-zero exit code. */
export class ExitWith extends Error {
  override name = 'ExitWith';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Ends a training command by how its run ended: a diverged run is a failure to a script. */
export function exitFor(summary: TrainSummary): TrainSummary {
  if (summary.status === 'diverged') throw new ExitWith(EXIT_DIVERGED, summary.error ?? `run ${summary.runId} diverged`);
  return summary;
}

/** The preset a `train` command line starts from (article unless a config file replaces it). */
export function presetOf(flags: Pick<TrainFlags, 'preset' | 'config'>): string | undefined {
  return flags.preset ?? (flags.config ? undefined : 'article');
}

/** The configuration a `train` command line describes: preset, then file, then --set, then flags. */
export function configFromFlags(flags: TrainFlags): RunConfig {
  const file = flags.config ? readConfigFile(flags.config) : undefined;
  const overrides: Record<string, unknown> = {};
  if (flags.iterations !== undefined) overrides.schedule = { iterations: flags.iterations };
  if (flags.seed !== undefined) overrides.seed = flags.seed;
  if (flags.pointsCsv) overrides.dataset = { kind: 'points', points: readPointsCsv(flags.pointsCsv) };
  return resolveRunConfig({
    preset: presetOf(flags),
    ...(file ? { file } : {}),
    sets: flags.set ?? [],
    overrides,
  });
}

export async function trainCommand(store: RunStore, flags: TrainFlags): Promise<TrainSummary> {
  const run = createRun(store, configFromFlags(flags), flags.name, { preset: presetOf(flags) ?? null });
  return runTraining(store, run.id, undefined, flags);
}
