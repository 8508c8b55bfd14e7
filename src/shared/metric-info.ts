/**
 * What every recorded measure is called where people read it: a label, a one-line definition,
 * which way is better, and a caveat where a value misleads on its own. Metric names stay the
 * engine's (engine/metrics.ts, the claim measures in claims.ts) in the store, the contract and
 * --json output; everything shown to a person goes through this table.
 */
import { CLAIM_MEASURES } from './claims.js';

export type MetricDirection = 'higher' | 'lower';

export interface MetricInfo {
  label: string;
  /** One line: what the number measures. */
  definition: string;
  /** Which way it improves; null for a measure that is not a quality (the claims' inputs). */
  better: MetricDirection | null;
  /** When the number alone misleads. */
  caveat?: string;
}

export const DIRECTION_ARROW: Readonly<Record<MetricDirection, string>> = { higher: '↑', lower: '↓' };
export const DIRECTION_TEXT: Readonly<Record<MetricDirection, string>> = { higher: 'higher is better', lower: 'lower is better' };

export const ON_CURVE_CAVEAT =
  'An untrained generator can score 1.0 at iteration 0: its samples collapse onto one point near the vertex, which lies on the curve. Read it with x-coverage.';

export const METRIC_INFO: Readonly<Record<string, MetricInfo>> = {
  onCurveFraction: {
    label: 'On-curve fraction',
    definition: "Share of generated samples within 5% of the data's y range of the curve, inside its x domain.",
    better: 'higher',
    caveat: ON_CURVE_CAVEAT,
  },
  xCoverage: {
    label: 'x-coverage',
    definition: 'Share of 20 equal bins of the x domain that hold at least one on-curve sample.',
    better: 'higher',
  },
  balance: {
    label: 'Curve balance',
    definition: 'How far the on-curve samples are from an even split between the two curves: |share nearest curve 1 − 0.5|.',
    better: 'lower',
  },
  highQualityFraction: {
    label: 'High-quality fraction',
    definition: "Share of generated samples within 3 standard deviations of the nearest mode's centre.",
    better: 'higher',
  },
  modesCaptured: {
    label: 'Modes captured',
    definition: 'Modes with at least one high-quality sample.',
    better: 'higher',
  },
  reverseKL: {
    label: 'Reverse KL',
    definition: "Σ p·ln(K·p) over the modes' shares p of the high-quality samples: 0 is an even spread, ln K all on one mode.",
    better: 'lower',
  },
  slicedWasserstein: {
    label: 'Sliced Wasserstein',
    definition: 'Mean 1-D Wasserstein distance between 512 real and 512 generated samples over 64 fixed directions, in standardized coordinates.',
    better: 'lower',
  },
  mmd2: {
    label: 'MMD²',
    definition: "Unbiased squared maximum mean discrepancy between real and generated samples (Gaussian kernel at the real data's median pairwise distance, standardized coordinates).",
    better: 'lower',
  },
  [CLAIM_MEASURES.realShiftAcrossG]: {
    label: "Real features' move across the G step",
    definition: "Largest distance any real sample's feature moves across the G step (D is unchanged by it, so it should be 0).",
    better: null,
  },
  [CLAIM_MEASURES.centroidGapBeforeG]: {
    label: 'Centroid gap before the G step',
    definition: "Distance between the real and the generated features' centroids before the G step.",
    better: null,
  },
  [CLAIM_MEASURES.centroidGapAfterG]: {
    label: 'Centroid gap after the G step',
    definition: "Distance between the real and the generated features' centroids after the G step.",
    better: null,
  },
  [CLAIM_MEASURES.dOutReal]: { label: 'Mean D(x), real', definition: "D's mean output on real samples.", better: null },
  [CLAIM_MEASURES.dOutFake]: { label: 'Mean D(G(z)), generated', definition: "D's mean output on generated samples.", better: null },
  [CLAIM_MEASURES.featureSpread]: {
    label: 'Feature spread',
    definition: "The real features' RMS distance from their centroid before the G step: the feature space's scale.",
    better: null,
  },
  [CLAIM_MEASURES.modeCount]: { label: 'Modes in the data', definition: "The mixture's number of modes.", better: null },
};

export function metricInfo(name: string): MetricInfo | undefined {
  return Object.hasOwn(METRIC_INFO, name) ? METRIC_INFO[name] : undefined;
}

/** "On-curve fraction ↑"; a name this table does not know is shown as it is. */
export function metricLabel(name: string): string {
  const info = metricInfo(name);
  if (!info) return name;
  return info.better ? `${info.label} ${DIRECTION_ARROW[info.better]}` : info.label;
}

/** The metric a label (from metricLabel) or a name stands for. */
export function metricNameOf(labelOrName: string): string {
  if (metricInfo(labelOrName)) return labelOrName;
  return Object.keys(METRIC_INFO).find((name) => metricLabel(name) === labelOrName || METRIC_INFO[name]!.label === labelOrName) ?? labelOrName;
}

/** The hover text: definition, direction, caveat, and the engine's name (as in CSV and --json). */
export function metricHint(labelOrName: string): string {
  const name = metricNameOf(labelOrName);
  const info = metricInfo(name);
  if (!info) return name;
  return [info.definition, info.better ? `${DIRECTION_TEXT[info.better]}.` : '', info.caveat ?? '', `(${name})`].filter(Boolean).join(' ');
}

/** Which way each metric improves, for the ones that have a direction. */
export const METRIC_BETTER: Readonly<Record<string, MetricDirection>> = Object.fromEntries(
  Object.entries(METRIC_INFO).flatMap(([name, info]) => (info.better ? [[name, info.better]] : [])),
);
