/** How the CLI speaks: JSON for scripts, short aligned text for people. */
import type { RunRow } from '../store/index.js';
import type { TrainSummary } from '../service/training.js';
import { OUTCOME_LABEL } from '../../shared/claims.js';
import { metricLabel } from '../../shared/metric-info.js';

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
  const header = ['id', 'name', 'status', 'preset', 'dataset', 'iterations', 'backend', 'created'];
  const rows = runs.map((r) => [
    String(r.id),
    r.name,
    r.status,
    r.preset ?? '-',
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
    preset: run.preset,
    config: run.config,
  };
}

/** Quality metrics as people read them: "On-curve fraction ↑ 0.95"; the claims' inputs left out. */
function metricLines(metrics: Record<string, number>): Array<[string, string]> {
  return Object.entries(metrics)
    .filter(([k]) => !k.startsWith('claim.'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [metricLabel(k), fmt(v, 3)]);
}

/** One run; `latest` adds the quality metrics of its newest snapshot. */
export function printRun(run: RunRow, latest?: { iteration: number; metrics: Record<string, number> }): void {
  const lines: Array<[string, string]> = [
    ['run', `${run.id} ${run.name}`],
    ['status', run.status + (run.error ? ` (${run.error})` : '')],
    ['preset', run.preset ?? '-'],
    ['dataset', datasetOf(run)],
    ['iterations', `${run.iterationsDone} of ${run.iterationsPlanned}`],
    ['checkpoint', run.lastCheckpoint === null ? 'none' : `at iteration ${run.lastCheckpoint}`],
    ['backend', run.backend ?? '-'],
    ['seed', String(run.seed)],
    ['speed', run.msPerIteration === null ? '-' : `${fmt(run.msPerIteration)} ms/iteration`],
    ['created', run.createdAt],
  ];
  for (const [k, v] of lines) console.log(`${k.padEnd(11)}${v}`);
  const metrics = latest ? metricLines(latest.metrics) : [];
  if (!latest || !metrics.length) return;
  console.log(`metrics at iteration ${latest.iteration} (↑ higher is better, ↓ lower is better):`);
  const width = Math.max(...metrics.map(([k]) => k.length));
  for (const [k, v] of metrics) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export function printSummary(s: TrainSummary): void {
  const final = s.final ? `  D loss ${fmt(s.final.dLoss)}  G loss ${fmt(s.final.gLoss)}` : '';
  console.log(`run ${s.runId} ${s.status} after ${s.iterations} iterations on ${s.backend}, ${fmt(s.msPerIteration)} ms/iteration${final}`);
  if (s.error) console.log(`  ${s.error}`);
  const metrics = metricLines(s.metrics).map(([k, v]) => `${k} ${v}`);
  if (metrics.length) console.log(`  ${metrics.join('  ')}`);
  const width = Math.max(...Object.values(OUTCOME_LABEL).map((l) => l.length));
  for (const c of s.claims) console.log(`  ${OUTCOME_LABEL[c.outcome].padEnd(width)}  ${c.predicts}: ${c.shows}`);
}
