/**
 * The run configuration: one schema, shared by config files, `--set`, the UI and run bundles.
 * Types are inferred from the schemas so there is nothing to keep in sync by hand.
 * No Node, no DOM, no tfjs here.
 */
import { z } from 'zod';
import { resolveIntervals } from './recording.js';

export const ACTIVATIONS = ['leakyRelu', 'tanh', 'relu', 'elu', 'sigmoid', 'linear'] as const;
export const LOSS_KINDS = ['nonSaturating', 'minimax', 'leastSquares', 'hinge', 'wganGp'] as const;

const positiveInt = (max: number) => z.int().min(1).max(max);

export const LayerSchema = z.strictObject({
  units: positiveInt(4096),
  activation: z.enum(ACTIVATIONS).default('leakyRelu'),
  /** Negative slope of leakyRelu; TensorFlow's default 0.2, as in the tutorial. */
  alpha: z.number().min(0).max(1).default(0.2),
  /** Drop probability during training (0 = off). */
  dropout: z.number().min(0).lt(1).default(0),
  batchNorm: z.boolean().default(false),
});
export type LayerConfig = z.infer<typeof LayerSchema>;

/** y = c + b x + a x^2 */
export const QuadraticCoefficientsSchema = z.strictObject({
  a: z.number().default(1),
  b: z.number().default(0),
  c: z.number().default(10),
});
export type QuadraticCoefficients = z.infer<typeof QuadraticCoefficientsSchema>;

const point = z.tuple([z.number(), z.number()]);

export const DatasetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('quadratic'),
    /** x = scale * (U[0,1) - 0.5) */
    scale: z.number().positive().default(100),
    coefficients: QuadraticCoefficientsSchema.default({ a: 1, b: 0, c: 10 }),
  }),
  z.strictObject({
    kind: z.literal('two-curves'),
    scale: z.number().positive().default(100),
    curve1: QuadraticCoefficientsSchema.default({ a: 1, b: 0, c: 10 }),
    /** Default: the first curve mirrored top to bottom, y = 2510 - x^2. */
    curve2: QuadraticCoefficientsSchema.default({ a: -1, b: 0, c: 2510 }),
  }),
  z.strictObject({
    kind: z.literal('formula'),
    /** y = f(x): numbers, x, + - * / ^, parentheses, sin cos tan exp log sqrt abs min max, pi, e. */
    expression: z.string().min(1).max(500).default('10 + x^2'),
    xMin: z.number().default(-50),
    xMax: z.number().default(50),
  }),
  z.strictObject({
    kind: z.literal('ring'),
    modes: positiveInt(64).default(8),
    radius: z.number().positive().default(1),
    std: z.number().positive().default(0.01),
  }),
  z.strictObject({
    kind: z.literal('grid'),
    /** side x side modes at spacing * {-(side-1)/2 .. (side-1)/2}. */
    side: positiveInt(12).default(5),
    spacing: z.number().positive().default(2),
    std: z.number().positive().default(0.05),
  }),
  z.strictObject({
    kind: z.literal('line'),
    from: point.default([-1, -1]),
    to: point.default([1, 1]),
    std: z.number().min(0).default(0.02),
  }),
  z.strictObject({
    kind: z.literal('two-gaussians'),
    centers: z.tuple([point, point]).default([[-1, -1], [1, 1]]),
    std: z.number().positive().default(0.25),
  }),
  z.strictObject({
    kind: z.literal('disjoint'),
    centers: z.array(point).min(1).max(16).default([[-1.5, -1], [0, 1.5], [1.5, -1]]),
    std: z.number().positive().default(0.2),
  }),
  z.strictObject({
    kind: z.literal('points'),
    /** Imported from CSV or drawn by hand; sampled with replacement, plus optional jitter. */
    points: z.array(point).min(2).max(100_000),
    jitter: z.number().min(0).default(0),
  }),
]);
export type DatasetConfig = z.infer<typeof DatasetSchema>;
export type DatasetKind = DatasetConfig['kind'];

export const OptimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('sgd'),
    lr: z.number().positive().default(0.01),
    momentum: z.number().min(0).lt(1).default(0),
  }),
  z.strictObject({
    kind: z.literal('adam'),
    lr: z.number().positive().default(0.001),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    /** TensorFlow 1's default, set on purpose (TensorFlow.js's is 1e-7). */
    epsilon: z.number().positive().default(1e-8),
  }),
  z.strictObject({
    kind: z.literal('rmsprop'),
    lr: z.number().positive().default(0.001),
    decay: z.number().min(0).lt(1).default(0.9),
    momentum: z.number().min(0).lt(1).default(0),
    /** Inside the square root, as TensorFlow 1 does. */
    epsilon: z.number().positive().default(1e-10),
    /** TensorFlow 1 starts the mean-square accumulator at 1 (TensorFlow.js starts it at 0). */
    initialAccumulator: z.number().min(0).default(1),
  }),
]);
export type OptimizerConfig = z.infer<typeof OptimizerSchema>;

