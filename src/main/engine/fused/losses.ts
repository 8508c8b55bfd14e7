/**
 * engine/losses.ts's losses on D's logits, each with its gradient with respect to every logit,
 * written in one pass. Cross-entropy is a sum of softplus terms, in the stable form
 * softplus(t) = max(t, 0) + log1p(exp(-|t|)); the log1p terms are summed as the log of their
 * product (one log per 256 terms instead of one per term).
 */
import type { LossKind } from '../losses.js';
import { fastExp } from './math.js';

export type FusedLossKind = Exclude<LossKind, 'wganGp'>;

/**
 * Σ softplus(sign * logits[i]) over [from, to); writes grad[i] = gradFactor * sigmoid(sign * logits[i])
 * (d softplus(t) / dt = sigmoid(t)). One exp per term: with e = exp(-|t|), sigmoid(t) is
 * 1 / (1 + e) for t >= 0 and e / (1 + e) below, chosen without a branch as h + (1 - h) e with
 * h = +(t >= 0) in {0, 1} (V8 turns it into a setcc).
 */
function softplusTerms(
  logits: Float32Array,
  from: number,
  to: number,
  sign: number,
  gradFactor: number,
  grad: Float32Array,
): number {
  let linear = 0;
  let logs = 0;
  let product = 1;
  for (let i = from; i < to; i++) {
    const t = sign * logits[i]!;
    const a = Math.abs(t);
    const e = fastExp(-a);
    const h = +(t >= 0);
    linear += 0.5 * (t + a);
    // Each factor is in (1, 2]: 256 of them stay far from overflow.
    product *= 1 + e;
    if (((i - from) & 255) === 255) {
      logs += Math.log(product);
      product = 1;
    }
    grad[i] = (gradFactor * (h + (1 - h) * e)) / (1 + e);
  }
  return linear + logs + Math.log(product);
}

/**
 * D's loss on logits [2n]: the first n of real samples, the next n of generated ones.
 * Writes d loss / d logit into grad[0, 2n) and returns the loss.
 */
export function discriminatorLossGrad(
  kind: FusedLossKind,
  logits: Float32Array,
  n: number,
  grad: Float32Array,
): number {
  const inv = 1 / n;
  switch (kind) {
    case 'nonSaturating':
    case 'minimax': {
      // mean(CE(r, 1)) + mean(CE(f, 0)) = mean(softplus(-r)) + mean(softplus(f))
      const real = softplusTerms(logits, 0, n, -1, -inv, grad);
      const fake = softplusTerms(logits, n, 2 * n, 1, inv, grad);
      return real * inv + fake * inv;
    }
    case 'leastSquares': {
      // 0.5 mean((r - 1)^2) + 0.5 mean(f^2)
      let real = 0;
      let fake = 0;
      for (let i = 0; i < n; i++) {
        const r = logits[i]! - 1;
        real += 0.5 * r * r;
        grad[i] = r * inv;
        const f = logits[n + i]!;
        fake += 0.5 * f * f;
        grad[n + i] = f * inv;
      }
      return real * inv + fake * inv;
    }
    case 'hinge': {
      // mean(relu(1 - r)) + mean(relu(1 + f)); relu's gradient at 0 is 0, as in tfjs
      let real = 0;
      let fake = 0;
      for (let i = 0; i < n; i++) {
        const r = 1 - logits[i]!;
        real += 0.5 * (r + Math.abs(r));
        grad[i] = r > 0 ? -inv : 0;
        const f = 1 + logits[n + i]!;
        fake += 0.5 * (f + Math.abs(f));
        grad[n + i] = f > 0 ? inv : 0;
      }
      return real * inv + fake * inv;
    }
  }
}

/** G's loss on D's logits [n] of generated samples; writes d loss / d logit into grad[0, n). */
export function generatorLossGrad(
  kind: FusedLossKind,
  logits: Float32Array,
  n: number,
  grad: Float32Array,
): number {
  const inv = 1 / n;
  switch (kind) {
    case 'nonSaturating':
      // mean(CE(f, 1)) = mean(softplus(-f))
      return softplusTerms(logits, 0, n, -1, -inv, grad) * inv;
    case 'minimax':
      // -mean(CE(f, 0)) = -mean(softplus(f))
      return -softplusTerms(logits, 0, n, 1, -inv, grad) * inv;
    case 'leastSquares': {
      // 0.5 mean((f - 1)^2)
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const f = logits[i]! - 1;
        sum += 0.5 * f * f;
        grad[i] = f * inv;
      }
      return sum * inv;
    }
    case 'hinge': {
      // -mean(f)
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += logits[i]!;
        grad[i] = -inv;
      }
      return -sum * inv;
    }
  }
}
