/**
 * A run's figure models, kept in memory so a replay frame redraws without a round trip. Entries
 * are keyed by the figure request (figure, step, phase, layers, smoothing, log scale); a request
 * already in flight is shared, and prefetches wait behind what the screen asks for now.
 */
import type { GanLabApi, RequestOf, RUN_STATUSES } from '../../shared/contract.js';
import type { FigureModel } from '../../shared/figures/model.js';

export type FigureQuery = Omit<RequestOf<'figures.model'>, 'runId'>;

/** One key per distinct request: option order and unset options do not matter. */
export function queryKey(q: FigureQuery): string {
  const layers = q.layers ? `${+!!q.layers.heatmap}${+!!q.layers.manifold}${+!!q.layers.arrows}` : '000';
  // Unset log scale is the service's choice, not "linear": three keys.
  const log = q.logScale === undefined ? 'auto' : q.logScale ? 'log' : 'lin';
  const view = q.view ? [q.view.xMin, q.view.xMax, q.view.yMin, q.view.yMax].join(',') : '';
  return [q.figure, q.step ?? '', q.nearest ? 'n' : '', q.phase ?? '', layers, q.smoothing ?? '', log, q.axes ?? 'step', view].join('|');
}

/**
 * How a run's step figures are scaled while scrubbing: one set of axes for the whole run, so
 * points move against fixed axes and a frame is only repainted (FigureChart), except while the
 * run trains: every new snapshot would move the shared axes of every frame already loaded.
 */
export function axesFor(status: (typeof RUN_STATUSES)[number] | undefined): 'step' | 'run' {
  return status === 'running' ? 'step' : 'run';
}

export class FigureCache {
  private readonly models = new Map<string, FigureModel>();
  private readonly inFlight = new Map<string, Promise<FigureModel>>();
  private queue: FigureQuery[] = [];
  private prefetching = 0;
  /** Bumped per figure by invalidate(), so a reply that left before it is not kept. */
  private readonly generations = new Map<FigureQuery['figure'], number>();

  constructor(
    private readonly api: GanLabApi,
    private readonly runId: number,
    /** Models kept; the least recently used go first. */
    private readonly limit = 1500,
    /** Prefetch requests at once (the screen's own requests do not wait for these). */
    private readonly concurrency = 2,
  ) {}

  get(q: FigureQuery): FigureModel | undefined {
    const key = queryKey(q);
    const model = this.models.get(key);
    if (model) {
      // Map order is insertion order: re-inserting marks the entry as recently used.
      this.models.delete(key);
      this.models.set(key, model);
    }
    return model;
  }

  has(q: FigureQuery): boolean {
    return this.models.has(queryKey(q));
  }

  load(q: FigureQuery): Promise<FigureModel> {
    const cached = this.get(q);
    if (cached) return Promise.resolve(cached);
    const key = queryKey(q);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const generation = this.generations.get(q.figure) ?? 0;
    const request = this.api.invoke('figures.model', { runId: this.runId, ...q }).then(
      (model) => {
        this.inFlight.delete(key);
        // A model asked for before an invalidation may be out of date: hand it back, keep it not.
        if (generation === (this.generations.get(q.figure) ?? 0)) this.store(key, model);
        return model;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, request);
    return request;
  }

  /** Loads these in the background, in order, before whatever was queued earlier. */
  prefetch(queries: FigureQuery[]): void {
    const fresh = queries.filter((q) => !this.models.has(queryKey(q)) && !this.inFlight.has(queryKey(q)));
    const keys = new Set(fresh.map(queryKey));
    this.queue = [...fresh, ...this.queue.filter((q) => !keys.has(queryKey(q)))].slice(0, this.limit);
    this.pump();
  }

  /** Forgets models that may have changed (a running run's curves, a refitted projection). */
  invalidate(figures: ReadonlyArray<FigureQuery['figure']>): void {
    for (const figure of figures) this.generations.set(figure, (this.generations.get(figure) ?? 0) + 1);
    for (const key of [...this.models.keys()]) {
      if (figures.includes(key.slice(0, key.indexOf('|')) as FigureQuery['figure'])) this.models.delete(key);
    }
  }

  get size(): number {
    return this.models.size;
  }

  private store(key: string, model: FigureModel): void {
    this.models.set(key, model);
    while (this.models.size > this.limit) {
      const oldest = this.models.keys().next().value;
      if (oldest === undefined) break;
      this.models.delete(oldest);
    }
  }

  private pump(): void {
    while (this.prefetching < this.concurrency && this.queue.length > 0) {
      const q = this.queue.shift()!;
      if (this.models.has(queryKey(q)) || this.inFlight.has(queryKey(q))) continue;
      this.prefetching++;
      void this.load(q)
        .catch(() => {
          // A prefetch that fails is asked for again when the frame needs it, and reported then.
        })
        .finally(() => {
          this.prefetching--;
          this.pump();
        });
    }
  }
}
