/**
 * What the tutorial says a person should see, checked against a run: "the tutorial predicts /
 * this run shows". The engine measures the quantities at each snapshot (engine/claim-measures.ts);
 * this turns them, with the recent losses, into verdicts. Pure: no Node, no DOM, no tfjs.
 */

/** Measured at a snapshot (stored among its metrics under these names). */
export const CLAIM_MEASURES = {
  realShiftAcrossG: 'claim.realShiftAcrossG',
  centroidGapBeforeG: 'claim.centroidGapBeforeG',
  centroidGapAfterG: 'claim.centroidGapAfterG',
  dOutReal: 'claim.dOutReal',
  dOutFake: 'claim.dOutFake',
} as const;

export interface ClaimVerdict {
  id: 'real-features-still' | 'fake-centroid-approaches' | 'd-output-half' | 'losses-balance';
  predicts: string;
  shows: string;
  holds: boolean;
}

/**
 * "The last part of the run": the share of its last loss records over which the claims' mean
 * losses and compare's loss spread are taken.
 */
export const LAST_PART = 0.2;

/** The last LAST_PART of a series (a run's loss records, or one loss's values). */
export function lastPart<T>(values: readonly T[]): T[] {
  return values.slice(Math.floor(values.length * (1 - LAST_PART)));
}

/** Tolerances: what counts as "does not move", "tends to 0.5" and "near the balance value". */
export const CLAIM_TOLERANCE = { featureShift: 1e-4, dOutput: 0.1, lossRelative: 0.15 } as const;

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));

/**
 * Verdicts from one snapshot's measures and, for the losses, the mean D and G loss over the last
 * part of the run with the balance values of the run's loss (undefined where the loss has none).
 */
export function tutorialClaims(
  measures: Record<string, number | null | undefined>,
  losses?: { meanD: number; meanG: number; balance?: { d: number; g: number } },
): ClaimVerdict[] {
  const m = (k: keyof typeof CLAIM_MEASURES) => measures[CLAIM_MEASURES[k]] ?? NaN;
  const out: ClaimVerdict[] = [];
  const shift = m('realShiftAcrossG');
  if (!Number.isNaN(shift)) {
    out.push({
      id: 'real-features-still',
      predicts: "real samples' features do not move across a G step",
      shows: `largest real-feature displacement across the G step: ${fmt(shift)}`,
      holds: shift <= CLAIM_TOLERANCE.featureShift,
    });
  }
  const before = m('centroidGapBeforeG');
  const after = m('centroidGapAfterG');
  if (!Number.isNaN(before) && !Number.isNaN(after)) {
    out.push({
      id: 'fake-centroid-approaches',
      predicts: 'the generated centroid moves toward the real centroid across a G step',
      shows: `distance between the centroids: ${fmt(before)} before the G step, ${fmt(after)} after (${after - before <= 0 ? '' : '+'}${Number((after - before).toPrecision(2))})`,
      holds: after < before,
    });
  }
  const dr = m('dOutReal');
  const df = m('dOutFake');
  if (!Number.isNaN(dr) && !Number.isNaN(df)) {
    out.push({
      id: 'd-output-half',
      predicts: "D's output tends to 0.5 on real and generated samples alike",
      shows: `mean D(x): ${fmt(dr)} on real, ${fmt(df)} on generated`,
      holds: Math.abs(dr - 0.5) <= CLAIM_TOLERANCE.dOutput && Math.abs(df - 0.5) <= CLAIM_TOLERANCE.dOutput,
    });
  }
  if (losses?.balance) {
    const { d, g } = losses.balance;
    const near = (v: number, target: number) => Math.abs(v - target) <= CLAIM_TOLERANCE.lossRelative * Math.abs(target);
    out.push({
      id: 'losses-balance',
      predicts: `the losses approach their balance values (D ${fmt(d)}, G ${fmt(g)})`,
      shows: `mean over the last part of the run: D ${fmt(losses.meanD)}, G ${fmt(losses.meanG)}`,
      holds: near(losses.meanD, d) && near(losses.meanG, g),
    });
  }
  return out;
}
