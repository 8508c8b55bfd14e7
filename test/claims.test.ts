/**
 * The tutorial's claims, on made-up snapshots where each holds and where each fails, and the
 * engine's measures behind them on hand-built arrays.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_MEASURES, tutorialClaims } from '../src/shared/claims.js';
import { claimMeasures } from '../src/main/engine/recorder.js';

const M = CLAIM_MEASURES;
const verdict = (measures: Record<string, number>, id: string, losses?: Parameters<typeof tutorialClaims>[1]) =>
  tutorialClaims(measures, losses).find((c) => c.id === id);

describe('tutorial claims', () => {
  it('real features still across a G step: holds at 0, fails when they move', () => {
    expect(verdict({ [M.realShiftAcrossG]: 0 }, 'real-features-still')!.holds).toBe(true);
    const moved = verdict({ [M.realShiftAcrossG]: 0.3 }, 'real-features-still')!;
    expect(moved.holds).toBe(false);
    expect(moved.shows).toMatch(/0\.3/);
  });
  it('generated centroid approaches the real one: holds when the gap shrinks, fails when it grows', () => {
    expect(verdict({ [M.centroidGapBeforeG]: 5, [M.centroidGapAfterG]: 4 }, 'fake-centroid-approaches')!.holds).toBe(true);
    expect(verdict({ [M.centroidGapBeforeG]: 4, [M.centroidGapAfterG]: 5 }, 'fake-centroid-approaches')!.holds).toBe(false);
  });
  it("D's output tends to 0.5: holds near 0.5 on both sets, fails when D still separates them", () => {
    expect(verdict({ [M.dOutReal]: 0.52, [M.dOutFake]: 0.47 }, 'd-output-half')!.holds).toBe(true);
    expect(verdict({ [M.dOutReal]: 0.9, [M.dOutFake]: 0.1 }, 'd-output-half')!.holds).toBe(false);
  });
  it('losses approach 2 ln 2 and ln 2: holds near them, fails far away, and is not judged without balance values', () => {
    const balance = { d: 2 * Math.LN2, g: Math.LN2 };
    expect(verdict({}, 'losses-balance', { meanD: 1.4, meanG: 0.7, balance })!.holds).toBe(true);
    expect(verdict({}, 'losses-balance', { meanD: 0.2, meanG: 2.6, balance })!.holds).toBe(false);
    expect(verdict({}, 'losses-balance', { meanD: 1.4, meanG: 0.7 })).toBeUndefined();
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
  });
});
