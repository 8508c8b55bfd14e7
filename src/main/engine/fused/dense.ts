/**
 * The dense layer's three products on row-major float32 buffers: forward Y = X W + b,
 * weight gradients dW = Xᵀ dY and db = Σ dY, input gradient dX = dY Wᵀ.
 * Sums are carried in doubles and stored once.
 */

/** Y[rows, u] = X[rows, k] · W[k, u] + b (before the activation). */
export function denseForward(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  y: Float32Array,
  rows: number,
  k: number,
  u: number,
): void {
  for (let i = 0; i < rows; i++) {
    const xo = i * k;
    const yo = i * u;
    for (let j = 0; j < u; j++) {
      let s = b[j]!;
      for (let kk = 0; kk < k; kk++) s += x[xo + kk]! * w[kk * u + j]!;
      y[yo + j] = s;
    }
  }
}

/** dW[k, u] = Xᵀ · dY, db[u] = Σ_rows dY (overwritten, not accumulated). */
export function denseWeightGrads(
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  db: Float32Array,
  rows: number,
  k: number,
  u: number,
): void {
  for (let j = 0; j < u; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += dy[i * u + j]!;
    db[j] = s;
  }
  for (let kk = 0; kk < k; kk++) {
    for (let j = 0; j < u; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += x[i * k + kk]! * dy[i * u + j]!;
      dw[kk * u + j] = s;
    }
  }
}

/** dX[rows, k] = dY[rows, u] · Wᵀ. */
export function denseInputGrads(
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  rows: number,
  k: number,
  u: number,
): void {
  for (let i = 0; i < rows; i++) {
    const yo = i * u;
    const xo = i * k;
    for (let kk = 0; kk < k; kk++) {
      const wo = kk * u;
      let s = 0;
      for (let j = 0; j < u; j++) s += dy[yo + j]! * w[wo + j]!;
      dx[xo + kk] = s;
    }
  }
}
