/**
 * The dense layer's weight gradients on row-major float32 buffers: dW = Xᵀ · dY and db = Σ dY.
 * Register tiles as in matmul.ts: 4 (or 2, or 1) columns of X by 4 (or 2, or 1) columns of dY,
 * their sums kept in locals (doubles) over all rows and stored once.
 */

/** C[m, n] = Aᵀ · B for A [rows, m] and B [rows, n] (overwritten, not accumulated). */
export function gemmTN(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, m: number, n: number): void {
  let p = 0;
  for (; p + 4 <= m; p += 4) {
    let j = 0;
    for (; j + 4 <= n; j += 4) tnTile4x4(a, b, c, rows, p, j, m, n);
    for (; j + 2 <= n; j += 2) tnTile4x2(a, b, c, rows, p, j, m, n);
    for (; j < n; j++) tnTile4x1(a, b, c, rows, p, j, m, n);
  }
  for (; p + 2 <= m; p += 2) {
    let j = 0;
    for (; j + 4 <= n; j += 4) tnTile2x4(a, b, c, rows, p, j, m, n);
    for (; j < n; j++) tnTile2x1(a, b, c, rows, p, j, m, n);
  }
  for (; p < m; p++) {
    let j = 0;
    for (; j + 4 <= n; j += 4) tnTile1x4(a, b, c, rows, p, j, m, n);
    for (; j < n; j++) {
      let s = 0;
      let ao = p;
      let bo = j;
      for (let i = 0; i < rows; i++) {
        s += a[ao]! * b[bo]!;
        ao += m;
        bo += n;
      }
      c[p * n + j] = s;
    }
  }
}

function tnTile4x4(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
  let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const b0 = b[bo]!;
    const b1 = b[bo + 1]!;
    const b2 = b[bo + 2]!;
    const b3 = b[bo + 3]!;
    let x = a[ao]!;
    s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
    x = a[ao + 1]!;
    s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
    x = a[ao + 2]!;
    s20 += x * b0; s21 += x * b1; s22 += x * b2; s23 += x * b3;
    x = a[ao + 3]!;
    s30 += x * b0; s31 += x * b1; s32 += x * b2; s33 += x * b3;
    ao += m;
    bo += n;
  }
  let co = p * n + j;
  c[co] = s00; c[co + 1] = s01; c[co + 2] = s02; c[co + 3] = s03;
  co += n;
  c[co] = s10; c[co + 1] = s11; c[co + 2] = s12; c[co + 3] = s13;
  co += n;
  c[co] = s20; c[co + 1] = s21; c[co + 2] = s22; c[co + 3] = s23;
  co += n;
  c[co] = s30; c[co + 1] = s31; c[co + 2] = s32; c[co + 3] = s33;
}

function tnTile4x2(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const b0 = b[bo]!;
    const b1 = b[bo + 1]!;
    let x = a[ao]!;
    s00 += x * b0; s01 += x * b1;
    x = a[ao + 1]!;
    s10 += x * b0; s11 += x * b1;
    x = a[ao + 2]!;
    s20 += x * b0; s21 += x * b1;
    x = a[ao + 3]!;
    s30 += x * b0; s31 += x * b1;
    ao += m;
    bo += n;
  }
  let co = p * n + j;
  c[co] = s00; c[co + 1] = s01;
  co += n;
  c[co] = s10; c[co + 1] = s11;
  co += n;
  c[co] = s20; c[co + 1] = s21;
  co += n;
  c[co] = s30; c[co + 1] = s31;
}

function tnTile4x1(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const g = b[bo]!;
    s0 += a[ao]! * g;
    s1 += a[ao + 1]! * g;
    s2 += a[ao + 2]! * g;
    s3 += a[ao + 3]! * g;
    ao += m;
    bo += n;
  }
  const co = p * n + j;
  c[co] = s0;
  c[co + n] = s1;
  c[co + 2 * n] = s2;
  c[co + 3 * n] = s3;
}

function tnTile2x4(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const b0 = b[bo]!;
    const b1 = b[bo + 1]!;
    const b2 = b[bo + 2]!;
    const b3 = b[bo + 3]!;
    let x = a[ao]!;
    s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
    x = a[ao + 1]!;
    s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
    ao += m;
    bo += n;
  }
  let co = p * n + j;
  c[co] = s00; c[co + 1] = s01; c[co + 2] = s02; c[co + 3] = s03;
  co += n;
  c[co] = s10; c[co + 1] = s11; c[co + 2] = s12; c[co + 3] = s13;
}

function tnTile2x1(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s0 = 0, s1 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const g = b[bo]!;
    s0 += a[ao]! * g;
    s1 += a[ao + 1]! * g;
    ao += m;
    bo += n;
  }
  const co = p * n + j;
  c[co] = s0;
  c[co + n] = s1;
}

function tnTile1x4(a: Float32Array, b: Float32Array, c: Float32Array, rows: number, p: number, j: number, m: number, n: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let ao = p;
  let bo = j;
  for (let i = 0; i < rows; i++) {
    const x = a[ao]!;
    s0 += x * b[bo]!;
    s1 += x * b[bo + 1]!;
    s2 += x * b[bo + 2]!;
    s3 += x * b[bo + 3]!;
    ao += m;
    bo += n;
  }
  const co = p * n + j;
  c[co] = s0;
  c[co + 1] = s1;
  c[co + 2] = s2;
  c[co + 3] = s3;
}

/** s[n] = Σ_rows B[rows, n]. */
export function colSums(b: Float32Array, s: Float32Array, rows: number, n: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let bo = j;
    for (let i = 0; i < rows; i++) {
      s0 += b[bo]!;
      s1 += b[bo + 1]!;
      s2 += b[bo + 2]!;
      s3 += b[bo + 3]!;
      bo += n;
    }
    s[j] = s0;
    s[j + 1] = s1;
    s[j + 2] = s2;
    s[j + 3] = s3;
  }
  for (; j < n; j++) {
    let t = 0;
    let bo = j;
    for (let i = 0; i < rows; i++) {
      t += b[bo]!;
      bo += n;
    }
    s[j] = t;
  }
}
