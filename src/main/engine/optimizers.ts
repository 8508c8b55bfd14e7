/**
 * Optimizers written out as TensorFlow 1 defines them (docs/spec-notes.md): TensorFlow.js's built-ins differ
 * in small ways that change the tutorial's numbers (RMSProp's accumulator starts at 0 there and
 * its epsilon sits outside the square root; Adam's epsilon defaults to 1e-7). Every slot is a
 * named variable so a checkpoint restores the optimizer exactly.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../shared/config.js';
import { variableFrom, variableKey } from './model.js';

export class Optimizer {
  /** Number of updates applied (Adam's t). */
  step = 0;
  private readonly slots: Array<Record<string, tf.Variable>>;

  constructor(
    readonly name: string,
    readonly config: OptimizerConfig,
    private readonly vars: tf.Variable[],
  ) {
    this.slots = vars.map((v): Record<string, tf.Variable> => {
      const slot = (key: string, init: number) =>
        variableFrom(tf.fill(v.shape, init), false, `${v.name}.${name}.${key}`);
      switch (config.kind) {
        case 'sgd':
          return config.momentum > 0 ? { momentum: slot('momentum', 0) } : {};
        case 'adam':
          return { m: slot('m', 0), v: slot('v', 0) };
        case 'rmsprop':
          return {
            ms: slot('ms', config.initialAccumulator),
            ...(config.momentum > 0 ? { mom: slot('mom', 0) } : {}),
          };
      }
    });
  }

  /** Applies one update; grads[i] belongs to vars[i]. */
  apply(grads: tf.Tensor[]): void {
    this.step += 1;
    const c = this.config;
    // Adam's bias correction in double precision, folded into the rate as TensorFlow 1 does.
    const adamRate =
      c.kind === 'adam' ? (c.lr * Math.sqrt(1 - c.beta2 ** this.step)) / (1 - c.beta1 ** this.step) : 0;
    tf.tidy(() => {
      this.vars.forEach((w, i) => {
        const g = grads[i]!;
        const s = this.slots[i]!;
        switch (c.kind) {
          case 'sgd': {
            if (s.momentum) {
              s.momentum.assign(tf.add(tf.mul(s.momentum, c.momentum), g));
              w.assign(tf.sub(w, tf.mul(s.momentum, c.lr)));
            } else w.assign(tf.sub(w, tf.mul(g, c.lr)));
            break;
          }
          case 'adam': {
            s.m!.assign(tf.add(tf.mul(s.m!, c.beta1), tf.mul(g, 1 - c.beta1)));
            s.v!.assign(tf.add(tf.mul(s.v!, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
            w.assign(tf.sub(w, tf.div(tf.mul(s.m!, adamRate), tf.add(tf.sqrt(s.v!), c.epsilon))));
            break;
          }
          case 'rmsprop': {
            s.ms!.assign(tf.add(tf.mul(s.ms!, c.decay), tf.mul(tf.square(g), 1 - c.decay)));
            const update = tf.div(tf.mul(g, c.lr), tf.sqrt(tf.add(s.ms!, c.epsilon)));
            if (s.mom) {
              s.mom.assign(tf.add(tf.mul(s.mom, c.momentum), update));
              w.assign(tf.sub(w, s.mom));
            } else w.assign(tf.sub(w, update));
            break;
          }
        }
      });
    });
  }

  /** Slot variables by stable name, for checkpoints. */
  get named(): Array<[string, tf.Variable]> {
    return this.slots.flatMap((s) => Object.values(s).map((v) => [variableKey(v), v] as [string, tf.Variable]));
  }

  dispose(): void {
    for (const s of this.slots) for (const v of Object.values(s)) v.dispose();
  }
}
