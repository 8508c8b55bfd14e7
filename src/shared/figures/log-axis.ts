/**
 * Log axes for curves: when a loss chart defaults to one, and how its ticks are labelled. D's
 * loss starts near 140 on the tutorial's data and settles near 1.4, so on a linear axis every
 * loss chart is a flat line after the first few iterations.
 */

/** More decades than this between the smallest and largest value: a log axis by default. */
export const LOG_SCALE_DECADES = 2;

/**
 * Whether curves read better on a log axis: every finite value positive (a log axis cannot draw
 * the others, so it would hide them) and spanning more than LOG_SCALE_DECADES decades. Gaps and
 * non-finite values are ignored.
 */
export function prefersLogScale(series: Iterable<ReadonlyArray<number | null | undefined>>): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const values of series) {
    for (const v of values) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (v <= 0) return false;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return max > 0 && Math.log10(max / min) > LOG_SCALE_DECADES;
}

/** value = mantissa × 10^exponent with 1 <= mantissa < 10, robust to floating-point ticks (0.30000000000000004). */
function decompose(value: number): { mantissa: number; exponent: number } {
  let exponent = Math.floor(Math.log10(value));
  let mantissa = Number((value / 10 ** exponent).toPrecision(6));
  if (mantissa >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return { mantissa, exponent };
}

/**
 * A log axis tick's label: its own value written plainly (1, 10, 100, 0.1, 1,000; 1e-6 and 1e6
 * beyond a thousandth and a million), never with the fixed decimals Chart.js gives every tick
 * of a wide axis ("100.0000000 … 0.0000010"). Over more than two decades only the powers of ten
 * are labelled; over two or fewer, 2 and 5 as well; within one decade, every tick. The rest are
 * '' (an unlabelled tick: its grid line stays).
 */
export function logTickLabel(value: number, decades: number): string {
  if (!(value > 0) || !Number.isFinite(value)) return '';
  const { mantissa, exponent } = decompose(value);
  const labelled = decades <= 1 || mantissa === 1 || (decades <= LOG_SCALE_DECADES && (mantissa === 2 || mantissa === 5));
  if (!labelled) return '';
  if (exponent < -3 || exponent >= 6) return `${mantissa}e${exponent}`;
  return Number((mantissa * 10 ** exponent).toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Decades between the first and last of an axis's ticks (0 for fewer than two). */
export function tickDecades(ticks: ReadonlyArray<{ value: number }>): number {
  const values = ticks.map((t) => t.value).filter((v) => v > 0 && Number.isFinite(v));
  if (values.length < 2) return 0;
  return Math.log10(Math.max(...values) / Math.min(...values));
}
