/** How the CLI speaks: JSON for scripts, short aligned text for people. */
import type { RunRow } from '../store/index.js';
import type { TrainSummary } from '../service/training.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

const fmt = (n: number, digits = 4) => (Number.isFinite(n) ? Number(n.toPrecision(digits)).toString() : String(n));

export function datasetOf(run: RunRow): string {
  const config = run.config as { dataset?: { kind?: unknown } } | null;
  return typeof config?.dataset?.kind === 'string' ? config.dataset.kind : '?';
}

export function printRunsTable(runs: RunRow[]): void {
  if (runs.length === 0) {
    console.log('no runs yet: start one with `gan-lab train --preset article`');
    return;
  }
  const header = ['id', 'name', 'status', 'dataset', 'iterations', 'backend', 'created'];
  const rows = runs.map((r) => [
    String(r.id),
    r.name,
    r.status,
    datasetOf(r),
    `${r.iterationsDone}/${r.iterationsPlanned}`,
    r.backend ?? '-',
    r.createdAt.replace('T', ' ').slice(0, 19),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function runJson(run: RunRow): Record<string, unknown> {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    iterationsDone: run.iterationsDone,
    iterationsPlanned: run.iterationsPlanned,
    lastCheckpoint: run.lastCheckpoint,
    backend: run.backend,
    seed: run.seed,
    msPerIteration: run.msPerIteration,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    appVersion: run.appVersion,
    error: run.error,
    tags: run.tags,
    sweepId: run.sweepId,
    config: run.config,
  };
}

export function printRun(run: RunRow): void {
  const lines: Array<[string, string]> = [
    ['run', `${run.id} ${run.name}`],
    ['status', run.status + (run.error ? ` (${run.error})` : '')],
    ['dataset', datasetOf(run)],
    ['iterations', `${run.iterationsDone} of ${run.iterationsPlanned}`],
    ['checkpoint', run.lastCheckpoint === null ? 'none' : `at iteration ${run.lastCheckpoint}`],
    ['backend', run.backend ?? '-'],
    ['seed', String(run.seed)],
    ['speed', run.msPerIteration === null ? '-' : `${fmt(run.msPerIteration)} ms/iteration`],
    ['created', run.createdAt],
  ];
  for (const [k, v] of lines) console.log(`${k.padEnd(11)}${v}`);
}

export function printSummary(s: TrainSummary): void {
  const final = s.final ? `  D loss ${fmt(s.final.dLoss)}  G loss ${fmt(s.final.gLoss)}` : '';
  console.log(`run ${s.runId} ${s.status} after ${s.iterations} iterations on ${s.backend}, ${fmt(s.msPerIteration)} ms/iteration${final}`);
  if (s.error) console.log(`  ${s.error}`);
  const metrics = Object.entries(s.metrics)
    .filter(([k]) => !k.startsWith('claim.'))
    .map(([k, v]) => `${k} ${fmt(v, 3)}`);
  if (metrics.length) console.log(`  ${metrics.join('  ')}`);
  for (const c of s.claims) console.log(`  ${c.holds ? 'holds  ' : 'not yet'}  ${c.predicts}: ${c.shows}`);
}
