/** `gan-lab train --seeds 1-8`: one configuration, several seeds, trained side by side. */
import cliProgress from 'cli-progress';
import { createApp } from '../app.js';
import { spawnNodeWorker } from '../host/node-worker.js';
import { latestMetrics, runClaims } from '../service/runs.js';
import { createSweep, parseSeeds, trainSweep } from '../service/sweep.js';
import type { TrainSummary } from '../service/training.js';
import type { RunConfig } from '../../shared/config.js';
import { printJson, printSummary } from './output.js';
import { presetOf } from './train.js';

export async function sweepCommand(dbPath: string, config: RunConfig, seedsText: string, flags: { name?: string; json?: boolean; preset?: string; config?: string }): Promise<void> {
  const seeds = parseSeeds(seedsText);
  const app = createApp({ dbPath, transport: 'browser', spawnWorker: spawnNodeWorker });
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar =
    !flags.json && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: `sweep of ${seeds.length} |{bar}| {percentage}% | it {value}/{total} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  try {
    const { sweepId, runs } = createSweep(app.store, config, seeds, flags.name, presetOf(flags) ?? null);
    const done = new Map<number, number>();
    bar?.start(runs.length * config.schedule.iterations, 0);
    const unsubscribe = app.subscribe((name, payload) => {
      if (name !== 'run.progress' || !bar) return;
      const p = payload as { runId: number; iterationsDone: number };
      done.set(p.runId, p.iterationsDone);
      bar.update([...done.values()].reduce((a, b) => a + b, 0));
    });
    const t0 = performance.now();
    await trainSweep(app.host, app.subscribe, runs.map((r) => r.id), { shouldStop: () => stop });
    const seconds = (performance.now() - t0) / 1000;
    unsubscribe();
    bar?.stop();
    const summaries: TrainSummary[] = runs.map((r) => {
      const row = app.store.getRun(r.id)!;
      const losses = app.store.lossSeries(r.id);
      const last = losses[losses.length - 1];
      return {
        runId: row.id,
        status: row.status,
        backend: row.backend ?? 'unknown',
        iterations: row.iterationsDone,
        msPerIteration: row.msPerIteration ?? 0,
        final: last ? { dLoss: last.dLoss, gLoss: last.gLoss } : null,
        metrics: latestMetrics(app.store, r.id),
        claims: runClaims(app.store, row),
        ...(row.error ? { error: row.error } : {}),
      };
    });
    if (flags.json) printJson({ sweepId, seeds, seconds, runs: summaries });
    else {
      console.log(`sweep ${sweepId}: ${seeds.length} seeds in ${seconds.toFixed(1)} s`);
      for (const s of summaries) printSummary(s);
    }
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await app.close();
  }
}
