/**
 * The Library's rows: single runs, and the runs of one seed sweep gathered under one group row,
 * placed where the sweep's newest run falls in the list.
 */
import type { RunSummary } from '../../../shared/contract.js';

export type LibraryEntry = { kind: 'run'; run: RunSummary } | { kind: 'sweep'; sweepId: string; name: string; runs: RunSummary[] };

/** "article · quadratic · seed 4 (2)" -> "article · quadratic": what a sweep's members share. */
export function sweepName(runs: readonly RunSummary[]): string {
  const bases = [...new Set(runs.map((r) => r.name.replace(/ · seed \d+( \(\d+\))?$/, '')))];
  return bases.length === 1 ? bases[0]! : `sweep of ${runs.length} seeds`;
}

/** Groups runs (newest first) by sweep id; a sweep with one visible run still shows as a group. */
export function libraryEntries(runs: readonly RunSummary[]): LibraryEntry[] {
  const out: LibraryEntry[] = [];
  const groups = new Map<string, Extract<LibraryEntry, { kind: 'sweep' }>>();
  for (const run of runs) {
    if (!run.sweepId) {
      out.push({ kind: 'run', run });
      continue;
    }
    let group = groups.get(run.sweepId);
    if (!group) {
      group = { kind: 'sweep', sweepId: run.sweepId, name: '', runs: [] };
      groups.set(run.sweepId, group);
      out.push(group);
    }
    group.runs.push(run);
  }
  for (const g of groups.values()) {
    g.runs.sort((a, b) => a.seed - b.seed || a.id - b.id);
    g.name = sweepName(g.runs);
  }
  return out;
}

/** "7–8", "1, 3, 5", "1–4, 9". */
export function seedRanges(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 1 ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}
