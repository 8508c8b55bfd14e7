/**
 * Training benchmark (a benchmark, not a test): the article (1:1) and published-code (50:50)
 * presets with recording on as in the presets, timed like `gan-lab train --json`'s msPerIteration
 * (loop time / iterations, recording included, start-up excluded). When /usr/bin/python3 can
 * import torch, the PyTorch reference runs the same cases in the same invocation and the ratio
 * (ours / reference, optimizer steps per second) is printed.
 *
 *   npm run bench -- [--json] [--article N] [--published N] [--backend wasm|cpu|tensorflow] [--reference PATH]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { resolveRunConfig } from '../src/shared/validate.js';
import { initBackend, type BackendChoice } from '../src/main/engine/backend.js';
import { runLoop } from '../src/main/engine/loop.js';
import { backendLabel, Trainer, type EngineChoice } from '../src/main/engine/trainer.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    article: { type: 'string', default: '2000' },
    published: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'auto' },
    reference: { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
    engine: { type: 'string', default: 'auto' },
    'recording-cost': { type: 'boolean', default: false },
    leak: { type: 'string' },
  },
});

const engine = values.engine as EngineChoice;

/** --leak N: the article preset for N iterations; tensors and RSS after 1 000 and after N. */
async function leakCheck(total: number): Promise<void> {
  await initBackend(values.backend as BackendChoice);
  const config = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: total } } });
  const trainer = new Trainer(config, { engine });
  const marks: Array<{ iteration: number; tensors: number; rssMiB: number }> = [];
  const t0 = performance.now();
  while (trainer.iteration < total) {
    trainer.runIteration();
    if (trainer.iteration === 1000 || trainer.iteration === total || trainer.iteration % 10_000 === 0) {
      marks.push({ iteration: trainer.iteration, tensors: tf.memory().numTensors, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
    }
  }
  const row = { case: 'leak', engine: trainer.engine, iterations: total, seconds: (performance.now() - t0) / 1000, marks };
  console.log(values.json ? JSON.stringify(row) : row);
  process.exit(0);
}
if (values.leak) await leakCheck(Number(values.leak));

interface Case {
  preset: 'article' | 'published-code';
  iterations: number;
}
const cases: Case[] = [
  { preset: 'article', iterations: Number(values.article) },
  { preset: 'published-code', iterations: Number(values.published) },
];

const backend = await initBackend(values.backend as BackendChoice);

function ours(c: Case, recording = true) {
  // Recording as in the preset: losses every 10, snapshots and checkpoints every 1000 (and at the end).
  // Without recording: nothing but the one snapshot and checkpoint at the last iteration.
  const off = { lossEvery: 1_000_000, snapshotEvery: 10_000_000, checkpointEvery: 10_000_000 };
  const config = resolveRunConfig({ preset: c.preset, overrides: { schedule: { iterations: c.iterations }, ...(recording ? {} : { recording: off }) } });
  const trainer = new Trainer(config, { engine });
  const tensorsBefore = tf.memory().numTensors;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  return runLoop(trainer, { onResult: () => {} }).then((outcome) => {
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const tensorsAfter = tf.memory().numTensors;
    trainer.dispose();
    const steps = config.schedule.dSteps + config.schedule.gSteps;
    return {
      preset: c.preset,
      backend: backendLabel(trainer, backend),
      iterations: c.iterations,
      optimizerSteps: c.iterations * steps,
      msPerIteration: outcome.msPerIteration,
      stepsPerSecond: (1000 * steps) / outcome.msPerIteration,
      peakRssMiB: peakRss / 2 ** 20,
      tensorsBefore,
      tensorsAfter,
    };
  });
}

function referenceScript(): string | undefined {
  const candidates = [values.reference, path.resolve(import.meta.dirname, '../../shared/bench/reference_gan_torch.py')].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

function reference(c: Case): { stepsPerSecond: number; msPerIteration: number; torch: string } | string {
  if (values['no-reference']) return 'reference skipped (--no-reference)';
  const script = referenceScript();
  if (!script) return 'reference skipped: reference_gan_torch.py not found (pass --reference PATH)';
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'reference skipped: /usr/bin/python3 cannot import torch (apt-get install -y python3-torch)';
  const r = spawnSync('/usr/bin/python3', [script, '--preset', c.preset, '--iterations', String(c.iterations)], { encoding: 'utf8' });
  if (r.status !== 0) return `reference failed: ${r.stderr.trim().split('\n').pop()}`;
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { optimizer_steps: number; seconds: number; ms_per_iteration: number; torch: string };
  return { stepsPerSecond: out.optimizer_steps / out.seconds, msPerIteration: out.ms_per_iteration, torch: out.torch };
}

const rows = [];
for (const c of cases) {
  const o = await ours(c);
  const bare = values['recording-cost'] ? await ours(c, false) : undefined;
  const ref = reference(c);
  const row = {
    ...o,
    ...(bare ? { msPerIterationWithoutRecording: bare.msPerIteration, recordingCostPercent: (100 * (o.msPerIteration - bare.msPerIteration)) / bare.msPerIteration } : {}),
    ...(typeof ref === 'string'
      ? { reference: ref }
      : { referenceStepsPerSecond: ref.stepsPerSecond, referenceMsPerIteration: ref.msPerIteration, ratio: o.stepsPerSecond / ref.stepsPerSecond, torch: ref.torch }),
  };
  rows.push(row);
  if (values.json) console.log(JSON.stringify(row));
}

if (!values.json) {
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(`backend ${backend}, node ${process.version}, ${new Date().toISOString()}`);
  console.log('preset          iterations  steps     ms/it     steps/s   peak RSS  tensors     reference steps/s  ours/ref');
  for (const r of rows) {
    const refCol = 'ratio' in r ? `${f(r.referenceStepsPerSecond as number, 0).padStart(17)}  ${f(r.ratio as number).padStart(8)}` : `  ${r.reference}`;
    if ('recordingCostPercent' in r) console.log(`  recording costs ${(r.recordingCostPercent as number).toFixed(1)}% (${(r.msPerIterationWithoutRecording as number).toFixed(3)} ms/it without)`);
    console.log(
      `${r.preset.padEnd(16)}${String(r.iterations).padStart(10)}  ${String(r.optimizerSteps).padStart(8)}  ${f(r.msPerIteration, 3).padStart(8)}  ${f(r.stepsPerSecond, 0).padStart(8)}  ${f(r.peakRssMiB, 0).padStart(6)} MiB  ${r.tensorsBefore}->${r.tensorsAfter}`.padEnd(96) + refCol,
    );
  }
}
process.exit(0);
