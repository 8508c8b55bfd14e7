/**
 * The tutorial's claims, on made-up snapshots where each holds and where each fails, and the
 * engine's measures behind them on hand-built arrays.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_MEASURES, CLAIM_THRESHOLDS, tutorialClaims } from '../src/shared/claims.js';
import { claimMeasures } from '../src/main/engine/recorder.js';

const M = CLAIM_MEASURES;
const verdict = (measures: Record<string, number>, id: string, losses?: Parameters<typeof tutorialClaims>[1], run?: Parameters<typeof tutorialClaims>[2]) =>
  tutorialClaims(measures, losses, run).find((c) => c.id === id);
const outcome = (...args: Parameters<typeof verdict>) => verdict(...args)?.outcome;

/** Quality metrics of a run whose samples lie on the curve and cover it, and of a collapsed one. */
const MATCHING = { onCurveFraction: 0.97, xCoverage: 1, slicedWasserstein: 0.1 };
const COLLAPSED = { onCurveFraction: 1, xCoverage: 0.2, slicedWasserstein: 0.85 };
const balance = { d: 2 * Math.LN2, g: Math.LN2 };
const atBalance = { meanD: 1.4, meanG: 0.7, balance };

describe('tutorial claims', () => {
  it('real features still across a G step: holds at 0, does not hold when they move', () => {
    expect(outcome({ [M.realShiftAcrossG]: 0 }, 'real-features-still')).toBe('holds');
    const moved = verdict({ [M.realShiftAcrossG]: 0.3 }, 'real-features-still')!;
    expect(moved.outcome).toBe('fails');
    expect(moved.shows).toMatch(/0\.3/);
  });
  it('generated centroid approaches the real one: holds when the gap shrinks measurably, fails when it grows', () => {
    const gaps = (before: number, after: number, spread = 10) => ({ [M.centroidGapBeforeG]: before, [M.centroidGapAfterG]: after, [M.featureSpread]: spread });
    expect(outcome(gaps(5, 4), 'fake-centroid-approaches')).toBe('holds');
    expect(outcome(gaps(4, 5), 'fake-centroid-approaches')).toBe('fails');
  });
  it('a centroid change under 1% of the feature spread is not enough evidence (27.7 -> 27.7 used to "hold")', () => {
    const v = verdict({ [M.centroidGapBeforeG]: 27.7, [M.centroidGapAfterG]: 27.7 - 0.000066, [M.featureSpread]: 40 }, 'fake-centroid-approaches')!;
    expect(v.outcome).toBe('insufficient');
    expect(v.shows).toMatch(/no measurable change/);
    expect(v.threshold).toMatch(/1% of the real features' spread/);
    // just above the threshold, it is judged
    expect(outcome({ [M.centroidGapBeforeG]: 27.7, [M.centroidGapAfterG]: 27.7 - 0.41, [M.featureSpread]: 40 }, 'fake-centroid-approaches')).toBe('holds');
    // a run recorded before the spread was measured cannot say
    expect(outcome({ [M.centroidGapBeforeG]: 5, [M.centroidGapAfterG]: 4 }, 'fake-centroid-approaches')).toBe('insufficient');
  });
  it("D's output tends to 0.5: holds near 0.5 when the samples match the data, fails when D still separates them", () => {
    expect(outcome({ [M.dOutReal]: 0.52, [M.dOutFake]: 0.47, ...MATCHING }, 'd-output-half')).toBe('holds');
    expect(outcome({ [M.dOutReal]: 0.9, [M.dOutFake]: 0.1, ...MATCHING }, 'd-output-half')).toBe('fails');
  });
  it('a collapsed generator gets no "holds" for D ≈ 0.5 or the loss balance', () => {
    const d = verdict({ [M.dOutReal]: 0.52, [M.dOutFake]: 0.47, ...COLLAPSED }, 'd-output-half', atBalance)!;
    expect(d.outcome).toBe('fails');
    expect(d.shows).toMatch(/D is confused, but the generator has collapsed/);
    const l = verdict(COLLAPSED, 'losses-balance', atBalance)!;
    expect(l.outcome).toBe('fails');
    expect(l.shows).toMatch(/collapsed/);
    // a ring whose samples sit on 2 of 8 modes
    const ring = { modesCaptured: 2, [M.modeCount]: 8, slicedWasserstein: 0.6 };
    expect(outcome({ [M.dOutReal]: 0.5, [M.dOutFake]: 0.5, ...ring }, 'd-output-half')).toBe('fails');
    expect(outcome({ [M.dOutReal]: 0.5, [M.dOutFake]: 0.5, modesCaptured: 7, [M.modeCount]: 8, slicedWasserstein: 0.1 }, 'd-output-half')).toBe('holds');
    // no quality metric at all: D ≈ 0.5 alone is not enough evidence
    expect(outcome({ [M.dOutReal]: 0.5, [M.dOutFake]: 0.5 }, 'd-output-half')).toBe('insufficient');
  });
  it('losses approach 2 ln 2 and ln 2: holds near them with matching samples, fails far away, and is not judged without balance values', () => {
    expect(outcome(MATCHING, 'losses-balance', atBalance)).toBe('holds');
    expect(outcome(MATCHING, 'losses-balance', { meanD: 0.2, meanG: 2.6, balance })).toBe('fails');
    expect(verdict(MATCHING, 'losses-balance', { meanD: 1.4, meanG: 0.7 })).toBeUndefined();
  });
  it("a diverged run's claims never hold", () => {
    const all = tutorialClaims({ [M.realShiftAcrossG]: 0, [M.dOutReal]: 0.5, [M.dOutFake]: 0.5, ...MATCHING }, atBalance, { diverged: 'G loss 8e16 past 1e6' });
    expect(all.length).toBe(3);
    for (const c of all) expect(c.outcome).toBe('insufficient');
    expect(all[0]!.shows).toMatch(/diverged \(G loss 8e16/);
  });
  it('every verdict states its threshold, and every threshold comes from CLAIM_THRESHOLDS', () => {
    const all = tutorialClaims(
      { [M.realShiftAcrossG]: 0, [M.centroidGapBeforeG]: 5, [M.centroidGapAfterG]: 4, [M.featureSpread]: 10, [M.dOutReal]: 0.5, [M.dOutFake]: 0.5, ...MATCHING },
      atBalance,
    );
    expect(all.map((c) => c.id)).toEqual(['real-features-still', 'fake-centroid-approaches', 'd-output-half', 'losses-balance']);
    for (const c of all) expect(c.threshold.length).toBeGreaterThan(10);
    expect(all[2]!.threshold).toContain(String(CLAIM_THRESHOLDS.dOutput));
    expect(all[3]!.threshold).toContain(`${CLAIM_THRESHOLDS.lossRelative * 100}%`);
  });
  it('a claim whose measures are missing is left out rather than guessed', () => {
    expect(tutorialClaims({})).toEqual([]);
  });
});

describe('claim measures', () => {
  it('are the largest real-feature move, the centroid gaps before and after G, and mean D outputs', () => {
    const f = (...v: number[]) => Float32Array.from(v);
    const arrays = [
      { name: 'features.real.after-d', shape: [2, 2], data: f(0, 0, 1, 1) },
      { name: 'features.real.after-g', shape: [2, 2], data: f(0, 0, 1, 4) }, // second sample moved by 3
      { name: 'dOut.real.after-g', shape: [2], data: f(0.6, 0.8) },
      { name: 'dOut.fake.after-g', shape: [2], data: f(0.2, 0.4) },
    ];
    const centroids = [f(0, 0), f(9, 9), f(0, 0), f(3, 4), f(0, 0), f(0, 2)];
    const m = claimMeasures(arrays, centroids, 2);
    expect(m[M.realShiftAcrossG]).toBeCloseTo(3, 6);
    expect(m[M.centroidGapBeforeG]).toBeCloseTo(5, 6);
    expect(m[M.centroidGapAfterG]).toBeCloseTo(2, 6);
    expect(m[M.dOutReal]).toBeCloseTo(0.7, 6);
    expect(m[M.dOutFake]).toBeCloseTo(0.3, 6);
    // real features (0,0) and (1,1) around the after-D real centroid (0,0): RMS distance 1
    expect(m[M.featureSpread]).toBeCloseTo(1, 6);
  });
});
