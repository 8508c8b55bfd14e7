/**
 * The fused engine's WebAssembly SIMD kernels (kernels/simd.ts, compiled into simd-wasm.ts):
 * the dense layer's product, its weight gradient, and an activation's derivative
 * applied to a gradient, four float32 lanes per instruction. Scalar
 * V8 code tops out near 0.65 ns per multiply-add here; these run the same tiles 4 wide.
 *
 * Each network gets its own arena: one module instance whose linear memory holds the network's
 * activation and gradient buffers (so the kernels read them in place) and small scratch areas
 * for weights, which live in ordinary Float32Arrays and are copied in per call (a few hundred
 * floats). Buffers from elsewhere are staged in by copy. The arena is sized once per batch size
 * and never grown afterwards, so views on it stay valid.
 *
 * GAN_LAB_FUSED_SIMD=0 turns the kernels off (the plain TypeScript tiles run instead), for
 * comparison and for engines without WebAssembly SIMD.
 */
import { SIMD_WASM_BASE64 } from './simd-wasm.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  dense(x: number, w: number, b: number, y: number, rows: number, k: number, u: number, p: number, q: number): void;
  gemmTN(x: number, dy: number, dw: number, rows: number, k: number, u: number): void;
  gradAct(g: number, y: number, n: number, c0: number, c1: number, c2: number, c3: number, c4: number): void;
  gaussianSum(px: number, py: number, m: number, qx: number, qy: number, n: number, c: number, distinct: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels, or null where SIMD is off or unsupported. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  if (process.env.GAN_LAB_FUSED_SIMD === '0') return (compiled = null);
  try {
    compiled = new WebAssembly.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
  } catch {
    compiled = null;
  }
  return compiled;
}

export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

const PAGE = 65536;

export class SimdArena {
  private readonly k: KernelExports;
  private next: number;
  private readonly end: number;

  /** An arena with room for `floats` float32 values (plus alignment). */
  constructor(floats: number, regions: number) {
    const module = kernelModule();
    if (!module) throw new Error('WebAssembly SIMD kernels are not available');
    this.k = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    this.next = this.k.heapBase();
    this.end = this.next + floats * 4 + regions * 16;
    const have = this.k.memory.buffer.byteLength;
    if (this.end > have) this.k.memory.grow(Math.ceil((this.end - have) / PAGE));
  }

  /** A zeroed float32 buffer inside the arena, 16-byte aligned. */
  alloc(length: number): Float32Array {
    const at = (this.next + 15) & ~15;
    if (at + length * 4 > this.end) throw new Error('SIMD arena overflow');
    this.next = at + length * 4;
    return new Float32Array(this.k.memory.buffer, at, length);
  }

  owns(view: Float32Array): boolean {
    return view.buffer === this.k.memory.buffer;
  }

  /** Y[rows, u] = p S + q |S|, S = X[rows, k] · W[k, u] + b; every buffer in the arena. */
  dense(x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, rows: number, k: number, u: number, p: number, q: number): void {
    this.k.dense(x.byteOffset, w.byteOffset, b.byteOffset, y.byteOffset, rows, k, u, p, q);
  }

  /** dW[k, u] = Xᵀ · dY for X [rows, k], dY [rows, u]; every buffer in the arena. */
  gemmTN(x: Float32Array, dy: Float32Array, dw: Float32Array, rows: number, k: number, u: number): void {
    this.k.gemmTN(x.byteOffset, dy.byteOffset, dw.byteOffset, rows, k, u);
  }

  /** Σ exp(-c |p_i - q_j|²) over all pairs, or over j > i when `distinct`; points as x and y arrays in the arena. */
  gaussianSum(px: Float32Array, py: Float32Array, m: number, qx: Float32Array, qy: Float32Array, n: number, c: number, distinct: boolean): number {
    return this.k.gaussianSum(px.byteOffset, py.byteOffset, m, qx.byteOffset, qy.byteOffset, n, c, distinct ? 1 : 0);
  }

  /** g *= f'(from y) over the first n values (coefficients: activations.ts DerivativeCoefficients). */
  gradAct(g: Float32Array, y: Float32Array, n: number, d: { c0: number; c1: number; c2: number; c3: number; c4: number }): void {
    this.k.gradAct(g.byteOffset, y.byteOffset, n, d.c0, d.c1, d.c2, d.c3, d.c4);
  }
}

/**
 * Gaussian kernel sums for MMD² on the SIMD kernels: the [n,2] point sets are split into x and y
 * arrays in an arena sized for `capacity` points per set.
 */
export class SimdGaussian {
  private readonly arena: SimdArena;
  private readonly px: Float32Array;
  private readonly py: Float32Array;
  private readonly qx: Float32Array;
  private readonly qy: Float32Array;

  constructor(readonly capacity: number) {
    this.arena = new SimdArena(4 * capacity, 4);
    [this.px, this.py, this.qx, this.qy] = [0, 1, 2, 3].map(() => this.arena.alloc(capacity)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  }

  /** Σ exp(-c |p_i - q_j|²) for [m,2] p and [n,2] q; with `distinct` (p is q), over i < j only. */
  sum(p: ArrayLike<number>, q: ArrayLike<number>, c: number, distinct: boolean): number {
    const m = p.length / 2;
    const n = q.length / 2;
    if (m > this.capacity || n > this.capacity) throw new Error(`SimdGaussian holds ${this.capacity} points, not ${Math.max(m, n)}`);
    for (let i = 0; i < m; i++) {
      this.px[i] = p[2 * i]!;
      this.py[i] = p[2 * i + 1]!;
    }
    if (distinct) return this.arena.gaussianSum(this.px, this.py, m, this.px, this.py, m, c, true);
    for (let j = 0; j < n; j++) {
      this.qx[j] = q[2 * j]!;
      this.qy[j] = q[2 * j + 1]!;
    }
    return this.arena.gaussianSum(this.px, this.py, m, this.qx, this.qy, n, c, false);
  }
}
