/**
 * Seed sweeps: one configuration trained under several seeds, stored as separate runs that share
 * a sweep id, so they can be compared as a mean and a spread. The runs train in trainer processes,
 * as many at once as there are cores.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { RunConfig } from '../../shared/config.js';
import { parseSeedList } from '../../shared/seeds.js';
import type { TrainerHost } from '../host/trainer-host.js';
import type { RunRow, RunStore } from '../store/index.js';
import { autoRunName, createRun, UserError } from './runs.js';

/** "1-8", "1,3,5" or "1-3,10" -> the seeds, in order, without repeats. */
export function parseSeeds(text: string): number[] {
  const parsed = parseSeedList(text);
  if (!parsed.ok) throw new UserError(`--seeds ${parsed.message}`);
  return parsed.seeds;
}

/**
 * One run per seed under a new sweep id. Members are named like single runs ("article · quadratic
 * · seed 4"), or "NAME · seed 4" when the sweep is named; a taken name gets a " (n)" suffix.
 */
export function createSweep(store: RunStore, config: RunConfig, seeds: number[], name?: string, preset?: string | null): { sweepId: string; runs: RunRow[] } {
  const sweepId = randomUUID();
  const base = name ?? config.name;
  const runs = store.transaction(() =>
    seeds.map((seed) => {
      const member = { ...config, seed };
      return createRun(store, member, base !== undefined ? `${base} · seed ${seed}` : autoRunName(member, preset), { sweepId, preset: preset ?? null });
    }),
  );
  return { sweepId, runs };
}

const ENDED = new Set(['finished', 'stopped', 'diverged', 'failed', 'interrupted']);

/**
 * Trains the runs, `parallel` at a time (default: one per core). Resolves when all have ended;
 * `shouldStop` stops the active ones (they keep checkpoints) and starts no more.
 */
export function trainSweep(
  host: TrainerHost,
  subscribe: (listener: (name: string, payload: unknown) => void) => () => void,
  runIds: number[],
  options: { parallel?: number; shouldStop?(): boolean } = {},
): Promise<void> {
  const parallel = Math.max(1, options.parallel ?? os.availableParallelism());
  const queue = [...runIds];
  let active = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      try {
        while (active < parallel && queue.length > 0 && !options.shouldStop?.()) {
          host.start(queue.shift()!);
          active += 1;
        }
        if (active === 0) {
          unsubscribe();
          clearInterval(stopper);
          resolve();
        }
      } catch (err) {
        unsubscribe();
        clearInterval(stopper);
        reject(err);
      }
    };
    const unsubscribe = subscribe((name, payload) => {
      const p = payload as { runId?: number; status?: string };
      if (name === 'run.status' && p.runId !== undefined && runIds.includes(p.runId) && ENDED.has(p.status ?? '')) {
        active -= 1;
        next();
      }
    });
    let stopping = false;
    const stopper = setInterval(() => {
      if (!stopping && options.shouldStop?.()) {
        stopping = true;
        queue.length = 0;
        for (const id of runIds) if (host.isActive(id)) void host.stop(id).catch(() => {});
      }
    }, 100);
    next();
  });
}
