/**
 * Drives a Trainer through its iterations, handing each result to the caller and yielding to the
 * event loop now and then so progress bars, signals and IPC stay live during long runs.
 */
import type { IterationResult, Trainer } from './trainer.js';

export type LoopEnd = 'finished' | 'stopped' | 'diverged';

export interface LoopOptions {
  /** Run until this many iterations are complete (default: the planned total). */
  until?: number;
  onResult(result: IterationResult): void;
  /** Checked between iterations; true ends the loop as 'stopped'. */
  shouldStop?(): boolean;
  /** Checked between iterations; while true the loop waits (the time is not counted). */
  isPaused?(): boolean;
  /** How long to compute before yielding to the event loop. */
  yieldEveryMs?: number;
}

export interface LoopOutcome {
  end: LoopEnd;
  iterationsRun: number;
  /** Wall time of the loop (recording and the caller's handling included) per iteration. */
  msPerIteration: number;
  last?: IterationResult;
  diverged?: string;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runLoop(trainer: Trainer, options: LoopOptions): Promise<LoopOutcome> {
  const until = Math.min(options.until ?? trainer.plannedIterations, trainer.plannedIterations);
  const yieldEvery = options.yieldEveryMs ?? 50;
  const start = performance.now();
  let lastYield = start;
  let iterationsRun = 0;
  let last: IterationResult | undefined;
  let end: LoopEnd = 'finished';
  let pausedMs = 0;
  while (trainer.iteration < until) {
    if (options.isPaused?.() && !options.shouldStop?.()) {
      const pausedAt = performance.now();
      while (options.isPaused() && !options.shouldStop?.()) await new Promise((r) => setTimeout(r, 20));
      pausedMs += performance.now() - pausedAt;
      lastYield = performance.now();
    }
    if (options.shouldStop?.()) {
      end = 'stopped';
      break;
    }
    last = trainer.runIteration();
    options.onResult(last);
    if (last.diverged) {
      end = 'diverged';
      break;
    }
    iterationsRun += 1;
    const now = performance.now();
    if (now - lastYield >= yieldEvery) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  if (end === 'finished' && trainer.iteration < trainer.plannedIterations) end = 'stopped';
  const elapsed = performance.now() - start - pausedMs;
  return {
    end,
    iterationsRun,
    msPerIteration: iterationsRun > 0 ? elapsed / iterationsRun : 0,
    ...(last ? { last } : {}),
    ...(last?.diverged ? { diverged: last.diverged } : {}),
  };
}
