/**
 * The one contract between the renderer and the app's main side. Every request, response and
 * pushed event is a schema here; the TypeScript types come from the schemas. Electron's main
 * registers its IPC handlers from this table, the preload exposes exactly it, and browser mode
 * serves the same handlers over HTTP + WebSocket. Adding an operation is one entry here and one
 * handler in src/main/service/handlers.ts.
 */
import { z } from 'zod';
import { DatasetSchema } from './config.js';
import { PRESET_NAMES } from './presets.js';
import { CLAIM_IDS, CLAIM_OUTCOMES } from './claims.js';
import { BoundsSchema, FIGURES, FigureModelSchema, LayersSchema, PHASE_CHOICES } from './figures/model.js';

const runId = z.int().positive();
/** The preset a new run's configuration started from (New run's picker), recorded with the run. */
const presetName = z.enum(PRESET_NAMES);
const RunRef = z.strictObject({ runId });

export const RUN_STATUSES = ['created', 'running', 'paused', 'finished', 'stopped', 'interrupted', 'diverged', 'failed'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);

export const RunSummarySchema = z.strictObject({
  id: runId,
  name: z.string(),
  status: RunStatusSchema,
  dataset: z.string(),
  backend: z.string().nullable(),
  seed: z.int(),
  iterationsDone: z.int(),
  iterationsPlanned: z.int(),
  lastCheckpoint: z.int().nullable(),
  msPerIteration: z.number().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  tags: z.array(z.string()),
  sweepId: z.string().nullable(),
  /** The preset the run started from; null for none (or a run made before presets were kept). */
  preset: z.string().nullable().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = RunSummarySchema.extend({ config: z.unknown(), appVersion: z.string() });
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const FieldErrorSchema = z.strictObject({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const LayerShapeSchema = z.strictObject({ name: z.string(), input: z.int(), output: z.int(), activation: z.string(), parameters: z.int() });
export const ArchitectureSchema = z.strictObject({
  generator: z.array(LayerShapeSchema),
  discriminator: z.array(LayerShapeSchema),
  generatorParameters: z.int(),
  discriminatorParameters: z.int(),
});
export type Architecture = z.infer<typeof ArchitectureSchema>;

export const LossSeriesSchema = z.strictObject({
  iterations: z.array(z.number()),
  dLoss: z.array(z.number().nullable()),
  gLoss: z.array(z.number().nullable()),
});

export const ArraySchema = z.strictObject({ name: z.string(), shape: z.array(z.int()), data: z.array(z.number().nullable()) });
export const SnapshotSchema = z.strictObject({
  iteration: z.int(),
  arrays: z.array(ArraySchema),
  metrics: z.record(z.string(), z.number().nullable()),
});

const ok = z.strictObject({ ok: z.literal(true) });
/** One of the tutorial's claims judged on a run (shared/claims.ts): holds, does not hold, or not enough evidence. */
const ClaimVerdictSchema = z.strictObject({
  id: z.enum(CLAIM_IDS),
  predicts: z.string(),
  shows: z.string(),
  outcome: z.enum(CLAIM_OUTCOMES),
  threshold: z.string(),
});
/** Names a long export so its progress events and a cancel can find it (the renderer makes one per export). */
const exportJobId = z.string().min(1).max(64);

/** Which figure, and how: shared by figures.model and every export. */
const FigureOptions = {
  figure: z.enum(FIGURES),
  /** Step figures: the snapshot step (default: newest). Losses and metrics: where the cursor stands. */
  step: z.int().min(0).optional(),
  /** Take the nearest snapshot when there is none at `step` (the compare grid). */
  nearest: z.boolean().optional(),
  phase: z.enum(PHASE_CHOICES).optional(),
  layers: LayersSchema.partial().optional(),
  smoothing: z.number().min(0).max(0.999).optional(),
  logScale: z.boolean().optional(),
  /** Step figures: axes fitted to the snapshot shown (default), or shared by the whole run. */
  axes: z.enum(['step', 'run']).optional(),
  /** Step figures: the axis ranges the screen shows after a zoom or pan; they replace `axes`. */
  view: BoundsSchema.refine((b) => b.xMax > b.xMin && b.yMax > b.yMin, 'a view must have a positive width and height').optional(),
};
export const EXPORT_FORMATS = ['png', 'svg', 'pdf', 'gif', 'csv', 'json'] as const;
export const ExportStyleSchema = z.strictObject({
  /** Raster scale (PNG, GIF): 1x to 4x the figure's size. */
  scale: z.int().min(1).max(4).default(1),
  background: z.enum(['white', 'transparent']).default('white'),
  /** GIF frames per second. */
  fps: z.number().min(0.1).max(30).default(2),
  width: z.int().min(200).max(4000).default(800),
  height: z.int().min(150).max(4000).default(500),
});
export type ExportStyle = z.output<typeof ExportStyleSchema>;
const runIds = z.array(runId).min(2).max(4).refine((ids) => new Set(ids).size === ids.length, 'the same run is listed twice');
export const COMPARE_FIGURES = ['losses', 'metrics'] as const;
/** What a comparison of runs plots: overlaid curves, one colour per run (run0..run3, in runIds order). */
const CompareOptions = {
  runIds,
  figure: z.enum(COMPARE_FIGURES).default('losses'),
  /** Which loss (or metric name, for figure metrics) to overlay. */
  series: z.string().max(100).default('dLoss'),
  smoothing: z.number().min(0).max(0.999).default(0),
  /** x axis: iterations, or seconds at the run's mean ms per iteration (no wall clock is kept per loss record). */
  axis: z.enum(['step', 'time']).default('step'),
  /** Runs of one configuration with different seeds drawn as their mean with a min–max band. */
  groupSeeds: z.boolean().default(false),
  /** A logarithmic y axis (non-positive values are left out); unset: log when the curves span more than two decades. */
  logScale: z.boolean().optional(),
  cursor: z.int().min(0).optional(),
};
export const CompareSummarySchema = z.strictObject({
  runs: z.array(
    z.strictObject({
      runId,
      name: z.string(),
      color: z.enum(['run0', 'run1', 'run2', 'run3']),
      seed: z.int(),
      status: RunStatusSchema,
      iterationsDone: z.int(),
      msPerIteration: z.number().nullable(),
      /** Spread (standard deviation) of D's and G's loss over the last 20% of the run. */
      stability: z.strictObject({ d: z.number().nullable(), g: z.number().nullable() }),
      /** Quality metrics at the run's last snapshot. */
      metrics: z.record(z.string(), z.number().nullable()),
      /** The tutorial's claims at the run's last snapshot: what it predicts, and what this run shows. */
      claims: z.array(ClaimVerdictSchema),
      snapshotSteps: z.array(z.int()),
    }),
  ),
  /** Config fields whose values differ between the runs (dotted path, one value per run as text). */
  configDiff: z.array(z.strictObject({ path: z.string(), values: z.array(z.string()) })),
  /** Runs that share a configuration but for the seed. */
  seedGroups: z.array(z.array(runId)),
});
export type CompareSummary = z.infer<typeof CompareSummarySchema>;
const tag = z.string().trim().min(1).max(40);

/** Every request the renderer can make: its payload and its response. */
export const REQUESTS = {
  'app.info': {
    request: z.strictObject({}),
    response: z.strictObject({ appVersion: z.string(), transport: z.enum(['electron', 'browser']), dbPath: z.string(), backend: z.string().nullable() }),
  },
  'presets.list': {
    request: z.strictObject({}),
    response: z.array(z.strictObject({ name: z.string(), description: z.string(), config: z.unknown() })),
  },
  'config.check': {
    request: z.strictObject({ config: z.unknown() }),
    response: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), config: z.unknown(), architecture: ArchitectureSchema }),
      z.strictObject({ ok: z.literal(false), errors: z.array(FieldErrorSchema) }),
    ]),
  },
  'dataset.preview': {
    request: z.strictObject({ dataset: DatasetSchema, count: z.int().min(1).max(5000).default(500), seed: z.int().min(0).default(1) }),
    response: z.strictObject({ points: z.array(z.number()), bounds: z.strictObject({ xMin: z.number(), xMax: z.number(), yMin: z.number(), yMax: z.number() }) }),
  },
  'runs.list': { request: z.strictObject({}), response: z.array(RunSummarySchema) },
  'runs.get': { request: RunRef, response: RunDetailSchema },
  'runs.create': {
    request: z.strictObject({ config: z.unknown(), name: z.string().trim().min(1).max(200).optional(), start: z.boolean().default(true), preset: presetName.optional() }),
    response: RunSummarySchema,
  },
  'runs.createSweep': {
    request: z.strictObject({
      config: z.unknown(),
      seeds: z.array(z.int().min(0).max(2 ** 31 - 1)).min(2).max(64),
      name: z.string().trim().min(1).max(200).optional(),
      preset: presetName.optional(),
    }),
    response: z.strictObject({ sweepId: z.string(), runs: z.array(RunSummarySchema) }),
  },
  'runs.resume': { request: z.strictObject({ runId, until: z.int().positive().optional() }), response: RunSummarySchema },
  'runs.pause': { request: RunRef, response: RunSummarySchema },
  'runs.stop': { request: RunRef, response: RunSummarySchema },
  'runs.rename': { request: z.strictObject({ runId, name: z.string().trim().min(1).max(200) }), response: RunSummarySchema },
  'runs.setTags': { request: z.strictObject({ runId, tags: z.array(tag).max(20) }), response: RunSummarySchema },
  'runs.delete': { request: RunRef, response: ok },
  'runs.losses': { request: z.strictObject({ runId, from: z.int().min(0).optional() }), response: LossSeriesSchema },
  'runs.snapshotSteps': { request: RunRef, response: z.array(z.int()) },
  'runs.snapshot': {
    request: z.strictObject({ runId, step: z.int().min(0), names: z.array(z.string().max(100)).max(64).optional() }),
    response: SnapshotSchema,
  },
  'runs.claims': {
    request: z.strictObject({ runId, step: z.int().min(0).optional() }),
    response: z.array(ClaimVerdictSchema),
  },
  'figures.model': { request: z.strictObject({ runId, ...FigureOptions }), response: FigureModelSchema },
  /** One figure as a file: the bytes come back for the renderer to save. */
  'figures.export': {
    request: z.strictObject({ runId, ...FigureOptions, format: z.enum(EXPORT_FORMATS), style: ExportStyleSchema.partial().optional(), jobId: exportJobId.optional() }),
    response: z.strictObject({ fileName: z.string(), mime: z.string(), base64: z.string() }),
  },
  /** One file per snapshot step: in browser mode one zip to download, in the desktop app a new folder under the app's export directory. */
  'figures.exportBatch': {
    request: z.strictObject({ runId, ...FigureOptions, format: z.enum(['png', 'svg', 'pdf', 'csv', 'json']), style: ExportStyleSchema.partial().optional(), jobId: exportJobId.optional() }),
    response: z.union([
      z.strictObject({ directory: z.string(), files: z.int() }),
      z.strictObject({ fileName: z.string(), mime: z.string(), base64: z.string(), files: z.int() }),
    ]),
  },
  /** Stops a GIF or batch export started with this jobId (its request then fails as 'cancelled'); an ended job is no error. */
  'exports.cancel': { request: z.strictObject({ jobId: exportJobId }), response: ok },
  'compare.summary': { request: z.strictObject({ runIds }), response: CompareSummarySchema },
  'compare.model': { request: z.strictObject(CompareOptions), response: FigureModelSchema },
  'compare.export': {
    request: z.strictObject({ ...CompareOptions, format: z.enum(['png', 'svg', 'pdf', 'csv', 'json']), style: ExportStyleSchema.partial().optional() }),
    response: z.strictObject({ fileName: z.string(), mime: z.string(), base64: z.string() }),
  },
  'runs.exportBundle': {
    request: RunRef,
    response: z.strictObject({ fileName: z.string(), base64: z.string() }),
  },
  /**
   * A bundle whose run is already in the library (same creation date, seed and configuration):
   * 'ask' answers `duplicate` without importing, 'skip' imports nothing, 'copy' adds it again.
   * An import keeps the run's original creation and finish dates.
   */
  'runs.importBundle': {
    request: z.strictObject({ base64: z.string().min(1).max(400_000_000), onDuplicate: z.enum(['ask', 'skip', 'copy']).default('ask') }),
    response: z.discriminatedUnion('outcome', [
      z.strictObject({ outcome: z.literal('imported'), run: RunSummarySchema }),
      z.strictObject({ outcome: z.literal('skipped'), run: RunSummarySchema }),
      z.strictObject({ outcome: z.literal('duplicate'), existing: RunSummarySchema, bundleName: z.string() }),
    ]),
  },
} as const;

