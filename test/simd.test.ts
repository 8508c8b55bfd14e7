/**
 * The WebAssembly SIMD kernels agree with the TypeScript tiles they stand in for, on every shape
 * class the tiles handle (16-wide blocks, 4-wide blocks, leftover columns, odd row counts, narrow
 * output layers), and the committed binary is what kernels/simd.ts compiles to.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACT_ELU, ACT_LEAKY, ACT_LINEAR, ACT_SIGMOID, ACT_TANH, activationGradInPlace, derivativeCoefficients } from '../src/main/engine/fused/activations.js';
import { denseForward } from '../src/main/engine/fused/matmul.js';
import { SimdArena, simdAvailable } from '../src/main/engine/fused/simd.js';
import { gemmTN } from '../src/main/engine/fused/weight-grads.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 1073741824 - 1;
  });
}

function expectClose(actual: Float32Array, expected: Float32Array) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst).toBeLessThan(1e-5);
}

const SHAPES: Array<[rows: number, k: number, u: number]> = [
  [256, 2, 16],
  [512, 16, 16],
  [257, 16, 2],
  [255, 16, 1],
  [7, 3, 5],
  [9, 17, 20],
  [1, 4, 4],
  [33, 5, 3],
];

describe('WebAssembly SIMD kernels', () => {
  it('are available here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdAvailable()).toBe(true);
  });

  it.each(SHAPES)('dense: %i rows, %i -> %i, as the TypeScript tiles (leaky ReLU and linear)', (rows, k, u) => {
    for (const [act, alpha] of [[ACT_LEAKY, 0.2], [ACT_LINEAR, 0]] as const) {
      const x = random(rows * k, 1);
      const w = random(k * u, 2);
      const b = random(u, 3);
      const expected = new Float32Array(rows * u);
      denseForward(x, w, b, expected, rows, k, u, act, alpha);
      const arena = new SimdArena(rows * k + k * u + u + rows * u, 4);
      const [ax, aw, ab, ay] = [arena.alloc(rows * k), arena.alloc(k * u), arena.alloc(u), arena.alloc(rows * u)];
      ax.set(x);
      aw.set(w);
      ab.set(b);
      const p = act === ACT_LEAKY ? 0.5 * (1 + alpha) : 1;
      const q = act === ACT_LEAKY ? 0.5 * (1 - alpha) : 0;
      arena.dense(ax, aw, ab, ay, rows, k, u, p, q);
      expectClose(ay, expected);
    }
  });

  it.each(SHAPES)('gemmTN: %i rows, X %i wide, dY %i wide, as the TypeScript tiles', (rows, k, u) => {
    const x = random(rows * k, 4);
    const dy = random(rows * u, 5);
    const expected = new Float32Array(k * u);
    gemmTN(x, dy, expected, rows, k, u);
    const arena = new SimdArena(rows * k + rows * u + k * u, 3);
    const [ax, ady, adw] = [arena.alloc(rows * k), arena.alloc(rows * u), arena.alloc(k * u)];
    ax.set(x);
    ady.set(dy);
    arena.gemmTN(ax, ady, adw, rows, k, u);
    expectClose(adw, expected);
  });

  it.each([[ACT_LEAKY, 0.2], [ACT_TANH, 0], [ACT_SIGMOID, 0], [ACT_ELU, 0], [ACT_LINEAR, 0]])('gradAct: activation %i, as activationGradInPlace', (act, alpha) => {
    const n = 1027;
    const g = random(n, 6);
    const y = random(n, 7);
    y[3] = 0; // exactly 0: leaky ReLU's derivative is alpha there, as in tfjs
    const expected = g.slice();
    const d = derivativeCoefficients(act, alpha);
    activationGradInPlace(expected, y, 0, n, d);
    const arena = new SimdArena(2 * n, 2);
    const [ag, ay] = [arena.alloc(n), arena.alloc(n)];
    ag.set(g);
    ay.set(y);
    arena.gradAct(ag, ay, n, d);
    expectClose(ag, expected);
  });

  it('refuses to hand out more than it was sized for', () => {
    // 8 floats and one region's alignment slack (16 bytes): a further 5 floats do not fit.
    const arena = new SimdArena(8, 1);
    arena.alloc(8);
    expect(() => arena.alloc(5)).toThrow(/overflow/);
  });

  it('the committed binary is current with kernels/simd.ts', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-kernels.mjs'), '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/current/);
  }, 60_000);
});
