// AssemblyScript source of the fused engine's WebAssembly SIMD kernels (src/main/engine/fused/
// simd.ts loads them). Build: `npm run build:kernels` writes src/main/engine/fused/simd-wasm.ts.
// Pointers are byte offsets into the module's memory; every buffer is row-major float32.
// Four lanes of f32 per instruction, and register tiles (2 rows x 16 columns) so each loaded
// weight vector feeds two rows' sums; sums are f32, like tfjs's own kernels.

/** Where the host may place its buffers (after this module's own static data). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

@inline function ld(p: usize): v128 {
  return v128.load(p);
}

@inline function act(s: v128, p: v128, q: v128): v128 {
  // Leaky ReLU without a branch, (1+a)/2 s + (1-a)/2 |s|; linear is p = 1, q = 0.
  return f32x4.add(f32x4.mul(p, s), f32x4.mul(q, f32x4.abs(s)));
}

/** Y[rows, u] = p S + q |S| with S = X[rows, k] · W[k, u] + b. */
export function dense(x: usize, w: usize, b: usize, y: usize, rows: i32, k: i32, u: i32, p: f32, q: f32): void {
  const pv = f32x4.splat(p);
  const qv = f32x4.splat(q);
  const ru = <usize>u << 2;
  const rk = <usize>k << 2;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const x0 = x + <usize>i * rk;
    const x1 = x0 + rk;
    const y0 = y + <usize>i * ru;
    const y1 = y0 + ru;
    let j = 0;
    for (; j + 16 <= u; j += 16) {
      const bj = b + (<usize>j << 2);
      let a0 = ld(bj), a1 = ld(bj + 16), a2 = ld(bj + 32), a3 = ld(bj + 48);
      let c0 = a0, c1 = a1, c2 = a2, c3 = a3;
      let wr = w + (<usize>j << 2);
      for (let r = 0; r < k; r++) {
        const xa = f32x4.splat(load<f32>(x0 + (<usize>r << 2)));
        const xb = f32x4.splat(load<f32>(x1 + (<usize>r << 2)));
        const w0 = ld(wr), w1 = ld(wr + 16), w2 = ld(wr + 32), w3 = ld(wr + 48);
        a0 = f32x4.add(a0, f32x4.mul(xa, w0));
        a1 = f32x4.add(a1, f32x4.mul(xa, w1));
        a2 = f32x4.add(a2, f32x4.mul(xa, w2));
        a3 = f32x4.add(a3, f32x4.mul(xa, w3));
        c0 = f32x4.add(c0, f32x4.mul(xb, w0));
        c1 = f32x4.add(c1, f32x4.mul(xb, w1));
        c2 = f32x4.add(c2, f32x4.mul(xb, w2));
        c3 = f32x4.add(c3, f32x4.mul(xb, w3));
        wr += ru;
      }
      const o = <usize>j << 2;
      v128.store(y0 + o, act(a0, pv, qv));
      v128.store(y0 + o + 16, act(a1, pv, qv));
      v128.store(y0 + o + 32, act(a2, pv, qv));
      v128.store(y0 + o + 48, act(a3, pv, qv));
      v128.store(y1 + o, act(c0, pv, qv));
      v128.store(y1 + o + 16, act(c1, pv, qv));
      v128.store(y1 + o + 32, act(c2, pv, qv));
      v128.store(y1 + o + 48, act(c3, pv, qv));
    }
    for (; j + 4 <= u; j += 4) {
      let a0 = ld(b + (<usize>j << 2));
      let c0 = a0;
      let wr = w + (<usize>j << 2);
      for (let r = 0; r < k; r++) {
        const w0 = ld(wr);
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(x0 + (<usize>r << 2))), w0));
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(x1 + (<usize>r << 2))), w0));
        wr += ru;
      }
      v128.store(y0 + (<usize>j << 2), act(a0, pv, qv));
      v128.store(y1 + (<usize>j << 2), act(c0, pv, qv));
    }
    for (; j < u; j++) {
      scalarDense(x0, w, b, y0, k, u, j, p, q);
      scalarDense(x1, w, b, y1, k, u, j, p, q);
    }
  }
  if (i < rows) {
    const x0 = x + <usize>i * rk;
    const y0 = y + <usize>i * ru;
    for (let j = 0; j < u; j++) scalarDense(x0, w, b, y0, k, u, j, p, q);
  }
}

