/**
 * Microbenchmark of the fused engine (src/main/engine/fused): milliseconds per D step and per G
 * step for the tutorial's networks at batch 256, with the article's leaky ReLU + RMSProp and the
 * published code's tanh + Adam. Batches are drawn up front, so only the steps are timed.
 * With --tfjs, Trainer iterations (1 D + 1 G step, fresh batches, data drawing included) are timed
 * in the same run on its tfjs engine and on the fused one, for a ratio.
 *
 *   npx tsx bench/fused-microbench.ts [--steps N] [--batch N] [--only article|published-code] [--tfjs] [--backend wasm|cpu|tensorflow]
 */
import { parseArgs } from 'node:util';
import { resolveRunConfig } from '../src/shared/validate.js';
import type { RunConfig } from '../src/shared/config.js';
import { makeDataset } from '../src/main/engine/datasets.js';
import { Rng } from '../src/main/engine/rng.js';
import { FusedGan } from '../src/main/engine/fused/index.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '500' },
    batch: { type: 'string', default: '256' },
    tfjs: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    only: { type: 'string' },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);

const cases = [
  { name: 'leakyRelu + rmsprop (article)', preset: 'article' },
  { name: 'tanh + adam (published code)', preset: 'published-code' },
].filter((c) => !values.only || c.preset === values.only) as Array<{ name: string; preset: 'article' | 'published-code' }>;

/** Glorot-uniform kernels, zero biases, optimizer slots as constructed. */
function initialised(config: RunConfig): FusedGan {
  const gan = new FusedGan(config);
  const rng = new Rng('bench:init');
  const { arrays, steps: s } = gan.exportState();
  for (const [key, a] of arrays) {
    if (!key.endsWith('.kernel')) continue;
    const kernelOf = (prefix: string) => arrays.get(`${prefix}.bias`)!.length;
    const fanOut = kernelOf(key.slice(0, -'.kernel'.length));
    const fanIn = a.length / fanOut;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    a.set(rng.uniform(a.length, -limit, limit));
  }
  gan.importState(arrays, s);
  return gan;
}

function batches(config: RunConfig, count: number) {
  const rng = new Rng('bench:data');
  const dataset = makeDataset(config.dataset);
  return Array.from({ length: count }, () => ({
    x: dataset.sample(batch, rng.next),
    z: rng.uniform(batch * config.noise.dim, -1, 1),
  }));
}

/** Best of `rounds` timings of `count` calls, in ms per call. */
function time(fn: (i: number) => void, count: number, rounds = 9): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) fn(i);
    best = Math.min(best, (performance.now() - t0) / count);
  }
  return best;
}

const fmt = (ms: number) => ms.toFixed(4);

for (const c of cases) {
  const config = resolveRunConfig({ preset: c.preset, overrides: { schedule: { batchSize: batch } } });
  const gan = initialised(config);
  const pool = batches(config, 64);
  let sink = 0;
  const d = (i: number) => {
    const b = pool[i & 63]!;
    sink += gan.dStep(b.x, b.z, batch);
  };
  const g = (i: number) => {
    sink += gan.gStep(pool[i & 63]!.z, batch);
  };
  const both = (i: number) => {
    d(i);
    g(i);
  };
  time(both, steps, 1); // warm-up: lets the JIT settle
  const dMs = time(d, steps);
  const gMs = time(g, steps);
  const pairMs = time(both, steps);
  if (!Number.isFinite(sink)) console.log('(losses diverged during the benchmark)');
  console.log(`${c.name}, batch ${batch}: D step ${fmt(dMs)} ms, G step ${fmt(gMs)} ms, D+G ${fmt(pairMs)} ms (${fmt(pairMs / 2)} ms per optimizer step)`);
  const { dSteps, gSteps, freshBatchPerStep } = config.schedule;
  if (!freshBatchPerStep) {
    // The preset's own loop: dSteps D steps on one batch, then gSteps G steps on its z (G(z) is
    // computed once for all the D steps, G being unchanged by them).
    const iteration = (i: number) => {
      const b = pool[i & 63]!;
      for (let s = 0; s < dSteps; s++) sink += gan.dStep(b.x, b.z, batch);
      for (let s = 0; s < gSteps; s++) sink += gan.gStep(b.z, batch);
    };
    const iterations = Math.max(4, Math.round(steps / (dSteps + gSteps)) * 2);
    const itMs = time(iteration, iterations);
    console.log(`  in the preset's loop (${dSteps} D then ${gSteps} G steps per batch): ${fmt(itMs / (dSteps + gSteps))} ms per optimizer step`);
  }
}

if (values.tfjs) {
  const { initBackend } = await import('../src/main/engine/backend.js');
  const { Trainer } = await import('../src/main/engine/trainer.js');
  const backend = await initBackend(values.backend as 'wasm' | 'cpu' | 'tensorflow');
  for (const engine of ['tfjs', 'fused'] as const) {
    for (const c of cases) {
      // One D and one G step per iteration with fresh batches, recording effectively off.
      const config = resolveRunConfig({
        preset: c.preset,
        overrides: {
          schedule: { batchSize: batch, dSteps: 1, gSteps: 1, freshBatchPerStep: true, iterations: 1_000_000 },
          recording: { lossEvery: 1_000_000, snapshotEvery: 10_000_000, checkpointEvery: 10_000_000 },
        },
      });
      const trainer = new Trainer(config, { engine });
      trainer.runIteration(); // iteration 0 takes the snapshot
      const iterations = Math.max(50, Math.floor(steps / 5));
      for (let i = 0; i < 50; i++) trainer.runIteration();
      const ms = time(() => trainer.runIteration(), iterations, 3);
      trainer.dispose();
      const label = engine === 'tfjs' ? `Trainer on tfjs ${backend}` : 'Trainer on the fused engine';
      console.log(`${label}, ${c.name}, batch ${batch}: ${fmt(ms)} ms per iteration of 1 D + 1 G step (${fmt(ms / 2)} ms per optimizer step, data drawing included)`);
    }
  }
}
