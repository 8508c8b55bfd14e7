/**
 * The loss charts' smoothing (TensorBoard's): an exponential moving average divided by
 * 1 - weight^count, so the first points are not pulled toward zero. Every expected value below is
 * worked out by hand from that definition, never by smoothSeries itself.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SMOOTHING, smoothSeries } from '../src/shared/smoothing.js';

function expectClose(actual: Array<number | null>, expected: Array<number | null>): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    if (e === null) expect(actual[i], `point ${i}`).toBeNull();
    else expect(actual[i], `point ${i}`).toBeCloseTo(e, 12);
  });
}

describe('smoothSeries', () => {
  it('is the debiased moving average: weight 0.5 over 1, 2, 3 gives 1, 5/3, 17/7', () => {
    // EMA: 0.5, 1.25, 2.125; divided by 1 - 0.5^k: 0.5/0.5, 1.25/0.75, 2.125/0.875.
    expectClose(smoothSeries([1, 2, 3], 0.5), [1, 5 / 3, 17 / 7]);
  });

  it('starts at the first value, not pulled toward zero', () => {
    // Without the debias step the first point would be (1 - 0.6) * 10 = 4.
    expectClose(smoothSeries([10, 0], 0.6), [10, 2.4 / 0.64]);
    expectClose(smoothSeries([4, 4, 4, 4], 0.9), [4, 4, 4, 4]);
  });

  it('keeps gaps as gaps without resetting the average', () => {
    // 2 -> EMA 1, debiased 1/0.5 = 2; gaps; 4 -> EMA 0.5 + 2 = 2.5, second value: 2.5/0.75.
    expectClose(smoothSeries([2, null, Number.NaN, Infinity, 4], 0.5), [2, null, null, null, 10 / 3]);
  });

  it('leaves the values as they are at weight 0, and does not change its input', () => {
    const input = [3, null, -1];
    expect(smoothSeries(input, 0)).toEqual([3, null, -1]);
    expectClose(smoothSeries(input, DEFAULT_SMOOTHING), [3, null, (0.6 * 0.4 * 3 + 0.4 * -1) / (1 - 0.36)]);
    expect(input).toEqual([3, null, -1]);
  });
});