@inline function scalarDense(xr: usize, w: usize, b: usize, yr: usize, k: i32, u: i32, j: i32, p: f32, q: f32): void {
  let s = load<f32>(b + (<usize>j << 2));
  let wo = w + (<usize>j << 2);
  const ru = <usize>u << 2;
  let r = 0;
  if (u == 1) {
    // A column of W is contiguous: four products at a time.
    let v = f32x4.splat(0);
    for (; r + 4 <= k; r += 4) v = f32x4.add(v, f32x4.mul(ld(xr + (<usize>r << 2)), ld(w + (<usize>r << 2))));
    s += f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
    wo += <usize>r << 2;
  }
  for (; r < k; r++) {
    s += load<f32>(xr + (<usize>r << 2)) * load<f32>(wo);
    wo += ru;
  }
  store<f32>(yr + (<usize>j << 2), p * s + q * Mathf.abs(s));
}

/** dW[k, u] = Xᵀ · dY for X [rows, k] and dY [rows, u] (overwritten). */
export function gemmTN(x: usize, dy: usize, dw: usize, rows: i32, k: i32, u: i32): void {
  const ru = <usize>u << 2;
  const rk = <usize>k << 2;
  if (u >= 4) {
    let a = 0;
    for (; a + 2 <= k; a += 2) {
      let j = 0;
      for (; j + 16 <= u; j += 16) {
        let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
        let t0 = s0, t1 = s0, t2 = s0, t3 = s0;
        let xo = x + (<usize>a << 2);
        let dyo = dy + (<usize>j << 2);
        for (let i = 0; i < rows; i++) {
          const xa = f32x4.splat(load<f32>(xo));
          const xb = f32x4.splat(load<f32>(xo + 4));
          const d0 = ld(dyo), d1 = ld(dyo + 16), d2 = ld(dyo + 32), d3 = ld(dyo + 48);
          s0 = f32x4.add(s0, f32x4.mul(xa, d0));
          s1 = f32x4.add(s1, f32x4.mul(xa, d1));
          s2 = f32x4.add(s2, f32x4.mul(xa, d2));
          s3 = f32x4.add(s3, f32x4.mul(xa, d3));
          t0 = f32x4.add(t0, f32x4.mul(xb, d0));
          t1 = f32x4.add(t1, f32x4.mul(xb, d1));
          t2 = f32x4.add(t2, f32x4.mul(xb, d2));
          t3 = f32x4.add(t3, f32x4.mul(xb, d3));
          xo += rk;
          dyo += ru;
        }
        const o0 = dw + <usize>a * ru + (<usize>j << 2);
        const o1 = o0 + ru;
        v128.store(o0, s0);
        v128.store(o0 + 16, s1);
        v128.store(o0 + 32, s2);
        v128.store(o0 + 48, s3);
        v128.store(o1, t0);
        v128.store(o1 + 16, t1);
        v128.store(o1 + 32, t2);
        v128.store(o1 + 48, t3);
      }
      for (; j < u; j++) {
        scalarTN(x, dy, dw, rows, k, u, a, j);
        scalarTN(x, dy, dw, rows, k, u, a + 1, j);
      }
    }
    for (; a < k; a++) for (let j = 0; j < u; j++) scalarTN(x, dy, dw, rows, k, u, a, j);
  } else {
    // Narrow dY (an output layer): vectors run along X's columns instead.
    for (let j = 0; j < u; j++) {
      let a = 0;
      for (; a + 4 <= k; a += 4) {
        let s = f32x4.splat(0);
        let xo = x + (<usize>a << 2);
        let dyo = dy + (<usize>j << 2);
        for (let i = 0; i < rows; i++) {
          s = f32x4.add(s, f32x4.mul(ld(xo), f32x4.splat(load<f32>(dyo))));
          xo += rk;
          dyo += ru;
        }
        const o = dw + <usize>a * ru + (<usize>j << 2);
        store<f32>(o, f32x4.extract_lane(s, 0));
        store<f32>(o + ru, f32x4.extract_lane(s, 1));
        store<f32>(o + 2 * ru, f32x4.extract_lane(s, 2));
        store<f32>(o + 3 * ru, f32x4.extract_lane(s, 3));
      }
      for (; a < k; a++) scalarTN(x, dy, dw, rows, k, u, a, j);
    }
  }
}

