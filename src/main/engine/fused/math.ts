/**
 * Elementary functions for the fused engine's hot loops. V8's Math.tanh and Math.exp are
 * out-of-line fdlibm calls (about 22 and 13 ns here), which would cost more than all the matmuls
 * of the tutorial's networks; these inline, and are accurate enough (1e-12 or better) that the
 * float32 values they are stored as are those tfjs stores.
 */

// tanh(x) from a table of tanh at multiples of 1/32 and the addition formula
// tanh(a + b) = (tanh a + tanh b) / (1 + tanh a tanh b), with |b| <= 1/64 so that three terms of
// tanh's series give tanh b within 8e-13 (relative). The result is then accurate enough that the
// float32 it is stored as is the correctly rounded one, which matters more than it seems: near saturation
// tanh's gradient 1 - y^2 is computed from y and magnifies any error in it (a rational
// approximation good to 4 float32 ulps made 200 Adam steps drift 1e-4 from tfjs).
const TANH_STEPS = 32;
const TANH_LIMIT = 10; // tanh(10) is 1 in float32
const TANH_OFFSET = TANH_LIMIT * TANH_STEPS;
const TANH_TABLE = new Float64Array(2 * TANH_OFFSET + 1);
for (let j = -TANH_OFFSET; j <= TANH_OFFSET; j++) TANH_TABLE[j + TANH_OFFSET] = Math.tanh(j / TANH_STEPS);
/** Adding and subtracting 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer. */
const ROUNDER = 6755399441055744;
const T3 = -1 / 3;
const T5 = 2 / 15;

export function fastTanh(x: number): number {
  if (x > TANH_LIMIT) x = TANH_LIMIT;
  else if (x < -TANH_LIMIT) x = -TANH_LIMIT;
  const j = x * TANH_STEPS + ROUNDER - ROUNDER;
  const b = x - j * (1 / TANH_STEPS);
  const b2 = b * b;
  const tb = b + b * b2 * (T3 + b2 * T5);
  const ta = TANH_TABLE[(j | 0) + TANH_OFFSET]!;
  return (ta + tb) / (1 + ta * tb);
}

// exp(x) = 2^(k/64) e^r with |r| <= ln2/128: 2^(k/64) from two tables (2^(k>>6) and the 64
// values 2^(j/64)), e^r from five terms of its series (relative error a few 1e-16). A short
// polynomial matters: the dependency chain of a long Horner evaluation made exp cost twice as much.
// Inputs are clamped to where float32 results are 0 or Infinity anyway.
const EXP_MIN = -104;
const EXP_MAX = 89;
const K_OFFSET = 160;
const POW2 = new Float64Array(2 * K_OFFSET);
for (let k = -K_OFFSET; k < K_OFFSET; k++) POW2[k + K_OFFSET] = 2 ** k;
const POW2_64THS = new Float64Array(64);
for (let j = 0; j < 64; j++) POW2_64THS[j] = 2 ** (j / 64);
const SIXTY_FOUR_OVER_LN2 = 64 / Math.LN2;
/** ln2/64 split so that k * LN2_64_HI is exact for every k used. */
const LN2_64_HI = Math.fround(Math.LN2 / 64);
const LN2_64_LO = Math.LN2 / 64 - LN2_64_HI;
const E2 = 1 / 2;
const E3 = 1 / 6;
const E4 = 1 / 24;
const E5 = 1 / 120;

export function fastExp(x: number): number {
  if (x > EXP_MAX) x = EXP_MAX;
  else if (x < EXP_MIN) x = EXP_MIN;
  const kd = x * SIXTY_FOUR_OVER_LN2 + ROUNDER - ROUNDER;
  const r = x - kd * LN2_64_HI - kd * LN2_64_LO;
  const k = kd | 0;
  const p = 1 + r * (1 + r * (E2 + r * (E3 + r * (E4 + r * E5))));
  return p * POW2_64THS[k & 63]! * POW2[(k >> 6) + K_OFFSET]!;
}
