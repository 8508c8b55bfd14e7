/**
 * A stack of dense layers whose parameters live in one Float32Array (each kernel [fanIn, units]
 * row-major, then its bias, layer after layer) with gradients laid out the same way, so an
 * optimizer update is a single loop. Activation and gradient buffers are allocated once per
 * batch size and reused. Where WebAssembly SIMD is available the products run in simd.ts's
 * kernels on buffers in the network's arena; otherwise in the TypeScript tiles.
 */
import { ACT_LEAKY, ACT_LINEAR, activateInPlace, activationGradInPlace, derivativeCoefficients, type DerivativeCoefficients } from './activations.js';
import { denseInputGrad } from './input-grad.js';
import { denseForward, transpose } from './matmul.js';
import { SimdArena, simdAvailable } from './simd.js';
import { colSums, gemmTN } from './weight-grads.js';

/** The SIMD path's arena and its scratch: the staged input and input gradient, one layer's weights. */
interface SimdBuffers {
  arena: SimdArena;
  stageIn: Float32Array;
  stageInDelta: Float32Array;
  w: Float32Array;
  b: Float32Array;
  zero: Float32Array;
  dw: Float32Array;
}

/** y = p s + q |s| covers leaky ReLU and linear in the kernel; other activations follow in place. */
function kernelActivation(layer: FusedLayerSpec): { p: number; q: number; after: boolean } {
  if (layer.act === ACT_LEAKY) return { p: 0.5 * (1 + layer.alpha), q: 0.5 * (1 - layer.alpha), after: false };
  return { p: 1, q: 0, after: layer.act !== ACT_LINEAR };
}

export interface FusedLayerSpec {
  /** Stable key prefix of the layer's variables, e.g. `G.0` or `D.logit.0`. */
  key: string;
  units: number;
  /** An activation code from activations.ts. */
  act: number;
  alpha: number;
}

export interface FusedLayer extends FusedLayerSpec {
  inDim: number;
  w: Float32Array;
  b: Float32Array;
  dw: Float32Array;
  db: Float32Array;
  /** Wᵀ [units, inDim], refreshed for each input-gradient pass. */
  wt: Float32Array;
  /** The activation's derivative as a function of the layer's output. */
  derivative: DerivativeCoefficients;
}

export class FusedMlp {
  /** The network's input has no activation: its "derivative" is 1. */
  private static readonly identity = derivativeCoefficients(ACT_LINEAR, 0);
  readonly layers: FusedLayer[];
  readonly params: Float32Array;
  readonly grads: Float32Array;
  /** Row capacity of the buffers below. */
  private capacity = 0;
  /** Output of each layer (after its activation), [capacity, units]. */
  acts: Float32Array[] = [];
  /** Gradient with respect to each layer's output, then (in place) its pre-activation. */
  deltas: Float32Array[] = [];
  private simd: SimdBuffers | null = null;

