/**
 * Activations applied in place to a layer's output rows, and their derivatives applied to the
 * gradient flowing back, computed from the layer's *output* y (as tfjs's own gradients for tanh,
 * sigmoid and elu are; for leaky ReLU and ReLU, y > 0 exactly when x > 0).
 */
import type { LayerConfig } from '../../../shared/config.js';
import { fastExp, fastTanh } from './math.js';

export const ACT_LINEAR = 0;
/** Leaky ReLU; ReLU is leaky ReLU with alpha 0. */
export const ACT_LEAKY = 1;
export const ACT_TANH = 2;
export const ACT_SIGMOID = 3;
export const ACT_ELU = 4;

export function activationCode(activation: LayerConfig['activation']): number {
  switch (activation) {
    case 'linear':
      return ACT_LINEAR;
    case 'leakyRelu':
    case 'relu':
      return ACT_LEAKY;
    case 'tanh':
      return ACT_TANH;
    case 'sigmoid':
      return ACT_SIGMOID;
    case 'elu':
      return ACT_ELU;
  }
}

/** The slope below zero the code ACT_LEAKY uses for this layer. */
export function leakySlope(layer: Pick<LayerConfig, 'activation' | 'alpha'>): number {
  return layer.activation === 'relu' ? 0 : layer.alpha;
}

/**
 * y = f(y) on y[from, to) for the smooth activations (tanh, sigmoid, elu); the piecewise-linear
 * ones are applied inside the matmul tiles (matmul.ts). Elu is written without a branch,
 * max(y, 0) + expm1(min(y, 0)) with max and min as (y ± |y|) / 2: activation signs are close to
 * random, and a mispredicted branch per element costs as much as the formula.
 */
export function activateInPlace(y: Float32Array, from: number, to: number, act: number): void {
  switch (act) {
    case ACT_TANH:
      for (let i = from; i < to; i++) y[i] = fastTanh(y[i]!);
      return;
    case ACT_SIGMOID:
      for (let i = from; i < to; i++) y[i] = 1 / (1 + fastExp(-y[i]!));
      return;
    case ACT_ELU:
      for (let i = from; i < to; i++) {
        const s = y[i]!;
        const a = Math.abs(s);
        y[i] = 0.5 * (s + a) + (fastExp(0.5 * (s - a)) - 1);
      }
      return;
  }
}

/**
 * Every supported derivative, written as one expression of the layer's output y:
 *   f'(x) = c0 + c1 [y > 0] + c2 y + c3 y² + c4 |y|
 * leaky ReLU: alpha + (1 - alpha) [y > 0] (tfjs's `x > 0 ? 1 : alpha`: alpha at exactly 0; for
 * ReLU alpha is 0); tanh: 1 - y²; sigmoid: y - y²; elu: 1 + (y - |y|) / 2, i.e. 1 where y >= 0 and
 * y + 1 below (tfjs's EluGrad); linear: 1. One branch-free expression lets the product with the
 * incoming gradient be fused into the matmul that computes it; V8 turns +(y > 0) into a setcc.
 */
export interface DerivativeCoefficients {
  c0: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
}

export function derivativeCoefficients(act: number, alpha: number): DerivativeCoefficients {
  switch (act) {
    case ACT_LEAKY:
      return { c0: alpha, c1: 1 - alpha, c2: 0, c3: 0, c4: 0 };
    case ACT_TANH:
      return { c0: 1, c1: 0, c2: 0, c3: -1, c4: 0 };
    case ACT_SIGMOID:
      return { c0: 0, c1: 0, c2: 1, c3: -1, c4: 0 };
    case ACT_ELU:
      return { c0: 1, c1: 0, c2: 0.5, c3: 0, c4: -0.5 };
    default:
      return { c0: 1, c1: 0, c2: 0, c3: 0, c4: 0 };
  }
}

/** g *= f'(x) on g[from, to), from the layer's outputs y (see DerivativeCoefficients). */
export function activationGradInPlace(g: Float32Array, y: Float32Array, from: number, to: number, d: DerivativeCoefficients): void {
  const k0 = d.c0;
  const k1 = d.c1;
  const k2 = d.c2;
  const k3 = d.c3;
  const k4 = d.c4;
  for (let i = from; i < to; i++) {
    const v = y[i]!;
    g[i] = g[i]! * (k0 + k1 * +(v > 0) + v * (k2 + k3 * v) + k4 * Math.abs(v));
  }
}
