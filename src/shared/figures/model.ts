/**
 * A figure, said once: what it plots, named and titled, independent of where it is drawn. The
 * service builds these from a run's records (figures/build.ts); the renderer draws them on screen
 * and the main side draws the very same object into PNG, SVG, PDF and GIF, both through
 * figures/chart-config.ts. Being a schema, a model crosses IPC validated like any other payload.
 */
import { z } from 'zod';

/** The figures a run has, as the CLI's `--figure` names them. */
export const FIGURES = ['losses', 'samples', 'features', 'centroids', 'heatmap', 'manifold', 'metrics'] as const;
export type FigureKind = (typeof FIGURES)[number];

/** D's feature layer at one phase of an iteration, or two phases overlaid (the tutorial's four sets). */
export const PHASE_CHOICES = ['before-d', 'after-d', 'after-g', 'overlay-d', 'overlay-g'] as const;
export type PhaseChoice = (typeof PHASE_CHOICES)[number];
/** How the app names each choice (Live, Replay and Compare offer the same list). */
export const PHASE_CHOICE_LABELS: ReadonlyArray<{ value: PhaseChoice; label: string }> = [
  { value: 'before-d', label: 'before the D step' },
  { value: 'after-d', label: 'after the D step (= before the G step)' },
  { value: 'after-g', label: 'after the G step' },
  { value: 'overlay-d', label: 'before and after the D step' },
  { value: 'overlay-g', label: "before and after the G step (the tutorial's picture)" },
];

/**
 * The figures' font, on screen and in every file. Liberation Sans (Linux) is metric-compatible
 * with Arial (Windows, macOS) and Helvetica (macOS), so text keeps its width wherever an SVG is
 * opened, and the screen and its exports lay out alike; DejaVu Sans is the Linux fallback.
 */
export const FIGURE_FONT = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";

/** Figures drawn from one snapshot step (the others span the whole run). */
export const STEP_FIGURES: readonly FigureKind[] = ['samples', 'features', 'centroids', 'heatmap', 'manifold'];
/** Figures that can be animated over the snapshot steps (GIF) or exported one file per step. */
export const ANIMATED_FIGURES: readonly FigureKind[] = STEP_FIGURES;

/**
 * Colours by role, so a theme or an export background can recolour a figure without rebuilding
 * it. run0..run3 are the stable colours of the runs in a comparison.
 */
export const COLOR_ROLES = [
  'real',
  'realAlt',
  'fake',
  'fakeAlt',
  'dLoss',
  'gLoss',
  'balance',
  'manifold',
  'arrow',
  'heat',
  'cursor',
  'run0',
  'run1',
  'run2',
  'run3',
  'metric0',
  'metric1',
  'metric2',
  'metric3',
  'metric4',
  'metric5',
] as const;
export type ColorRole = (typeof COLOR_ROLES)[number];

const finite = z.number();
export const PointSchema = z.strictObject({ x: finite, y: finite });
export type Point = z.infer<typeof PointSchema>;

export const SeriesSchema = z.strictObject({
  label: z.string(),
  color: z.enum(COLOR_ROLES),
  /**
   * points: a scatter; marker: large outlined points on top (centroids); line: a polyline, null
   * breaks it; faint: a thin translucent line (raw curve under its smoothed one); band: filled
   * down to the series before it (mean ± spread); legend: no data, only a legend entry (for a
   * layer drawn by a plugin: heatmap, arrows).
   */
  style: z.enum(['points', 'marker', 'line', 'faint', 'band', 'legend']),
  points: z.array(PointSchema.nullable()),
  dashed: z.boolean().optional(),
  /** Marker shape for points and markers. */
  shape: z.enum(['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'star']).optional(),
  radius: z.number().positive().optional(),
  /** Left out of the legend (a band's lower edge, a second line of the same thing). */
  hideInLegend: z.boolean().optional(),
});
export type Series = z.infer<typeof SeriesSchema>;

export const BoundsSchema = z.strictObject({ xMin: finite, xMax: finite, yMin: finite, yMax: finite });
export type Bounds = z.infer<typeof BoundsSchema>;

export const FigureModelSchema = z.strictObject({
  figure: z.enum(FIGURES),
  title: z.string(),
  /** A second title line: the step and phase shown, or how features were projected. */
  subtitle: z.string().optional(),
  xTitle: z.string(),
  yTitle: z.string(),
  xScale: z.enum(['linear', 'logarithmic']).default('linear'),
  yScale: z.enum(['linear', 'logarithmic']).default('linear'),
  /** Fixed axis ranges; without them the axes fit the data. */
  bounds: BoundsSchema.optional(),
  series: z.array(SeriesSchema),
  /** D's probability over a grid covering `bounds`, row-major from yMin up: res*res values in [0, 1]. */
  heatmap: z.strictObject({ res: z.int().positive(), values: z.array(z.number().nullable()), bounds: BoundsSchema }).optional(),
  /** Gradient arrows: x0, y0, x1, y1 per arrow. */
  arrows: z.array(z.tuple([finite, finite, finite, finite])).optional(),
  /** A vertical line at this x (the replay's step on the loss and metric charts). */
  cursor: z.number().optional(),
  /** The snapshot step a step figure shows. */
  step: z.int().optional(),
});
export type FigureModel = z.output<typeof FigureModelSchema>;
export type FigureModelInput = z.input<typeof FigureModelSchema>;

/** Layers that can be switched on over the samples (the data space). */
export const LayersSchema = z.strictObject({
  heatmap: z.boolean().default(false),
  manifold: z.boolean().default(false),
  arrows: z.boolean().default(false),
});
export type Layers = z.output<typeof LayersSchema>;
