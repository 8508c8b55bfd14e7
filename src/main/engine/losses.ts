/**
 * GAN losses on D's logits. Sigmoid cross-entropy is written with softplus, which is the
 * numerically stable form of -log(sigmoid(x)):  CE(x, 1) = softplus(-x),  CE(x, 0) = softplus(x).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../shared/config.js';

export type LossKind = RunConfig['loss']['kind'];

/** D's loss from its logits on a real and a generated batch (no gradient penalty: see trainer). */
export function discriminatorLoss(kind: LossKind, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'nonSaturating':
      case 'minimax':
        // mean(CE(r, 1) + CE(f, 0)), the tutorial's D loss
        return tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))) as tf.Scalar;
      case 'leastSquares':
        return tf.add(tf.mul(0.5, tf.mean(tf.square(tf.sub(real, 1)))), tf.mul(0.5, tf.mean(tf.square(fake)))) as tf.Scalar;
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
      case 'wganGp':
        return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
    }
  });
}

/** G's loss from D's logits on a generated batch. */
export function generatorLoss(kind: LossKind, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'nonSaturating':
        return tf.mean(tf.softplus(tf.neg(fake))) as tf.Scalar; // mean(CE(f, 1))
      case 'minimax':
        return tf.neg(tf.mean(tf.softplus(fake))) as tf.Scalar; // minimise log(1 - D(G(z))) = -CE(f, 0)
      case 'leastSquares':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fake, 1)))) as tf.Scalar;
      case 'hinge':
      case 'wganGp':
        return tf.neg(tf.mean(fake)) as tf.Scalar;
    }
  });
}

/** The loss values at which D and G are balanced (D(x) = 1/2 everywhere), where defined. */
export function balanceValues(kind: LossKind): { d: number; g: number } | undefined {
  switch (kind) {
    case 'nonSaturating':
      return { d: 2 * Math.LN2, g: Math.LN2 };
    case 'minimax':
      return { d: 2 * Math.LN2, g: -Math.LN2 };
    case 'leastSquares':
      return { d: 0.25, g: 0.125 };
    default:
      return undefined;
  }
}
