/**
 * Checkpoints (engine/checkpoint.ts) and resuming a Trainer from one (engine/trainer.ts): the byte
 * format round-trips bit for bit, and a resumed run continues exactly as the original would have.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../src/main/engine/backend.js';
import { decodeState, encodeState, type TrainerState } from '../src/main/engine/checkpoint.js';
import type { IterationResult } from '../src/main/engine/trainer.js';
import { Trainer } from '../src/main/engine/trainer.js';
import { Rng } from '../src/main/engine/rng.js';
import type { RunConfig } from '../src/shared/config.js';
import { resolveRunConfig } from '../src/shared/validate.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const nanWithPayload = () => {
  const a = new Float32Array(1);
  new Uint32Array(a.buffer)[0] = 0x7fc0_1234;
  return a[0]!;
};

function state(names: string[]): TrainerState {
  const rng = new Rng('state');
  rng.next();
  const special = Float32Array.of(0, -0, 1, -1.5, Infinity, -Infinity, NaN, 1e-45, 3.4028234663852886e38, Math.fround(Math.PI));
  const arrays = names.map((name, i) => {
    const n = [0, 1, 6, 10, 7][i % 5]!;
    const data = new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = i % 5 === 3 ? special[k]! : Math.fround(Math.sin(i * 31 + k) * 10 ** ((k % 7) - 3));
    if (i === 4) new Uint32Array(data.buffer)[2] = 0x7fc0_1234; // a NaN with a payload
    const shape = n === 6 ? [2, 3] : [n];
    return { name, shape, data };
  });
  return { iteration: 17, rng: rng.state(), optimizerSteps: { generator: 5, discriminator: 250 }, arrays };
}

function expectSameState(a: TrainerState, b: TrainerState): void {
  expect(b.iteration).toBe(a.iteration);
  expect(b.rng).toEqual(a.rng);
  expect(b.optimizerSteps).toEqual(a.optimizerSteps);
  expect(b.arrays.map((x) => [x.name, x.shape])).toEqual(a.arrays.map((x) => [x.name, x.shape]));
  b.arrays.forEach((x, i) => expect(bits(x.data)).toEqual(bits(a.arrays[i]!.data)));
}

describe('the checkpoint byte format', () => {
  it('round-trips bit for bit: -0, ±Infinity, NaN payloads, denormals, empty arrays', () => {
    expect(Number.isNaN(nanWithPayload())).toBe(true);
    const s = state(['G.0.kernel', 'G.0.bias', 'D.0.kernel', 'special', 'payload']);
    expectSameState(s, decodeState(encodeState(s)));
  });

  it('keeps the floats 4-byte aligned whatever the header length (all four residues of the JSON length)', () => {
    const residues = new Set<number>();
    for (let extra = 0; extra < 8; extra++) {
      const s = state(['a'.repeat(1 + extra), 'bb', 'ccc', 'special', 'payload']);
      const bytes = encodeState(s);
      const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
      residues.add(jsonLength % 4);
      const floats = s.arrays.reduce((n, a) => n + a.data.length, 0);
      const headerBytes = bytes.length - 4 * floats;
      expect(headerBytes % 4).toBe(0);
      expect(headerBytes).toBeGreaterThanOrEqual(8 + jsonLength);
      expect(headerBytes).toBeLessThan(8 + jsonLength + 4);
      expectSameState(s, decodeState(bytes));
    }
    expect(residues).toEqual(new Set([0, 1, 2, 3]));
  });

  it('decodes from a view at an odd offset into a larger buffer (as a database blob may be)', () => {
    const s = state(['x', 'yy', 'zzz', 'special', 'payload']);
    const bytes = encodeState(s);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    expectSameState(s, decodeState(big.subarray(1, 1 + bytes.length)));
  });

  it('decoded arrays own their memory: changing one does not change another or the bytes', () => {
    const s = state(['a', 'b', 'c', 'special', 'payload']);
    const bytes = encodeState(s);
    const d = decodeState(bytes);
    d.arrays[2]!.data.fill(0);
    expectSameState(s, decodeState(bytes));
    expect(bits(d.arrays[3]!.data)).toEqual(bits(s.arrays[3]!.data));
  });

  it('starts with the magic "GLCK" (little-endian 0x4b434c47)', () => {
    const bytes = encodeState(state(['a']));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x47, 0x4c, 0x43, 0x4b]);
  });

  it('refuses bytes without the magic, and input too short to hold it', () => {
    const bytes = encodeState(state(['a', 'b']));
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeState(bad)).toThrow('checkpoint: not a GAN Lab checkpoint');
    expect(() => decodeState(new Uint8Array(0))).toThrow('checkpoint: not a GAN Lab checkpoint');
    expect(() => decodeState(bytes.subarray(0, 5))).toThrow('checkpoint: not a GAN Lab checkpoint');
    expect(() => decodeState(new TextEncoder().encode('{"format":1}'))).toThrow('checkpoint: not a GAN Lab checkpoint');
  });

  it('refuses a format it does not know, naming it', () => {
    const json = new TextEncoder().encode(JSON.stringify({ format: 2, iteration: 0, rng: {}, optimizerSteps: {}, arrays: [] }));
    const bytes = new Uint8Array(8 + json.length + 3);
    new DataView(bytes.buffer).setUint32(0, 0x4b43_4c47, true);
    new DataView(bytes.buffer).setUint32(4, json.length, true);
    bytes.set(json, 8);
    expect(() => decodeState(bytes)).toThrow('checkpoint: format 2 is not supported');
  });

  it('refuses a truncated checkpoint instead of decoding short arrays', () => {
    const bytes = encodeState(state(['a', 'b', 'c']));
    for (const cut of [3, 4, 12]) {
      expect(() => decodeState(bytes.subarray(0, bytes.length - cut))).toThrow(/checkpoint/);
    }
  });
});

const TINY = [
  'schedule.batchSize=32',
  'schedule.iterations=20',
  'recording.snapshotEvery=5',
  'recording.lossEvery=1',
  'recording.checkpointEvery=7',
  'recording.samples=64',
  'recording.heatmapResolution=8',
  'recording.manifoldResolution=4',
];
const tiny = (preset: string, sets: string[] = []): RunConfig => resolveRunConfig({ preset, sets: [...TINY, ...sets] });

const CONFIGS: Array<[string, RunConfig]> = [
  ['article (RMSProp, a fresh batch every step)', tiny('article')],
  [
    'published-code style (Adam, 2:3 steps on one batch) with dropout and batch norm, normal noise',
    tiny('published-code', [
      'schedule.dSteps=2',
      'schedule.gSteps=3',
      'noise.distribution=normal',
      'noise.dim=3',
      'dataset={"kind":"ring"}',
      'discriminator.hidden.0.dropout=0.25',
      'discriminator.hidden.0.batchNorm=true',
      'generator.hidden.1.batchNorm=true',
      'generator.hidden.0.dropout=0.1',
    ]),
  ],
];

/** What an iteration produced, in a form toEqual compares exactly (NaN-safe, bit-level for arrays). */
function summary(r: IterationResult) {
  return {
    iteration: r.iteration,
    dLoss: r.dLoss,
    gLoss: r.gLoss,
    losses: r.losses,
    snapshot: r.snapshot && {
      iteration: r.snapshot.iteration,
      metrics: r.snapshot.metrics,
      arrays: r.snapshot.arrays.map((a) => ({ name: a.name, shape: a.shape, bits: bits(a.data) })),
    },
    checkpoint: r.checkpoint && { iteration: r.checkpoint.iteration, bytes: Array.from(r.checkpoint.state) },
  };
}

