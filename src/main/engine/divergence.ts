/**
 * When a run has diverged: the one rule, used by the trainer at every iteration (losses) and at
 * every snapshot and checkpoint (weights, generated samples). A run that crosses it ends
 * `diverged` at that iteration, which is left unrecorded, so every snapshot and checkpoint it
 * keeps is a good one.
 *
 * The bounds are far past anything a healthy run reaches, measured on every preset, loss kind and
 * 2-D data set at the presets' rates (article runs to 100 001 iterations on the tutorial's curve,
 * whose unnormalized y reaches 2 500, D's logits reach a few hundred at the start): losses stay
 * below ~1.5e2 for cross-entropy and hinge, ~2e4 for least squares (the logit squared) and ~1e5
 * for WGAN-GP;
 * weights stay below ~1e3; generated samples stay within ~2x the real data's spread of its centre.
 * Both learning rates at 50 cross them within a few hundred iterations (G loss ~1e16 or more).
 */
import type { RunConfig } from '../../shared/config.js';

export const DIVERGENCE_BOUNDS = {
  /** |D loss| or |G loss| for cross-entropy (non-saturating, minimax), which grows like |logit|. */
  loss: 1e6,
  /** |loss| for hinge and WGAN-GP, whose critic values are unbounded by nature. */
  unboundedLoss: 1e9,
  /** |loss| for least squares, which grows like logit squared (the same logits as 1e6 above). */
  squaredLoss: 1e12,
  /** |any weight or bias| of either network. */
  weight: 1e6,
  /** A generated sample's distance from the real data's centre, in multiples of the real data's spread. */
  sampleSpread: 1e3,
} as const;

type LossKind = RunConfig['loss']['kind'];

export function lossBound(kind: LossKind): number {
  if (kind === 'hinge' || kind === 'wganGp') return DIVERGENCE_BOUNDS.unboundedLoss;
  return kind === 'leastSquares' ? DIVERGENCE_BOUNDS.squaredLoss : DIVERGENCE_BOUNDS.loss;
}

const num = (v: number) => (Number.isFinite(v) ? v.toPrecision(2).replace(/\.0e/, 'e').replace('e+', 'e') : String(v));
const bound = (v: number) => v.toExponential(0).replace('e+', 'e');

/** The text stored as a diverged run's error. */
export function divergedAt(iteration: number, reason: string): string {
  return `diverged at iteration ${iteration.toLocaleString('en-US')}: ${reason}`;
}

/** Why the losses of one iteration end the run, or undefined. */
export function lossDivergence(kind: LossKind, dLoss: number, gLoss: number): string | undefined {
  const limit = lossBound(kind);
  for (const [who, v] of [['discriminator', dLoss], ['generator', gLoss]] as const) {
    if (!Number.isFinite(v)) return `${who} loss is ${v}`;
    if (Math.abs(v) > limit) return `${who} loss ${num(v)} is past the bound ${bound(limit)}`;
  }
  return undefined;
}

/** Why a network's weights end the run, or undefined. */
export function weightDivergence(named: Iterable<readonly [string, ArrayLike<number>]>): string | undefined {
  for (const [name, data] of named) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) return `weight ${name} is ${v}`;
      if (Math.abs(v) > DIVERGENCE_BOUNDS.weight) return `weight ${name} is ${num(v)}, past the bound ${bound(DIVERGENCE_BOUNDS.weight)}`;
    }
  }
  return undefined;
}

/** Where the real data sits: its centre and spread (RMS distance from the centre) of [n,2] points. */
export interface DataReach {
  centre: [number, number];
  spread: number;
}

export function dataReach(points: ArrayLike<number>): DataReach {
  const n = points.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += points[2 * i]!;
    cy += points[2 * i + 1]!;
  }
  cx /= n;
  cy /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (points[2 * i]! - cx) ** 2 + (points[2 * i + 1]! - cy) ** 2;
  // A data set of one repeated point has no spread; 1 keeps the bound meaningful.
  return { centre: [cx, cy], spread: Math.sqrt(ss / n) || 1 };
}

/** Why generated [n,2] samples end the run, or undefined. */
export function sampleDivergence(fake: ArrayLike<number>, real: DataReach): string | undefined {
  const limit = DIVERGENCE_BOUNDS.sampleSpread * real.spread;
  const [cx, cy] = real.centre;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < fake.length; i += 2) {
    const x = fake[i]!;
    const y = fake[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return `a generated sample is (${x}, ${y})`;
    const d = Math.hypot(x - cx, y - cy);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  if (worst <= limit) return undefined;
  return (
    `a generated sample at (${num(fake[at]!)}, ${num(fake[at + 1]!)}) is ${num(worst / real.spread)} times the real data's spread ` +
    `from its centre, past the bound ${bound(DIVERGENCE_BOUNDS.sampleSpread)}`
  );
}
