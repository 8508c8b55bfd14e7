/**
 * One replay frame: every panel's model for the step shown, put on screen together. Models come
 * from the FigureCache; only the newest frame asked for is applied (a reply for a step already
 * left behind is dropped). Each frame is measured with performance marks, "replay:frame" from
 * the request to the last panel drawn; its detail says whether every model came from memory.
 * Curves over the whole run (losses, metrics) are fetched once and get the step as their cursor.
 */
import { tick } from 'svelte';
import type { FigureModel } from '../../shared/figures/model.js';
import { errorMessage } from './api.js';
import { queryKey, type FigureCache, type FigureQuery } from './figure-cache.js';

export interface PanelSpec {
  /** What to ask for; for a cursor panel, without the step. */
  query: FigureQuery;
  /** A curve over the run: the frame's step becomes the model's cursor. */
  cursor?: boolean;
}
export type FrameSpec = Record<string, PanelSpec>;

export const FRAME_MEASURE = 'replay:frame';

export class ReplayFrame {
  models = $state.raw<Record<string, FigureModel | null>>({});
  errors = $state.raw<Record<string, string>>({});
  /** The step the models on screen belong to. */
  shownStep = $state<number | null>(null);
  loading = $state(false);
  private generation = 0;
  private readonly withCursor = new Map<string, { base: FigureModel; step: number; model: FigureModel }>();

  constructor(
    private readonly cache: FigureCache,
    /** Told when a frame is on screen or has failed (playback waits for it). */
    private readonly onDrawn: () => void = () => {},
  ) {}

  /** Shows `step` (null: a run without snapshots, curves only); resolves once drawn or replaced. */
  async show(step: number | null, spec: FrameSpec): Promise<void> {
    const generation = ++this.generation;
    const start = performance.now();
    performance.mark(`${FRAME_MEASURE}:start`, { detail: { step } });
    const ids = Object.keys(spec);
    const fromMemory = ids.map((id) => this.cache.get(spec[id]!.query));
    const cached = fromMemory.every((m) => m !== undefined);
    let results: Array<PromiseSettledResult<FigureModel>>;
    if (cached) {
      results = fromMemory.map((m) => ({ status: 'fulfilled', value: m! }));
    } else {
      this.loading = true;
      results = await Promise.allSettled(ids.map((id, i) => (fromMemory[i] ? Promise.resolve(fromMemory[i]) : this.cache.load(spec[id]!.query))));
      if (generation !== this.generation) return;
    }
    const models: Record<string, FigureModel | null> = {};
    const errors: Record<string, string> = {};
    ids.forEach((id, i) => {
      const r = results[i]!;
      if (r.status === 'fulfilled') {
        models[id] = spec[id]!.cursor && step !== null ? this.cursorModel(id, r.value, step) : r.value;
      } else {
        // Keep the last good picture up, say what went wrong beside it.
        models[id] = this.models[id] ?? null;
        errors[id] = errorMessage(r.reason);
      }
    });
    this.models = models;
    this.errors = errors;
    this.shownStep = step;
    this.loading = false;
    await tick();
    performance.mark(`${FRAME_MEASURE}:end`, { detail: { step } });
    performance.measure(FRAME_MEASURE, { start, end: performance.now(), detail: { step, cached } });
    if (generation === this.generation) this.onDrawn();
  }

  /** Starts loading these frames' models in the background, first listed first. */
  prefetch(specs: FrameSpec[]): void {
    const seen = new Set<string>();
    const queries: FigureQuery[] = [];
    for (const spec of specs) {
      for (const { query } of Object.values(spec)) {
        const key = queryKey(query);
        if (!seen.has(key)) {
          seen.add(key);
          queries.push(query);
        }
      }
    }
    this.cache.prefetch(queries);
  }

  /** The same object for the same model and step, so an unchanged chart is not redrawn. */
  private cursorModel(id: string, base: FigureModel, step: number): FigureModel {
    const last = this.withCursor.get(id);
    if (last && last.base === base && last.step === step) return last.model;
    const model = { ...base, cursor: step };
    this.withCursor.set(id, { base, step, model });
    return model;
  }
}