  constructor(
    readonly inputDim: number,
    specs: FusedLayerSpec[],
  ) {
    let size = 0;
    let fanIn = inputDim;
    for (const s of specs) {
      size += fanIn * s.units + s.units;
      fanIn = s.units;
    }
    this.params = new Float32Array(size);
    this.grads = new Float32Array(size);
    let offset = 0;
    fanIn = inputDim;
    this.layers = specs.map((s) => {
      const wLen = fanIn * s.units;
      const layer: FusedLayer = {
        ...s,
        inDim: fanIn,
        w: this.params.subarray(offset, offset + wLen),
        b: this.params.subarray(offset + wLen, offset + wLen + s.units),
        dw: this.grads.subarray(offset, offset + wLen),
        db: this.grads.subarray(offset + wLen, offset + wLen + s.units),
        wt: new Float32Array(wLen),
        derivative: derivativeCoefficients(s.act, s.alpha),
      };
      offset += wLen + s.units;
      fanIn = s.units;
      return layer;
    });
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  /** Variables by stable key (`<layer key>.kernel`, `.bias`) with their views into `params`. */
  variables(): Array<[string, Float32Array]> {
    const arrays = this.params;
    const out: Array<[string, Float32Array]> = [];
    let offset = 0;
    for (const l of this.layers) {
      const wLen = l.inDim * l.units;
      out.push([`${l.key}.kernel`, arrays.subarray(offset, offset + wLen)]);
      out.push([`${l.key}.bias`, arrays.subarray(offset + wLen, offset + wLen + l.units)]);
      offset += wLen + l.units;
    }
    return out;
  }

  /** Makes the buffers hold at least `rows` rows (allocates only when they grow). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    if (simdAvailable()) {
      const maxW = Math.max(...this.layers.map((l) => l.inDim * l.units));
      const maxU = Math.max(this.inputDim, ...this.layers.map((l) => l.units));
      const units = this.layers.reduce((sum, l) => sum + l.units, 0);
      const arena = new SimdArena(2 * rows * units + 2 * rows * this.inputDim + 2 * maxW + 2 * maxU, 2 * this.layers.length + 6);
      this.acts = this.layers.map((l) => arena.alloc(rows * l.units));
      this.deltas = this.layers.map((l) => arena.alloc(rows * l.units));
      this.simd = {
        arena,
        stageIn: arena.alloc(rows * this.inputDim),
        stageInDelta: arena.alloc(rows * this.inputDim),
        w: arena.alloc(maxW),
        b: arena.alloc(maxU),
        zero: arena.alloc(maxU),
        dw: arena.alloc(maxW),
      };
      return;
    }
    this.acts = this.layers.map((l) => new Float32Array(rows * l.units));
    this.deltas = this.layers.map((l) => new Float32Array(rows * l.units));
  }

  /** `input`'s first rows, inside the arena (staged by copy when it lives elsewhere). */
  private staged(s: SimdBuffers, input: Float32Array, rows: number): Float32Array {
    if (s.arena.owns(input)) return input;
    const n = rows * this.inputDim;
    s.stageIn.set(input.subarray(0, n));
    return s.stageIn;
  }

  get output(): Float32Array {
    return this.acts[this.acts.length - 1]!;
  }

  /** The gradient the caller fills with d loss / d output before `backward`. */
  get outputDelta(): Float32Array {
    return this.deltas[this.deltas.length - 1]!;
  }

  /** Runs `rows` rows of `input` [rows, inputDim] through the layers; the result is `output`. */
  forward(input: Float32Array, rows: number): Float32Array {
    const layers = this.layers;
    const s = this.simd;
    if (s) {
      let x = this.staged(s, input, rows);
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l]!;
        const y = this.acts[l]!;
        const w = s.w.subarray(0, layer.w.length);
        const b = s.b.subarray(0, layer.units);
        w.set(layer.w);
        b.set(layer.b);
        const { p, q, after } = kernelActivation(layer);
        s.arena.dense(x, w, b, y, rows, layer.inDim, layer.units, p, q);
        if (after) activateInPlace(y, 0, rows * layer.units, layer.act);
        x = y;
      }
      return x;
    }
    let x = input;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      const y = this.acts[l]!;
      denseForward(x, layer.w, layer.b, y, rows, layer.inDim, layer.units, layer.act, layer.alpha);
      x = y;
    }
    return x;
  }

  /**
   * Back-propagates `outputDelta` (rows of it) through the layers of the last `forward` on
   * `input`: fills `grads` when `weightGrads`, and the gradient with respect to the input into
   * `inputDelta` [rows, inputDim] when given.
   */
  backward(input: Float32Array, rows: number, weightGrads: boolean, inputDelta: Float32Array | null): void {
    const layers = this.layers;
    const top = layers.length - 1;
    const topLayer = layers[top]!;
    if (this.simd) {
      this.backwardSimd(this.simd, input, rows, weightGrads, inputDelta);
      return;
    }
    if (topLayer.act !== ACT_LINEAR) activationGradInPlace(this.deltas[top]!, this.acts[top]!, 0, rows * topLayer.units, topLayer.derivative);
    for (let l = top; l >= 0; l--) {
      // deltas[l] is now d loss / d pre-activation of layer l.
      const layer = layers[l]!;
      const u = layer.units;
      const k = layer.inDim;
      const dy = this.deltas[l]!;
      const x = l > 0 ? this.acts[l - 1]! : input;
      if (weightGrads) {
        gemmTN(x, dy, layer.dw, rows, k, u);
        colSums(dy, layer.db, rows, u);
      }
      if (l > 0 || inputDelta) transpose(layer.w, layer.wt, k, u);
      if (l > 0) {
        // dX = dY · Wᵀ, times the derivative of the layer below's activation.
        denseInputGrad(dy, layer.wt, this.deltas[l - 1]!, rows, u, k, layers[l - 1]!.derivative, x);
      } else if (inputDelta) {
        denseInputGrad(dy, layer.wt, inputDelta, rows, u, k, FusedMlp.identity, x);
      }
    }
  }

  /** `backward` on the SIMD kernels: dW = Xᵀ dY, and dX = dY Wᵀ then the derivative in place. */
  private backwardSimd(s: SimdBuffers, input: Float32Array, rows: number, weightGrads: boolean, inputDelta: Float32Array | null): void {
    const layers = this.layers;
    const x0 = this.staged(s, input, rows);
    const top = layers[layers.length - 1]!;
    if (top.act !== ACT_LINEAR) s.arena.gradAct(this.deltas[layers.length - 1]!, this.acts[layers.length - 1]!, rows * top.units, top.derivative);
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l]!;
      const u = layer.units;
      const k = layer.inDim;
      const dy = this.deltas[l]!;
      const x = l > 0 ? this.acts[l - 1]! : x0;
      if (weightGrads) {
        const dw = s.dw.subarray(0, k * u);
        s.arena.gemmTN(x, dy, dw, rows, k, u);
        layer.dw.set(dw);
        // Bias sums stay in doubles, as tfjs sums: the D loss's real and generated halves can
        // cancel almost exactly, and Adam turns float32 rounding left over into a full step.
        colSums(dy, layer.db, rows, u);
      }
      if (l === 0 && !inputDelta) continue;
      transpose(layer.w, layer.wt, k, u);
      const wt = s.w.subarray(0, k * u);
      wt.set(layer.wt);
      const zero = s.zero.subarray(0, k);
      if (l > 0) {
        const below = this.deltas[l - 1]!;
        s.arena.dense(dy, wt, zero, below, rows, u, k, 1, 0);
        s.arena.gradAct(below, this.acts[l - 1]!, rows * k, layers[l - 1]!.derivative);
      } else if (inputDelta) {
        const out = s.stageInDelta.subarray(0, rows * k);
        s.arena.dense(dy, wt, zero, out, rows, u, k, 1, 0);
        inputDelta.set(out);
      }
    }
  }
}