/** Everything main pushes to the renderer. */
export const EVENTS = {
  'run.progress': z.strictObject({ runId, iterationsDone: z.int(), iterationsPlanned: z.int(), msPerIteration: z.number(), status: RunStatusSchema }),
  'run.losses': z.strictObject({ runId, iterations: z.array(z.number()), dLoss: z.array(z.number().nullable()), gLoss: z.array(z.number().nullable()) }),
  'run.snapshot': z.strictObject({ runId, iteration: z.int() }),
  'run.status': z.strictObject({ runId, status: RunStatusSchema, error: z.string().nullable() }),
  'runs.changed': z.strictObject({}),
  /** A long export's frames done of its total, after each frame (jobId: the request's). */
  'export.progress': z.strictObject({ jobId: exportJobId, done: z.int().min(0), total: z.int().min(1) }),
} as const;

export type RequestName = keyof typeof REQUESTS;
export type EventName = keyof typeof EVENTS;
export type RequestOf<K extends RequestName> = z.input<(typeof REQUESTS)[K]['request']>;
export type ParsedRequestOf<K extends RequestName> = z.output<(typeof REQUESTS)[K]['request']>;
export type ResponseOf<K extends RequestName> = z.output<(typeof REQUESTS)[K]['response']>;
export type EventOf<K extends EventName> = z.output<(typeof EVENTS)[K]>;

export const REQUEST_NAMES = Object.keys(REQUESTS) as RequestName[];

/** What the renderer sees, whichever transport carries it (window.ganlab, or the WebSocket client). */
export interface GanLabApi {
  invoke<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends EventName>(name: K, listener: (payload: EventOf<K>) => void): () => void;
}

/** A failed request as it crosses any transport: a message a person can read, and its kind. */
export const ErrorReplySchema = z.strictObject({ error: z.strictObject({ message: z.string(), kind: z.enum(['invalid', 'not-found', 'conflict', 'internal', 'cancelled']) }) });
export type ErrorReply = z.infer<typeof ErrorReplySchema>;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly kind: ErrorReply['error']['kind'] = 'internal',
  ) {
    super(message);
  }
}