describe.each(['cpu', 'wasm'] as BackendName[])('resuming a Trainer on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each(CONFIGS)('%s: a run resumed from the iteration-7 checkpoint continues bit for bit', (_name, config) => {
    const original = new Trainer(config);
    let checkpoint: Uint8Array | undefined;
    for (let i = 0; i < 7; i++) {
      const r = original.runIteration();
      if (i < 6) expect(r.checkpoint).toBeUndefined();
      else checkpoint = r.checkpoint?.state;
    }
    expect(checkpoint).toBeDefined();
    expect(decodeState(checkpoint!).iteration).toBe(7);

    const resumed = new Trainer(config, { state: checkpoint! });
    expect(resumed.iteration).toBe(7);
    const a: ReturnType<typeof summary>[] = [];
    const b: ReturnType<typeof summary>[] = [];
    while (original.iteration < 20) a.push(summary(original.runIteration()));
    while (resumed.iteration < 20) b.push(summary(resumed.runIteration()));
    original.dispose();
    resumed.dispose();

    expect(b.map((r) => r.iteration)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    // Losses are identical numbers, not merely close.
    expect(b.map((r) => [r.dLoss, r.gLoss])).toEqual(a.map((r) => [r.dLoss, r.gLoss]));
    // Snapshots at 10, 15 and the last iteration 19; checkpoints after 14 and at the end (20).
    expect(b.filter((r) => r.snapshot).map((r) => r.iteration)).toEqual([10, 15, 19]);
    expect(b.filter((r) => r.checkpoint).map((r) => r.checkpoint!.iteration)).toEqual([14, 20]);
    expect(b).toEqual(a);
  });

  it('a checkpoint records the iteration, both optimizers\' step counts and every variable by stable name', () => {
    const config = tiny('article', ['optimizer.generator={"kind":"adam"}']);
    const t = new Trainer(config);
    let bytes: Uint8Array | undefined;
    for (let i = 0; i < 7; i++) bytes = t.runIteration().checkpoint?.state ?? bytes;
    t.dispose();
    const s = decodeState(bytes!);
    expect(s.iteration).toBe(7);
    expect(s.optimizerSteps).toEqual({ generator: 7, discriminator: 7 });
    const names = s.arrays.map((a) => a.name);
    expect(names).toContain('G.0.kernel');
    expect(names).toContain('D.logit.0.bias');
    expect(names).toContain('G.2.bias.optG.v');
    expect(names).toContain('D.2.kernel.optD.ms');
    expect(names.some((n) => n.includes('/'))).toBe(false); // no process-specific scope
    expect(new Set(names).size).toBe(names.length);
    // 354 + 357 weights, Adam's 2 x 354 slots, RMSProp's 357.
    expect(s.arrays.reduce((n, a) => n + a.data.length, 0)).toBe(354 + 357 + 2 * 354 + 357);
  });
});

