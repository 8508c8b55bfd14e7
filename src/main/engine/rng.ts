/**
 * Every random draw of a run flows from its seed through these streams, so the same config and
 * seed give the same history, and a checkpoint can carry the exact random state.
 * seedrandom's Alea: small, fast, and its state can be saved and restored exactly.
 */
import seedrandom from 'seedrandom';

export type RngState = seedrandom.State.Alea;

export class Rng {
  private readonly prng: seedrandom.StatefulPRNG<RngState>;

  constructor(seed: string, state?: RngState) {
    this.prng = seedrandom.alea(seed, { state: state ?? true });
  }

  /** Uniform in [0, 1). */
  readonly next = (): number => this.prng();

  /** n floats uniform in [lo, hi). */
  uniform(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    const span = hi - lo;
    for (let i = 0; i < n; i++) out[i] = lo + span * this.prng();
    return out;
  }

  /** n floats from N(0, 1), Box–Muller on pairs of uniforms. */
  normal(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - this.prng(); // (0, 1]: log never sees 0
      const u2 = this.prng();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return out;
  }

  /** A 31-bit integer, used to seed tfjs ops that take a seed (dropout). */
  int31(): number {
    return Math.floor(this.prng() * 2147483647);
  }

  state(): RngState {
    return this.prng.state();
  }
}

/** The independent streams of one run. */
export function runStreams(seed: number) {
  return {
    /** Weight initialisation. */
    init: new Rng(`${seed}:init`),
    /** Training batches, noise, dropout and penalty draws: the one stream a checkpoint saves. */
    train: new Rng(`${seed}:train`),
    /** Fixed evaluation sets, drawn once (and drawn again identically on resume). */
    evaluation: new Rng(`${seed}:eval`),
  };
}

/** n noise vectors [n, dim]: U[-1, 1] (the tutorial's) or N(0, 1), as the config says. */
export function drawNoise(noise: { dim: number; distribution: 'uniform' | 'normal' }, n: number, rng: Rng): Float32Array {
  return noise.distribution === 'uniform' ? rng.uniform(n * noise.dim, -1, 1) : rng.normal(n * noise.dim);
}