@inline function scalarTN(x: usize, dy: usize, dw: usize, rows: i32, k: i32, u: i32, a: i32, j: i32): void {
  let s: f32 = 0;
  let xo = x + (<usize>a << 2);
  let dyo = dy + (<usize>j << 2);
  const rk = <usize>k << 2;
  const ru = <usize>u << 2;
  for (let i = 0; i < rows; i++) {
    s += load<f32>(xo) * load<f32>(dyo);
    xo += rk;
    dyo += ru;
  }
  store<f32>(dw + <usize>a * ru + (<usize>j << 2), s);
}

/** g[i] *= c0 + c1 [y > 0] + c2 y + c3 y² + c4 |y| for i < n: an activation's derivative from its output y. */
export function gradAct(g: usize, y: usize, n: i32, c0: f32, c1: f32, c2: f32, c3: f32, c4: f32): void {
  const k0 = f32x4.splat(c0);
  const k1 = f32x4.splat(c1);
  const k2 = f32x4.splat(c2);
  const k3 = f32x4.splat(c3);
  const k4 = f32x4.splat(c4);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = ld(y + o);
    // [y > 0] as 1.0 or 0.0: the comparison's all-ones lanes masked to 1.0's bits.
    const pos = v128.and(f32x4.gt(v, zero), f32x4.splat(1));
    let d = f32x4.add(k0, f32x4.mul(k1, pos));
    d = f32x4.add(d, f32x4.mul(v, f32x4.add(k2, f32x4.mul(k3, v))));
    d = f32x4.add(d, f32x4.mul(k4, f32x4.abs(v)));
    v128.store(g + o, f32x4.mul(ld(g + o), d));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(y + o);
    const d = c0 + c1 * <f32>(v > 0 ? 1 : 0) + v * (c2 + c3 * v) + c4 * Mathf.abs(v);
    store<f32>(g + o, load<f32>(g + o) * d);
  }
}

// exp(x) for x <= 0 in four lanes: x = k ln 2 + r with |r| <= ln2/2, e^r from six terms of its
// series (relative error below 3e-7, float32's own), 2^k built in the exponent bits. Below -87
// the result would be subnormal: it is 0.
@inline function expNeg(x: v128): v128 {
  const clamped = f32x4.max(x, f32x4.splat(-87));
  const k = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(clamped, f32x4.mul(k, f32x4.splat(0.693145751953125))), f32x4.mul(k, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.add(f32x4.splat(1.0 / 120), f32x4.mul(r, f32x4.splat(1.0 / 720)));
  p = f32x4.add(f32x4.splat(1.0 / 24), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(r, p));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  const e = f32x4.mul(p, scale);
  return v128.and(e, f32x4.gt(x, f32x4.splat(-87)));
}

/**
 * Σ exp(-c |p_i - q_j|²) over i < m and j < n (or over j > i only, when `distinct`), with the
 * points as separate x and y arrays (px, py [m], qx, qy [n]). Lane sums are float32, each row's
 * total is added in float64.
 */
export function gaussianSum(px: usize, py: usize, m: i32, qx: usize, qy: usize, n: i32, c: f32, distinct: bool): f64 {
  const nc = f32x4.splat(-c);
  let total: f64 = 0;
  for (let i = 0; i < m; i++) {
    const xi = load<f32>(px + (<usize>i << 2));
    const yi = load<f32>(py + (<usize>i << 2));
    const xv = f32x4.splat(xi);
    const yv = f32x4.splat(yi);
    let j = distinct ? i + 1 : 0;
    let row: f32 = 0;
    // Scalar up to a multiple of 4, so the vector loads below are aligned with the arrays.
    for (; j < n && (j & 3) != 0; j++) {
      const dx = xi - load<f32>(qx + (<usize>j << 2));
      const dy = yi - load<f32>(qy + (<usize>j << 2));
      row += f32x4.extract_lane(expNeg(f32x4.splat(-c * (dx * dx + dy * dy))), 0);
    }
    let acc = f32x4.splat(0);
    for (; j + 4 <= n; j += 4) {
      const dx = f32x4.sub(xv, ld(qx + (<usize>j << 2)));
      const dy = f32x4.sub(yv, ld(qy + (<usize>j << 2)));
      acc = f32x4.add(acc, expNeg(f32x4.mul(nc, f32x4.add(f32x4.mul(dx, dx), f32x4.mul(dy, dy)))));
    }
    for (; j < n; j++) {
      const dx = xi - load<f32>(qx + (<usize>j << 2));
      const dy = yi - load<f32>(qy + (<usize>j << 2));
      row += f32x4.extract_lane(expNeg(f32x4.splat(-c * (dx * dx + dy * dy))), 0);
    }
    total += <f64>(row + f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
  return total;
}
