/**
 * engine/optimizers.ts's TensorFlow 1 updates over a network's packed parameters: one loop over
 * every parameter of the network per update. Slots are packed the same way as the parameters.
 */
import type { OptimizerConfig } from '../../../shared/config.js';

export class FusedOptimizer {
  /** Number of updates applied (Adam's t). */
  step = 0;
  /** Slot arrays by slot name (engine/optimizers.ts's names), each laid out like the parameters. */
  readonly slots: Map<string, Float32Array>;
  private readonly first: Float32Array;
  private readonly second: Float32Array;

  constructor(
    /** The tfjs optimizer's name (`optG`, `optD`): part of every slot's key. */
    readonly name: string,
    readonly config: OptimizerConfig,
    size: number,
  ) {
    const slot = (init: number) => new Float32Array(size).fill(init);
    this.slots = new Map();
    switch (config.kind) {
      case 'sgd':
        if (config.momentum > 0) this.slots.set('momentum', slot(0));
        break;
      case 'adam':
        this.slots.set('m', slot(0));
        this.slots.set('v', slot(0));
        break;
      case 'rmsprop':
        this.slots.set('ms', slot(config.initialAccumulator));
        if (config.momentum > 0) this.slots.set('mom', slot(0));
        break;
    }
    const arrays = [...this.slots.values()];
    const empty = new Float32Array(0);
    this.first = arrays[0] ?? empty;
    this.second = arrays[1] ?? empty;
  }

  /**
   * Slot variables by the keys the tfjs Optimizer gives them (`<variable key>.<name>.<slot>`), in
   * its order: variable by variable, each variable's slots in creation order.
   */
  named(variables: Array<[string, Float32Array]>): Array<[string, Float32Array]> {
    const out: Array<[string, Float32Array]> = [];
    let offset = 0;
    for (const [key, v] of variables) {
      for (const [slot, array] of this.slots) out.push([`${key}.${this.name}.${slot}`, array.subarray(offset, offset + v.length)]);
      offset += v.length;
    }
    return out;
  }

  /** One update of `params` by `grads` (same layout). */
  apply(params: Float32Array, grads: Float32Array): void {
    this.step += 1;
    const c = this.config;
    const n = params.length;
    switch (c.kind) {
      case 'sgd': {
        const lr = c.lr;
        if (c.momentum > 0) {
          const acc = this.first;
          const mu = c.momentum;
          for (let i = 0; i < n; i++) {
            const a = mu * acc[i]! + grads[i]!;
            acc[i] = a;
            params[i] = params[i]! - lr * Math.fround(a);
          }
        } else {
          for (let i = 0; i < n; i++) params[i] = params[i]! - lr * grads[i]!;
        }
        return;
      }
      case 'adam': {
        const m = this.first;
        const v = this.second;
        const b1 = c.beta1;
        const b2 = c.beta2;
        const c1 = 1 - b1;
        const c2 = 1 - b2;
        const eps = c.epsilon;
        // The bias correction folded into the rate, in double precision, as engine/optimizers.ts.
        const rate = (c.lr * Math.sqrt(1 - b2 ** this.step)) / (1 - b1 ** this.step);
        for (let i = 0; i < n; i++) {
          const g = grads[i]!;
          const mi = Math.fround(b1 * m[i]! + c1 * g);
          const vi = Math.fround(b2 * v[i]! + c2 * g * g);
          m[i] = mi;
          v[i] = vi;
          params[i] = params[i]! - (rate * mi) / (Math.sqrt(vi) + eps);
        }
        return;
      }
      case 'rmsprop': {
        const ms = this.first;
        const decay = c.decay;
        const c1 = 1 - decay;
        const lr = c.lr;
        const eps = c.epsilon;
        if (c.momentum > 0) {
          const mom = this.second;
          const mu = c.momentum;
          for (let i = 0; i < n; i++) {
            const g = grads[i]!;
            const s = Math.fround(decay * ms[i]! + c1 * g * g);
            ms[i] = s;
            const a = Math.fround(mu * mom[i]! + (lr * g) / Math.sqrt(s + eps));
            mom[i] = a;
            params[i] = params[i]! - a;
          }
        } else {
          for (let i = 0; i < n; i++) {
            const g = grads[i]!;
            const s = Math.fround(decay * ms[i]! + c1 * g * g);
            ms[i] = s;
            params[i] = params[i]! - (lr * g) / Math.sqrt(s + eps);
          }
        }
        return;
      }
    }
  }
}