describe('restoring into a different configuration (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  function checkpointOf(config: RunConfig): Uint8Array {
    const t = new Trainer(config);
    const r = t.checkpoint();
    t.dispose();
    return r.state;
  }

  it('a checkpoint of other layer widths is refused, naming the first variable that differs', () => {
    const bytes = checkpointOf(tiny('article'));
    expect(() => new Trainer(tiny('article', ['generator.hidden.0.units=8']))).not.toThrow();
    expect(() => new Trainer(tiny('article', ['generator.hidden.0.units=8']), { state: bytes })).toThrow(
      'checkpoint does not match this configuration (variable G.0.kernel)',
    );
    expect(() => new Trainer(tiny('article', ['discriminator.featureWidth=5']), { state: bytes })).toThrow(
      'checkpoint does not match this configuration (variable D.2.kernel)',
    );
  });

  it('a checkpoint with fewer layers, or of another optimizer kind, is refused', () => {
    const bytes = checkpointOf(tiny('article'));
    expect(() =>
      new Trainer(tiny('article', ['generator.hidden=[{"units":16},{"units":16},{"units":16}]']), { state: bytes }),
    ).toThrow(/checkpoint does not match this configuration \(variable G\.[23]\.kernel\)/);
    expect(() => new Trainer(tiny('article', ['optimizer.discriminator={"kind":"adam"}']), { state: bytes })).toThrow(
      /checkpoint does not match this configuration \((unexpected )?variable D\.0\.kernel\.optD\./,
    );
  });

  it('a checkpoint holding variables this configuration lacks is refused too (batch norm, optimizer momentum, Adam moments)', () => {
    // Otherwise weights trained with batch norm (or an optimizer's running state) are silently
    // used without it.
    const cases: Array<[string[], string[]]> = [
      [['discriminator.hidden.0.batchNorm=true'], []],
      [['optimizer.generator={"kind":"rmsprop","momentum":0.5}'], []],
      [['optimizer.generator={"kind":"adam"}'], ['optimizer.generator={"kind":"sgd"}']],
    ];
    const accepted: string[] = [];
    for (const [from, to] of cases) {
      const bytes = checkpointOf(tiny('article', from));
      try {
        new Trainer(tiny('article', to), { state: bytes }).dispose();
        accepted.push(`${from.join(' ')} -> ${to.join(' ') || 'article'}`);
      } catch (e) {
        expect((e as Error).message).toMatch(/checkpoint does not match this configuration/);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('a corrupt checkpoint is refused with the decoder\'s message', () => {
    expect(() => new Trainer(tiny('article'), { state: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) })).toThrow(
      'checkpoint: not a GAN Lab checkpoint',
    );
  });
});
