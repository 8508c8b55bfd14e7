/**
 * The dense layer's input gradient with the activation's derivative fused in:
 *
 *   denseInputGrad: dX = (dY · Wᵀ) ⊙ f'(layer below)            dY [rows, u], Wᵀ [u, k]
 *
 * Register tiles of 4 rows x 4 (or 2, or 1) columns, as in matmul.ts (which says why); the
 * derivative is applied as each tile is stored.
 */
import type { DerivativeCoefficients } from './activations.js';

/**
 * dX[rows, k] = dY[rows, u] · Wᵀ[u, k], times the derivative `d` of the activation of the layer
 * whose outputs `y` are this layer's inputs (the linear one when the input is the network's own).
 */
export function denseInputGrad(
  dy: Float32Array,
  wt: Float32Array,
  dx: Float32Array,
  rows: number,
  u: number,
  k: number,
  d: DerivativeCoefficients,
  y: Float32Array,
): void {
  const rows4 = rows - (rows & 3);
  let i = 0;
  for (; i < rows4; i += 4) {
    let j = 0;
    for (; j + 4 <= k; j += 4) bwdTile4x4(dy, wt, dx, i, j, u, k, y, d);
    if (j + 2 <= k) {
      bwdTile4x2(dy, wt, dx, i, j, u, k, y, d);
      j += 2;
    }
    if (j < k) bwdTile4x1(dy, wt, dx, i, j, u, k, y, d);
  }
  const k0 = d.c0;
  const k1 = d.c1;
  const k2 = d.c2;
  const k3 = d.c3;
  const k4 = d.c4;
  for (; i < rows; i++) {
    const go = i * u;
    const xo = i * k;
    for (let j = 0; j < k; j++) {
      let s = 0;
      let wo = j;
      for (let r = 0; r < u; r++) {
        s += dy[go + r]! * wt[wo]!;
        wo += k;
      }
      const v = y[xo + j]!;
      dx[xo + j] = s * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
    }
  }
}

function bwdTile4x4(a: Float32Array, b: Float32Array, c: Float32Array, i: number, j: number, m: number, n: number, y: Float32Array, d: DerivativeCoefficients): void {
  const k0 = d.c0;
  const k1 = d.c1;
  const k2 = d.c2;
  const k3 = d.c3;
  const k4 = d.c4;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
  let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  let ao = i * m;
  let bo = j;
  for (let r = 0; r < m; r++) {
    const b0 = b[bo]!;
    const b1 = b[bo + 1]!;
    const b2 = b[bo + 2]!;
    const b3 = b[bo + 3]!;
    let x = a[ao]!;
    s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
    x = a[ao + m]!;
    s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
    x = a[ao + 2 * m]!;
    s20 += x * b0; s21 += x * b1; s22 += x * b2; s23 += x * b3;
    x = a[ao + 3 * m]!;
    s30 += x * b0; s31 += x * b1; s32 += x * b2; s33 += x * b3;
    ao++;
    bo += n;
  }
  let co = i * n + j;
  let v = 0;
  if (k2 === 0 && k3 === 0 && k4 === 0) {
    // leaky ReLU, ReLU, linear: the short form
    v = y[co]!;
    c[co] = s00 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s01 * (k0 + k1 * +(v > 0));
    v = y[co + 2]!;
    c[co + 2] = s02 * (k0 + k1 * +(v > 0));
    v = y[co + 3]!;
    c[co + 3] = s03 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s10 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s11 * (k0 + k1 * +(v > 0));
    v = y[co + 2]!;
    c[co + 2] = s12 * (k0 + k1 * +(v > 0));
    v = y[co + 3]!;
    c[co + 3] = s13 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s20 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s21 * (k0 + k1 * +(v > 0));
    v = y[co + 2]!;
    c[co + 2] = s22 * (k0 + k1 * +(v > 0));
    v = y[co + 3]!;
    c[co + 3] = s23 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s30 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s31 * (k0 + k1 * +(v > 0));
    v = y[co + 2]!;
    c[co + 2] = s32 * (k0 + k1 * +(v > 0));
    v = y[co + 3]!;
    c[co + 3] = s33 * (k0 + k1 * +(v > 0));
    return;
  }
  v = y[co]!;
  c[co] = s00 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s01 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 2]!;
  c[co + 2] = s02 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 3]!;
  c[co + 3] = s03 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s10 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s11 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 2]!;
  c[co + 2] = s12 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 3]!;
  c[co + 3] = s13 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s20 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s21 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 2]!;
  c[co + 2] = s22 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 3]!;
  c[co + 3] = s23 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s30 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s31 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 2]!;
  c[co + 2] = s32 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 3]!;
  c[co + 3] = s33 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
}

function bwdTile4x2(a: Float32Array, b: Float32Array, c: Float32Array, i: number, j: number, m: number, n: number, y: Float32Array, d: DerivativeCoefficients): void {
  const k0 = d.c0;
  const k1 = d.c1;
  const k2 = d.c2;
  const k3 = d.c3;
  const k4 = d.c4;
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
  let ao = i * m;
  let bo = j;
  for (let r = 0; r < m; r++) {
    const b0 = b[bo]!;
    const b1 = b[bo + 1]!;
    let x = a[ao]!;
    s00 += x * b0; s01 += x * b1;
    x = a[ao + m]!;
    s10 += x * b0; s11 += x * b1;
    x = a[ao + 2 * m]!;
    s20 += x * b0; s21 += x * b1;
    x = a[ao + 3 * m]!;
    s30 += x * b0; s31 += x * b1;
    ao++;
    bo += n;
  }
  let co = i * n + j;
  let v = 0;
  if (k2 === 0 && k3 === 0 && k4 === 0) {
    // leaky ReLU, ReLU, linear: the short form
    v = y[co]!;
    c[co] = s00 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s01 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s10 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s11 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s20 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s21 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s30 * (k0 + k1 * +(v > 0));
    v = y[co + 1]!;
    c[co + 1] = s31 * (k0 + k1 * +(v > 0));
    return;
  }
  v = y[co]!;
  c[co] = s00 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s01 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s10 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s11 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s20 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s21 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s30 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  v = y[co + 1]!;
  c[co + 1] = s31 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
}

function bwdTile4x1(a: Float32Array, b: Float32Array, c: Float32Array, i: number, j: number, m: number, n: number, y: Float32Array, d: DerivativeCoefficients): void {
  const k0 = d.c0;
  const k1 = d.c1;
  const k2 = d.c2;
  const k3 = d.c3;
  const k4 = d.c4;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let ao = i * m;
  let bo = j;
  for (let r = 0; r < m; r++) {
    const w = b[bo]!;
    s0 += a[ao]! * w;
    s1 += a[ao + m]! * w;
    s2 += a[ao + 2 * m]! * w;
    s3 += a[ao + 3 * m]! * w;
    ao++;
    bo += n;
  }
  let co = i * n + j;
  let v = 0;
  if (k2 === 0 && k3 === 0 && k4 === 0) {
    // leaky ReLU, ReLU, linear: the short form
    v = y[co]!;
    c[co] = s0 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s1 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s2 * (k0 + k1 * +(v > 0));
    co += n;
    v = y[co]!;
    c[co] = s3 * (k0 + k1 * +(v > 0));
    return;
  }
  v = y[co]!;
  c[co] = s0 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s1 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s2 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  co += n;
  v = y[co]!;
  c[co] = s3 * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
}
