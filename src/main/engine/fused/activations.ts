/**
 * Activations applied in place to a layer's output rows, and their derivatives applied in place to
 * the gradient flowing back, both computed from the layer's *output* y (as tfjs's own gradients
 * for tanh, sigmoid and elu are; for leaky ReLU and ReLU, y > 0 exactly when x > 0).
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
 * y = f(y) on y[from, to). Leaky ReLU is written without a branch, (1+a)/2 x + (1-a)/2 |x|:
 * activation signs are close to random, and a mispredicted branch per element costs more
 * than the whole formula.
 */
export function activateInPlace(y: Float32Array, from: number, to: number, act: number, alpha: number): void {
  switch (act) {
    case ACT_LEAKY: {
      const p = 0.5 * (1 + alpha);
      const q = 0.5 * (1 - alpha);
      for (let i = from; i < to; i++) {
        const s = y[i]!;
        y[i] = p * s + q * Math.abs(s);
      }
      return;
    }
    case ACT_TANH:
      for (let i = from; i < to; i++) y[i] = fastTanh(y[i]!);
      return;
    case ACT_SIGMOID:
      for (let i = from; i < to; i++) y[i] = 1 / (1 + fastExp(-y[i]!));
      return;
    case ACT_ELU:
      for (let i = from; i < to; i++) {
        const s = y[i]!;
        if (!(s > 0)) y[i] = fastExp(s) - 1;
      }
      return;
  }
}

/**
 * g *= f'(x) on g[0, len), from the outputs y (yBits: the same memory as int32). For leaky ReLU
 * the factor is 1 where y > 0 and alpha elsewhere (tfjs's `x > 0 ? 1 : alpha`, so alpha at
 * exactly 0); the test y > 0 is done on y's bits without a branch: for an int32 b, the sign bit
 * of (-b & ~b) is set exactly when b > 0, and a float32 is > 0 exactly when its bits are.
 */
export function activationGradInPlace(
  g: Float32Array,
  y: Float32Array,
  yBits: Int32Array,
  len: number,
  act: number,
  alpha: number,
): void {
  switch (act) {
    case ACT_LEAKY: {
      const rest = 1 - alpha;
      for (let i = 0; i < len; i++) {
        const b = yBits[i]!;
        g[i] = g[i]! * (alpha + rest * ((-b & ~b) >>> 31));
      }
      return;
    }
    case ACT_TANH:
      for (let i = 0; i < len; i++) {
        const v = y[i]!;
        g[i] = g[i]! * (1 - v * v);
      }
      return;
    case ACT_SIGMOID:
      for (let i = 0; i < len; i++) {
        const v = y[i]!;
        g[i] = g[i]! * (v * (1 - v));
      }
      return;
    case ACT_ELU:
      // tfjs's EluGrad: dy where y >= 0, dy * (y + 1) elsewhere.
      for (let i = 0; i < len; i++) {
        const v = y[i]!;
        if (v < 0) g[i] = g[i]! * (v + 1);
      }
      return;
  }
}
