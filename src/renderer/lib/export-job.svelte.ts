/**
 * A long export (a GIF over every step, or every step's file) as the renderer follows it: the
 * request carries a fresh jobId, the app's export.progress events for that id say how far it has
 * got, and exports.cancel stops it; the request then fails with kind 'cancelled'.
 */
import type { GanLabApi } from '../../shared/contract.js';

export interface ExportJob {
  /** Frames (or files) done of the total, once the first is drawn. */
  readonly progress: { done: number; total: number } | null;
  readonly running: boolean;
  /**
   * Runs one export under a new jobId; resolves with its result, or null if it was cancelled.
   * Other failures are thrown.
   */
  run<T>(start: (jobId: string) => Promise<T>): Promise<T | null>;
  cancel(): void;
}

const newJobId = (): string =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** An ApiError of kind 'cancelled' (Electron's preload rebuilds errors as plain Errors carrying the kind). */
export const isCancelled = (e: unknown): boolean => e instanceof Error && (e as Error & { kind?: unknown }).kind === 'cancelled';

export function exportJob(api: GanLabApi): ExportJob {
  let progress = $state<{ done: number; total: number } | null>(null);
  let jobId = $state<string | null>(null);
  return {
    get progress() {
      return progress;
    },
    get running() {
      return jobId !== null;
    },
    async run<T>(start: (jobId: string) => Promise<T>): Promise<T | null> {
      const id = newJobId();
      jobId = id;
      progress = null;
      const off = api.on('export.progress', (p) => {
        if (p.jobId === id) progress = { done: p.done, total: p.total };
      });
      try {
        return await start(id);
      } catch (e) {
        if (isCancelled(e)) return null;
        throw e;
      } finally {
        off();
        if (jobId === id) jobId = null;
        progress = null;
      }
    },
    cancel() {
      if (jobId !== null) void api.invoke('exports.cancel', { jobId }).catch(() => {});
    },
  };
}

/** "frame 37 of 262" */
export const progressText = (unit: string, p: { done: number; total: number } | null): string => (p ? `${unit} ${p.done} of ${p.total}` : 'starting…');
