/**
 * What the tutorial says a person should see, checked against a run: "the tutorial predicts /
 * this run shows". The engine measures the quantities at each snapshot (`claimMeasures` in
 * engine/recorder.ts); this turns them, with the recent losses, into verdicts. Pure: no Node, no
 * DOM, no tfjs.
 */

/** Measured at a snapshot (stored among its metrics under these names). */
export const CLAIM_MEASURES = {
  realShiftAcrossG: 'claim.realShiftAcrossG',
  centroidGapBeforeG: 'claim.centroidGapBeforeG',
  centroidGapAfterG: 'claim.centroidGapAfterG',
  dOutReal: 'claim.dOutReal',
  dOutFake: 'claim.dOutFake',
  /** The real features' RMS distance from their centroid before the G step: the feature space's scale. */
  featureSpread: 'claim.featureSpread',
  /** The mixture's number of modes (ring, grid), so "modes captured" reads as a share. */
  modeCount: 'claim.modeCount',
} as const;

export const CLAIM_IDS = ['real-features-still', 'fake-centroid-approaches', 'd-output-half', 'losses-balance'] as const;
export type ClaimId = (typeof CLAIM_IDS)[number];
/** holds / does not hold / not enough evidence. */
export const CLAIM_OUTCOMES = ['holds', 'fails', 'insufficient'] as const;
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number];
export const OUTCOME_LABEL: Record<ClaimOutcome, string> = { holds: 'holds', fails: 'does not hold', insufficient: 'not enough evidence' };