const DEFAULT_HIDDEN: LayerConfig[] = [
  { units: 16, activation: 'leakyRelu', alpha: 0.2, dropout: 0, batchNorm: false },
  { units: 16, activation: 'leakyRelu', alpha: 0.2, dropout: 0, batchNorm: false },
];

/**
 * How often to record: a whole number of iterations, or 'auto' (shared/recording.ts: about 100
 * snapshots and 10 000 loss points per run, the tutorial's 1000/10 at the article's full length).
 * Messages (naming the field, and that 'auto' is allowed) come from config-messages.ts.
 */
const interval = (max: number) => z.union([z.literal('auto'), positiveInt(max)]).default('auto');

/**
 * A configuration as a person (or the New run form) holds it: completed with defaults, but the
 * recording intervals may still say 'auto'. RunConfigSchema resolves them.
 */
export const RunConfigDraftSchema = z.strictObject({
  name: z.string().max(200).optional(),
  dataset: DatasetSchema.default({ kind: 'quadratic', scale: 100, coefficients: { a: 1, b: 0, c: 10 } }),
  noise: z
    .strictObject({
      dim: positiveInt(256).default(2),
      /** uniform: U[-1, 1]; normal: N(0, 1). */
      distribution: z.enum(['uniform', 'normal']).default('uniform'),
    })
    .default({ dim: 2, distribution: 'uniform' }),
  generator: z
    .strictObject({ hidden: z.array(LayerSchema).max(32).default(DEFAULT_HIDDEN) })
    .default({ hidden: DEFAULT_HIDDEN }),
  discriminator: z
    .strictObject({
      hidden: z.array(LayerSchema).max(32).default(DEFAULT_HIDDEN),
      /** Width of the feature layer h3 (linear); 2 so it can be drawn on a plane. */
      featureWidth: positiveInt(1024).default(2),
    })
    .default({ hidden: DEFAULT_HIDDEN, featureWidth: 2 }),
  loss: z
    .strictObject({
      kind: z.enum(LOSS_KINDS).default('nonSaturating'),
      /** Gradient-penalty weight, used by wganGp only. */
      gpWeight: z.number().min(0).default(10),
    })
    .default({ kind: 'nonSaturating', gpWeight: 10 }),
  optimizer: z
    .strictObject({
      generator: OptimizerSchema.default({ kind: 'rmsprop', lr: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 }),
      discriminator: OptimizerSchema.default({ kind: 'rmsprop', lr: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 }),
    })
    .default({
      generator: { kind: 'rmsprop', lr: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 },
      discriminator: { kind: 'rmsprop', lr: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 },
    }),
  schedule: z
    .strictObject({
      iterations: positiveInt(100_000_000).default(100_001),
      batchSize: positiveInt(65_536).default(256),
      dSteps: positiveInt(1000).default(1),
      gSteps: positiveInt(1000).default(1),
      /** true: every step draws its own batch; false: one real batch and one Z per iteration, shared by all its steps. */
      freshBatchPerStep: z.boolean().default(true),
    })
    .default({ iterations: 100_001, batchSize: 256, dSteps: 1, gSteps: 1, freshBatchPerStep: true }),
  seed: z.int().min(0).max(2 ** 31 - 1).default(1),
  recording: z
    .strictObject({
      lossEvery: interval(1_000_000),
      snapshotEvery: interval(10_000_000),
      checkpointEvery: positiveInt(10_000_000).default(1000),
      /** Size of the fixed real batch and of the fixed evaluation noise batch. */
      samples: positiveInt(10_000).default(512),
      heatmapResolution: z.int().min(4).max(200).default(40),
      manifoldResolution: z.int().min(2).max(100).default(20),
    })
    .default({ lossEvery: 'auto', snapshotEvery: 'auto', checkpointEvery: 1000, samples: 512, heatmapResolution: 40, manifoldResolution: 20 }),
});

/** A configuration completed with defaults, its recording intervals possibly still 'auto'. */
export type RunConfigDraft = z.output<typeof RunConfigDraftSchema>;

/** A fully defaulted, validated configuration: every recording interval a number. */
export type RunConfig = Omit<RunConfigDraft, 'recording'> & {
  recording: Omit<RunConfigDraft['recording'], 'lossEvery' | 'snapshotEvery'> & { lossEvery: number; snapshotEvery: number };
};

/**
 * The configuration schema. 'auto' intervals are resolved here, once, from schedule.iterations:
 * what is stored, sent to the trainer and shown is the resolved number, so a resumed run (even
 * past its planned length) keeps the intervals it started with.
 */
export const RunConfigSchema = RunConfigDraftSchema.transform(
  (draft): RunConfig => ({ ...draft, recording: { ...draft.recording, ...resolveIntervals(draft.schedule.iterations, draft.recording) } }),
);

/** What a person may write: every field optional where a default exists; intervals may be 'auto'. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
