/**
 * The list of runs, kept fresh: reloaded on `runs.changed` and `run.status`, and patched in place
 * by `run.progress` so iteration counts move without a reload per tick.
 */
import type { GanLabApi, RunSummary } from '../../shared/contract.js';
import { errorMessage } from './api.js';

export class RunsList {
  runs = $state.raw<RunSummary[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly api: GanLabApi) {}

  async load(): Promise<void> {
    const generation = ++this.generation;
    try {
      const runs = await this.api.invoke('runs.list', {});
      if (generation !== this.generation) return;
      this.runs = [...runs].sort((a, b) => b.id - a.id);
      this.error = null;
    } catch (e) {
      if (generation === this.generation) this.error = errorMessage(e);
    } finally {
      if (generation === this.generation) this.loaded = true;
    }
  }

  /** Several events often arrive together (status + changed); one reload answers them all. */
  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), 50);
  }

  /** Loads now and follows the events; returns the function that stops following. */
  watch(): () => void {
    void this.load();
    const offs = [
      this.api.on('runs.changed', () => this.reloadSoon()),
      this.api.on('run.status', () => this.reloadSoon()),
      this.api.on('run.progress', (p) => {
        const i = this.runs.findIndex((r) => r.id === p.runId);
        if (i < 0) return this.reloadSoon();
        const next = [...this.runs];
        next[i] = { ...next[i]!, iterationsDone: p.iterationsDone, iterationsPlanned: p.iterationsPlanned, msPerIteration: p.msPerIteration, status: p.status };
        this.runs = next;
      }),
    ];
    return () => {
      clearTimeout(this.reloadTimer);
      for (const off of offs) off();
    };
  }

  replace(run: RunSummary): void {
    this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
  }
}

/** Statuses from which a run can be continued from its last checkpoint. */
export const RESUMABLE: ReadonlyArray<RunSummary['status']> = ['paused', 'stopped', 'interrupted', 'created'];