export interface ClaimVerdict {
  id: ClaimId;
  predicts: string;
  shows: string;
  outcome: ClaimOutcome;
  /** What the verdict was held to, in words (shown on hover). */
  threshold: string;
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

/**
 * Every threshold the verdicts use, in one place. The sample-quality bounds were set from healthy
 * runs (an article run ends at on-curve 0.97, x-coverage 1, sliced Wasserstein 0.10; ring and grid
 * runs capture 6-7 of 8 and 16-20 of 25 modes) and a collapsed one (the published code's first
 * 1 500 iterations: on-curve 1.0 but x-coverage 0.15-0.35, sliced Wasserstein 0.74-0.90).
 */
export const CLAIM_THRESHOLDS = {
  /** Real features "do not move" across a G step: largest displacement at most this. */
  featureShift: 1e-4,
  /** A centroid-gap change smaller than this share of the feature spread is no measurable change. */
  centroidChange: 0.01,
  /** "D's output tends to 0.5": both means within this of 0.5. */
  dOutput: 0.1,
  /** "Near the balance value": within this share of it. */
  lossRelative: 0.15,
  /** Samples match the data (needed for "D ≈ 0.5" and "losses at balance" to count). */
  match: {
    /** Curve sets: on-curve fraction at least this, and x-coverage at least xCoverage. */
    onCurveFraction: 0.5,
    xCoverage: 0.6,
    /** Ring and grid: at least this share of the modes captured, and sliced Wasserstein within bound. */
    modesShare: 0.5,
    /** Every 2-D set: sliced Wasserstein-1 in standardized coordinates at most this. */
    slicedWasserstein: 0.25,
  },
} as const;

/** @deprecated name kept for callers of the tolerance triple; see CLAIM_THRESHOLDS. */
export const CLAIM_TOLERANCE = {
  featureShift: CLAIM_THRESHOLDS.featureShift,
  dOutput: CLAIM_THRESHOLDS.dOutput,
  lossRelative: CLAIM_THRESHOLDS.lossRelative,
} as const;

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
const T = CLAIM_THRESHOLDS;

/** Whether the generated samples match the data by the run's quality metric, with why; undefined when not measured. */
export function samplesMatch(metrics: Record<string, number | null | undefined>): { ok: boolean; why: string; rule: string } | undefined {
  const v = (k: string) => {
    const x = metrics[k];
    return typeof x === 'number' ? x : undefined;
  };
  const onCurve = v('onCurveFraction');
  const coverage = v('xCoverage');
  const sw = v('slicedWasserstein');
  if (onCurve !== undefined && coverage !== undefined) {
    return {
      ok: onCurve >= T.match.onCurveFraction && coverage >= T.match.xCoverage,
      why: `on-curve ${fmt(onCurve)}, x-coverage ${fmt(coverage)}`,
      rule: `on-curve ≥ ${T.match.onCurveFraction} and x-coverage ≥ ${T.match.xCoverage}`,
    };
  }
  const captured = v('modesCaptured');
  const modes = v(CLAIM_MEASURES.modeCount);
  if (captured !== undefined && modes !== undefined && modes > 0 && sw !== undefined) {
    return {
      ok: captured / modes >= T.match.modesShare && sw <= T.match.slicedWasserstein,
      why: `${fmt(captured)} of ${fmt(modes)} modes captured, sliced Wasserstein ${fmt(sw)}`,
      rule: `≥ ${T.match.modesShare * 100}% of the modes captured and sliced Wasserstein ≤ ${T.match.slicedWasserstein}`,
    };
  }
  if (sw !== undefined) {
    return { ok: sw <= T.match.slicedWasserstein, why: `sliced Wasserstein ${fmt(sw)}`, rule: `sliced Wasserstein ≤ ${T.match.slicedWasserstein}` };
  }
  return undefined;
}

/** "D ≈ 0.5" or "losses at balance" seen: it holds only when the samples match the data too. */
function confusedButMatching(base: string, match: ReturnType<typeof samplesMatch>): { outcome: ClaimOutcome; shows: string } {
  if (!match) return { outcome: 'insufficient', shows: `${base}; no quality metric to say whether the samples match the data` };
  if (!match.ok) return { outcome: 'fails', shows: `${base}, but the generator has collapsed: its samples do not match the data (${match.why})` };
  return { outcome: 'holds', shows: `${base}; the samples match the data (${match.why})` };
}

/**
 * Verdicts from one snapshot's measures (its quality metrics included) and, for the losses, the
 * mean D and G loss over the last part of the run with the balance values of the run's loss
 * (undefined where the loss has none). A diverged run's claims never hold: what would hold is
 * "not enough evidence", since its numbers describe a run that blew up.
 */
export function tutorialClaims(
  measures: Record<string, number | null | undefined>,
  losses?: { meanD: number; meanG: number; balance?: { d: number; g: number } },
  run?: { diverged?: string | null },
): ClaimVerdict[] {
  const m = (k: keyof typeof CLAIM_MEASURES) => measures[CLAIM_MEASURES[k]] ?? NaN;
  const out: ClaimVerdict[] = [];
  const shift = m('realShiftAcrossG');
  if (!Number.isNaN(shift)) {
    out.push({
      id: 'real-features-still',
      predicts: "real samples' features do not move across a G step",
      shows: `largest real-feature displacement across the G step: ${fmt(shift)}`,
      outcome: shift <= T.featureShift ? 'holds' : 'fails',
      threshold: `holds when the largest displacement is at most ${T.featureShift}`,
    });
  }
  const before = m('centroidGapBeforeG');
  const after = m('centroidGapAfterG');
  if (!Number.isNaN(before) && !Number.isNaN(after)) {
    const change = after - before;
    const spread = m('featureSpread');
    const measurable = T.centroidChange * spread;
    const base = `distance between the centroids: ${fmt(before)} before the G step, ${fmt(after)} after (${change <= 0 ? '' : '+'}${Number(change.toPrecision(2))})`;
    let outcome: ClaimOutcome;
    let shows = base;
    if (!Number.isFinite(spread) || !Number.isFinite(change)) {
      outcome = 'insufficient';
      shows = `${base}; no feature spread recorded to say whether that change is measurable`;
    } else if (Math.abs(change) < measurable) {
      outcome = 'insufficient';
      shows = `${base}: no measurable change (under ${T.centroidChange * 100}% of the feature spread ${fmt(spread)})`;
    } else outcome = change < 0 ? 'holds' : 'fails';
    out.push({
      id: 'fake-centroid-approaches',
      predicts: 'the generated centroid moves toward the real centroid across a G step',
      shows,
      outcome,
      threshold: `a change smaller than ${T.centroidChange * 100}% of the real features' spread (RMS distance from their centroid) is no measurable change`,
    });
  }
  const match = samplesMatch(measures);
  const dr = m('dOutReal');
  const df = m('dOutFake');
  if (!Number.isNaN(dr) && !Number.isNaN(df)) {
    const base = `mean D(x): ${fmt(dr)} on real, ${fmt(df)} on generated`;
    const half = Math.abs(dr - 0.5) <= T.dOutput && Math.abs(df - 0.5) <= T.dOutput;
    const v = half ? confusedButMatching(`${base}: D is confused`, match) : { outcome: 'fails' as const, shows: base };
    out.push({
      id: 'd-output-half',
      predicts: "D's output tends to 0.5 on real and generated samples alike",
      shows: v.shows,
      outcome: v.outcome,
      threshold: `both means within ${T.dOutput} of 0.5, and the samples match the data (${match?.rule ?? 'by the run\'s quality metric'})`,
    });
  }
  if (losses?.balance) {
    const { d, g } = losses.balance;
    const near = (v: number, target: number) => Math.abs(v - target) <= T.lossRelative * Math.abs(target);
    const base = `mean over the last part of the run: D ${fmt(losses.meanD)}, G ${fmt(losses.meanG)}`;
    const v = near(losses.meanD, d) && near(losses.meanG, g) ? confusedButMatching(`${base}: at balance`, match) : { outcome: 'fails' as const, shows: base };
    out.push({
      id: 'losses-balance',
      predicts: `the losses approach their balance values (D ${fmt(d)}, G ${fmt(g)})`,
      shows: v.shows,
      outcome: v.outcome,
      threshold: `both within ${T.lossRelative * 100}% of their balance values, and the samples match the data (${match?.rule ?? 'by the run\'s quality metric'})`,
    });
  }
  if (run?.diverged) {
    for (const c of out) {
      if (c.outcome !== 'holds') continue;
      c.outcome = 'insufficient';
      c.shows = `${c.shows}; but the run diverged (${run.diverged}), so this is not evidence`;
    }
  }
  return out;
}
