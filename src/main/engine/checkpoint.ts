/**
 * A trainer's whole state as one byte string: a JSON header (iteration, random state, optimizer
 * step counts, each array's name, shape and offset) followed by the raw float32 values. Float32
 * bytes round-trip exactly, so a resumed run continues bit for bit.
 */
import type { RngState } from './rng.js';

export interface TrainerState {
  /** Iterations completed. */
  iteration: number;
  rng: RngState;
  optimizerSteps: { generator: number; discriminator: number };
  arrays: Array<{ name: string; shape: number[]; data: Float32Array }>;
}

const MAGIC = 0x4b43_4c47; // "GLCK"
const FORMAT = 1;

interface Header {
  format: number;
  iteration: number;
  rng: RngState;
  optimizerSteps: TrainerState['optimizerSteps'];
  arrays: Array<{ name: string; shape: number[]; offset: number; length: number }>;
}

export function encodeState(state: TrainerState): Uint8Array {
  let offset = 0;
  const arrays = state.arrays.map((a) => {
    const entry = { name: a.name, shape: a.shape, offset, length: a.data.length };
    offset += a.data.length;
    return entry;
  });
  const header: Header = { format: FORMAT, iteration: state.iteration, rng: state.rng, optimizerSteps: state.optimizerSteps, arrays };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil((8 + json.length) / 4) * 4; // keeps the floats 4-byte aligned
  const out = new Uint8Array(headerBytes + offset * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  const floats = new Float32Array(out.buffer, headerBytes, offset);
  state.arrays.forEach((a, i) => floats.set(a.data, arrays[i]!.offset));
  return out;
}

export function decodeState(bytes: Uint8Array): TrainerState {
  const copy = new Uint8Array(bytes); // own, aligned buffer
  const view = new DataView(copy.buffer);
  if (copy.length < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('checkpoint: not a GAN Lab checkpoint');
  const jsonLength = view.getUint32(4, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(copy.subarray(8, 8 + jsonLength))) as Header;
  } catch {
    throw new Error('checkpoint: truncated or corrupt (unreadable header)');
  }
  if (header.format !== FORMAT) throw new Error(`checkpoint: format ${header.format} is not supported`);
  const headerBytes = Math.ceil((8 + jsonLength) / 4) * 4;
  const payload = copy.length - headerBytes;
  const count = payload / 4;
  if (payload < 0 || payload % 4 !== 0 || header.arrays.some((a) => a.offset + a.length > count)) {
    throw new Error('checkpoint: truncated or corrupt');
  }
  const floats = new Float32Array(copy.buffer, headerBytes, count);
  return {
    iteration: header.iteration,
    rng: header.rng,
    optimizerSteps: header.optimizerSteps,
    arrays: header.arrays.map((a) => ({ name: a.name, shape: a.shape, data: floats.slice(a.offset, a.offset + a.length) })),
  };
}
