/**
 * Elementary functions for the fused engine's hot loops. V8's Math.tanh and Math.exp are
 * out-of-line fdlibm calls (about 22 and 13 ns here), which would cost more than all the matmuls
 * of the tutorial's networks; these are inlinable and accurate to float32 precision, which is all
 * the float32 storage they feed can hold.
 */

// Rational minimax approximation of tanh on [-c, c] (Eigen's float tanh): within about 4 float32
// ulps (relative 2.6e-7), odd numerator over even denominator, so tiny inputs keep their
// relative accuracy. Beyond c it is ±1 in float32 anyway.
const TANH_CLAMP = 7.90531110763549805;
const A1 = 4.89352455891786e-3;
const A3 = 6.37261928875436e-4;
const A5 = 1.48572235717979e-5;
const A7 = 5.12229709037114e-8;
const A9 = -8.60467152213735e-11;
const A11 = 2.00018790482477e-13;
const A13 = -2.76076847742355e-16;
const B0 = 4.89352518554385e-3;
const B2 = 2.268434632439e-3;
const B4 = 1.18534705686654e-4;
const B6 = 1.19825839466702e-6;

export function fastTanh(x: number): number {
  if (x > TANH_CLAMP) x = TANH_CLAMP;
  else if (x < -TANH_CLAMP) x = -TANH_CLAMP;
  const x2 = x * x;
  const p = x * (A1 + x2 * (A3 + x2 * (A5 + x2 * (A7 + x2 * (A9 + x2 * (A11 + x2 * A13))))));
  const q = B0 + x2 * (B2 + x2 * (B4 + x2 * B6));
  return p / q;
}

// exp(x) = 2^k e^r with |r| <= ln2/2 (Cody-Waite split of ln 2) and a degree-12 Taylor polynomial:
// relative error about 1e-15, so exp(x) - 1 stays accurate enough for elu near 0. Inputs are
// clamped to where float32 results are 0 or Infinity anyway, so 2^k comes from a small table.
const EXP_MIN = -104;
const EXP_MAX = 89;
const K_OFFSET = 152;
const POW2 = new Float64Array(2 * K_OFFSET);
for (let k = -K_OFFSET; k < K_OFFSET; k++) POW2[k + K_OFFSET] = 2 ** k;
const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.42860682030941723212e-6;
const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;
const C7 = 1 / 5040;
const C8 = 1 / 40320;
const C9 = 1 / 362880;
const C10 = 1 / 3628800;
const C11 = 1 / 39916800;
const C12 = 1 / 479001600;

export function fastExp(x: number): number {
  if (x > EXP_MAX) x = EXP_MAX;
  else if (x < EXP_MIN) x = EXP_MIN;
  const k = Math.round(x * LOG2E);
  const r = x - k * LN2_HI - k * LN2_LO;
  const p =
    1 + r * (1 + r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * (C7 + r * (C8 + r * (C9 + r * (C10 + r * (C11 + r * C12)))))))))));
  return p * POW2[k + K_OFFSET]!;
}
