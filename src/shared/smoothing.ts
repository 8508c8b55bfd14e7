/**
 * TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points
 * are not pulled toward zero. Gaps (null, non-finite) stay gaps and do not reset the average.
 */
export function smoothSeries(values: ReadonlyArray<number | null>, weight: number): Array<number | null> {
  if (weight <= 0) return values.slice();
  const out: Array<number | null> = new Array(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    out[i] = last / (1 - Math.pow(weight, count));
  }
  return out;
}

/**
 * The one smoothing weight every loss chart on screen opens with: Live, Replay and Compare (their
 * exports carry the screen's value). A request that names none (the CLI) gets the raw losses.
 */
export const DEFAULT_SMOOTHING = 0.6;
