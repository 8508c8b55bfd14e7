/**
 * The run configuration: schema defaults, the two tutorial presets (SPEC.md, "Presets"), the
 * readable error messages, `--set` assignments and the layering preset <- file <- sets <- overrides.
 */
import { describe, expect, it } from 'vitest';
import { RunConfigSchema, type RunConfig } from '../src/shared/config.js';
import { PRESETS, PRESET_NAMES, isPresetName } from '../src/shared/presets.js';
import {
  ConfigError,
  applySet,
  mergeConfig,
  parseRunConfig,
  parseSetValue,
  presetInput,
  resolveRunConfig,
} from '../src/shared/validate.js';

/** The message of what `f` throws (fails the test if it does not throw). */
function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

const layer = (activation: string) => ({ units: 16, activation, alpha: 0.2, dropout: 0, batchNorm: false });

const ARTICLE: RunConfig = {
  dataset: { kind: 'quadratic', scale: 100, coefficients: { a: 1, b: 0, c: 10 } },
  noise: { dim: 2, distribution: 'uniform' },
  generator: { hidden: [layer('leakyRelu'), layer('leakyRelu')] },
  discriminator: { hidden: [layer('leakyRelu'), layer('leakyRelu')], featureWidth: 2 },
  loss: { kind: 'nonSaturating', gpWeight: 10 },
  optimizer: {
    generator: { kind: 'rmsprop', lr: 1e-3, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 },
    discriminator: { kind: 'rmsprop', lr: 1e-3, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 },
  },
  schedule: { iterations: 100_001, batchSize: 256, dSteps: 1, gSteps: 1, freshBatchPerStep: true },
  seed: 1,
  recording: { lossEvery: 10, snapshotEvery: 1000, checkpointEvery: 1000, samples: 512, heatmapResolution: 40, manifoldResolution: 20 },
} as RunConfig;

const PUBLISHED_CODE: RunConfig = {
  dataset: { kind: 'quadratic', scale: 100, coefficients: { a: 1, b: 0, c: 10 } },
  noise: { dim: 2, distribution: 'uniform' },
  generator: { hidden: [layer('tanh'), layer('tanh')] },
  discriminator: { hidden: [layer('tanh'), layer('tanh')], featureWidth: 2 },
  loss: { kind: 'nonSaturating', gpWeight: 10 },
  optimizer: {
    generator: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    discriminator: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  },
  schedule: { iterations: 10_001, batchSize: 256, dSteps: 50, gSteps: 50, freshBatchPerStep: false },
  seed: 1,
  // 'auto' at 10 001 iterations: every 100 and every 1, a superset of the tutorial's 1000/10 frames
  // (every 1000 would leave 11 snapshots, under the 20 below which New run warns)
  recording: { lossEvery: 1, snapshotEvery: 100, checkpointEvery: 1000, samples: 512, heatmapResolution: 40, manifoldResolution: 20 },
} as RunConfig;

describe('presets reproduce SPEC.md\'s table', () => {
  it('article: leaky ReLU 0.2, RMSProp 1e-3 (TF1 decay 0.9, eps 1e-10, accumulator 1), 1:1 fresh batches, 256, 100 001, 10, 1000', () => {
    expect(resolveRunConfig({ preset: 'article' })).toEqual(ARTICLE);
  });

  it('published-code: tanh, Adam 1e-3 (0.9, 0.999, eps 1e-8), 50:50 on one batch, 256, 10 001, recorded every 1 and 100 (auto)', () => {
    expect(resolveRunConfig({ preset: 'published-code' })).toEqual(PUBLISHED_CODE);
  });

  it('exactly the two presets are known, by name', () => {
    expect(PRESET_NAMES).toEqual(['article', 'published-code']);
    expect(isPresetName('article')).toBe(true);
    expect(isPresetName('toString')).toBe(false); // not fooled by Object.prototype
    expect(isPresetName('__proto__')).toBe(false);
  });

  it('an empty config takes the schema defaults, which are the article\'s TF1 set-up', () => {
    expect(parseRunConfig({})).toEqual(ARTICLE);
  });

  it('presetInput hands out a copy: editing it does not change the preset', () => {
    const p = presetInput('article') as { schedule: { batchSize: number } };
    p.schedule.batchSize = 3;
    expect(PRESETS.article.schedule.batchSize).toBe(256);
    expect(resolveRunConfig({ preset: 'article' }).schedule.batchSize).toBe(256);
  });

  it('an unknown preset is refused with a message listing the known ones', () => {
    const e = errorOf(() => resolveRunConfig({ preset: 'artcle' }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe('unknown preset "artcle" (known: article, published-code)');
  });
});

describe('schema defaults follow TensorFlow 1, not TensorFlow.js', () => {
  it('rmsprop: decay 0.9, momentum 0, epsilon 1e-10, accumulator starting at 1', () => {
    const c = parseRunConfig({ optimizer: { generator: { kind: 'rmsprop' } } });
    expect(c.optimizer.generator).toEqual({ kind: 'rmsprop', lr: 1e-3, decay: 0.9, momentum: 0, epsilon: 1e-10, initialAccumulator: 1 });
  });

  it('adam: epsilon 1e-8 (tfjs defaults to 1e-7)', () => {
    const c = parseRunConfig({ optimizer: { discriminator: { kind: 'adam' } } });
    expect(c.optimizer.discriminator).toEqual({ kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it('a hidden layer given only its width is leaky ReLU 0.2 without dropout or batch norm', () => {
    const c = parseRunConfig({ generator: { hidden: [{ units: 8 }] } });
    expect(c.generator.hidden).toEqual([{ units: 8, activation: 'leakyRelu', alpha: 0.2, dropout: 0, batchNorm: false }]);
  });

  it('each data set kind completes with its SPEC defaults (ring: 8 modes, std 0.01; grid: 5x5, std 0.05; two-curves mirrored)', () => {
    expect(parseRunConfig({ dataset: { kind: 'ring' } }).dataset).toEqual({ kind: 'ring', modes: 8, radius: 1, std: 0.01 });
    expect(parseRunConfig({ dataset: { kind: 'grid' } }).dataset).toEqual({ kind: 'grid', side: 5, spacing: 2, std: 0.05 });
    expect(parseRunConfig({ dataset: { kind: 'two-curves' } }).dataset).toEqual({
      kind: 'two-curves',
      scale: 100,
      curve1: { a: 1, b: 0, c: 10 },
      curve2: { a: -1, b: 0, c: 2510 },
    });
  });
});

describe('validation messages name the field and the reason', () => {
  it('an unknown top-level key', () => {
    const e = errorOf(() => parseRunConfig({ foo: 1 }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.name).toBe('ConfigError');
    expect(e.message).toBe('invalid configuration: foo: unknown field');
  });

  it('an unknown nested key is named by its full path (schedule.batchSzie)', () => {
    const e = errorOf(() => resolveRunConfig({ preset: 'article', sets: ['schedule.batchSzie=128'] }));
    expect(e.message).toBe('invalid configuration: schedule.batchSzie: unknown field');
  });

  it('an unknown key inside a list element is named with its index (generator.hidden.0.unitz)', () => {
    const e = errorOf(() => resolveRunConfig({ preset: 'article', sets: ['generator.hidden.0.unitz=3'] }));
    expect(e.message).toBe('invalid configuration: generator.hidden.0.unitz: unknown field');
  });

  it('an unknown key inside a variant (optimizer.generator.betaOne) is named by its full path', () => {
    const e = errorOf(() => parseRunConfig({ optimizer: { generator: { kind: 'adam', betaOne: 0.5 } } }));
    expect(e.message).toContain('optimizer.generator.betaOne: unknown field');
  });

  it('several unknown keys in one object are all named', () => {
    const e = errorOf(() => parseRunConfig({ schedule: { a: 1, b: 2 } }));
    expect(e.message).toContain('schedule.a');
    expect(e.message).toContain('schedule.b');
    expect(e.message).toContain('unknown field');
  });

  it('a wrong type names the path, then the field in words and what it takes', () => {
    const e = errorOf(() => parseRunConfig({ schedule: { batchSize: 'abc' } }));
    expect(e.message).toBe('invalid configuration: schedule.batchSize: Batch size must be a number');
  });

  it('a non-integer, a value out of range and an unknown enum value each name their path', () => {
    expect(errorOf(() => parseRunConfig({ schedule: { batchSize: 1.5 } })).message).toMatch(/schedule\.batchSize: Batch size must be a whole number from 1 to 65 536$/);
    expect(errorOf(() => parseRunConfig({ schedule: { batchSize: 0 } })).message).toMatch(/schedule\.batchSize: /);
    expect(errorOf(() => parseRunConfig({ discriminator: { hidden: [{ units: 4, activation: 'swish' }] } })).message).toMatch(
      /discriminator\.hidden\.0\.activation: .*leakyRelu/,
    );
    expect(errorOf(() => parseRunConfig({ generator: { hidden: [{ units: 4, dropout: 1 }] } })).message).toMatch(
      /generator\.hidden\.0\.dropout: /,
    );
    expect(errorOf(() => parseRunConfig({ seed: -1 })).message).toMatch(/seed: /);
    expect(errorOf(() => parseRunConfig({ recording: { heatmapResolution: 3 } })).message).toMatch(/recording\.heatmapResolution: /);
  });

  it('an unknown variant kind names the path and lists the valid kinds', () => {
    const e = errorOf(() => parseRunConfig({ dataset: { kind: 'spiral' } }));
    expect(e.message).toMatch(/dataset\.kind: /);
    expect(e.message).toContain('ring');
  });

  it('several problems are reported together, separated by "; ", with no zod internals', () => {
    const e = errorOf(() => parseRunConfig({ seed: 'x', schedule: { batchSize: -1 } }));
    expect(e.message.split('; ')).toHaveLength(2);
    expect(e.message).not.toMatch(/Zod|\[\s*\{|"code"/);
  });
});

describe('applySet (--set path=value)', () => {
  it('parses numbers, booleans, null, JSON arrays and objects; anything else is a plain string', () => {
    expect(parseSetValue('128')).toBe(128);
    expect(parseSetValue('1e-4')).toBe(1e-4);
    expect(parseSetValue('-0.5')).toBe(-0.5);
    expect(parseSetValue('true')).toBe(true);
    expect(parseSetValue('false')).toBe(false);
    expect(parseSetValue('null')).toBe(null);
    expect(parseSetValue('[1,2]')).toEqual([1, 2]);
    expect(parseSetValue('{"kind":"ring"}')).toEqual({ kind: 'ring' });
    expect(parseSetValue('"quoted"')).toBe('quoted');
    expect(parseSetValue('tanh')).toBe('tanh');
    expect(parseSetValue('10 + x^2')).toBe('10 + x^2');
    expect(parseSetValue('')).toBe('');
  });

  it('sets a nested leaf and creates missing parents', () => {
    expect(applySet({}, 'schedule.batchSize=128')).toEqual({ schedule: { batchSize: 128 } });
    expect(applySet({ schedule: { iterations: 5 } }, 'schedule.freshBatchPerStep=false')).toEqual({
      schedule: { iterations: 5, freshBatchPerStep: false },
    });
    expect(applySet({}, 'name=my run')).toEqual({ name: 'my run' });
  });

  it('keeps everything after the first "=" as the value', () => {
    expect(applySet({}, 'dataset.expression=a=b')).toEqual({ dataset: { expression: 'a=b' } });
  });

  it('sets JSON arrays and objects as whole values', () => {
    expect(applySet({}, 'dataset.centers=[[0,0],[1,1]]')).toEqual({ dataset: { centers: [[0, 0], [1, 1]] } });
    expect(applySet({ dataset: { kind: 'quadratic', scale: 5 } }, 'dataset={"kind":"ring","modes":4}')).toEqual({
      dataset: { kind: 'ring', modes: 4 },
    });
  });

  it('indexes into lists (generator.hidden.0.units=32) and creates a list for a numeric segment', () => {
    const base = presetInput('article');
    const out = applySet(base, 'generator.hidden.0.units=32');
    const hidden = (out.generator as { hidden: Array<{ units: number }> }).hidden;
    expect(hidden).toHaveLength(2);
    expect(hidden[0]!.units).toBe(32);
    expect(hidden[1]!.units).toBe(16);
    expect(applySet({}, 'a.0.b=1')).toEqual({ a: [{ b: 1 }] });
    expect(resolveRunConfig({ preset: 'article', sets: ['generator.hidden.1.activation=tanh'] }).generator.hidden[1]!.activation).toBe('tanh');
  });

  it('refuses a name where a list needs an index', () => {
    expect(() => applySet({ a: [1] }, 'a.x=1')).toThrow(/a\.x is a list; use an index/);
    expect(() => applySet({ a: [{}] }, 'a.x.y=1')).toThrow(/a\.x is a list; use an index/);
  });

  it('does not modify its input', () => {
    const base = { schedule: { batchSize: 64 }, generator: { hidden: [{ units: 4 }] } };
    const copy = structuredClone(base);
    applySet(base, 'schedule.batchSize=1');
    applySet(base, 'generator.hidden.0.units=9');
    expect(base).toEqual(copy);
  });

  it('refuses __proto__, constructor and prototype segments and pollutes nothing', () => {
    for (const a of ['__proto__.polluted=1', 'a.__proto__.polluted=1', 'constructor.prototype.polluted=1', 'a.prototype=1']) {
      const e = errorOf(() => applySet({}, a));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe(`--set "${a}": bad field path`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses malformed assignments with a message quoting them', () => {
    expect(() => applySet({}, 'schedule.batchSize')).toThrow('--set "schedule.batchSize": expected path=value');
    expect(() => applySet({}, '=5')).toThrow('--set "=5": expected path=value');
    for (const a of ['a..b=1', '.a=1', 'a.=1']) {
      expect(() => applySet({}, a)).toThrow(`--set "${a}": bad field path`);
    }
  });

  it('a value that parses as JSON of the wrong type is reported by the schema (name=123 is a number)', () => {
    // Documents the behaviour: a numeric-looking string needs JSON quotes (name="123").
    expect(errorOf(() => resolveRunConfig({ sets: ['name=123'] })).message).toBe('invalid configuration: name: Run name must be text, not a number');
    expect(resolveRunConfig({ sets: ['name="123"'] }).name).toBe('123');
  });
});

describe('layering: preset <- file <- sets <- overrides', () => {
  it('later sources win, field by field, and untouched fields survive', () => {
    const c = resolveRunConfig({
      preset: 'published-code',
      file: { schedule: { batchSize: 128, iterations: 50 }, recording: { lossEvery: 3 }, seed: 9 },
      sets: ['schedule.batchSize=64', 'seed=11'],
      overrides: { schedule: { iterations: 7 }, seed: 12 },
    });
    expect(c.schedule).toEqual({ iterations: 7, batchSize: 64, dSteps: 50, gSteps: 50, freshBatchPerStep: false });
    expect(c.recording.lossEvery).toBe(3);
    // left to auto by the preset: resolved from the 7 iterations
    expect(c.recording.snapshotEvery).toBe(1);
    expect(c.seed).toBe(12);
    expect(c.optimizer.generator.kind).toBe('adam');
  });

  it('sets apply in order: the last assignment to a path wins', () => {
    expect(resolveRunConfig({ sets: ['seed=3', 'seed=4'] }).seed).toBe(4);
  });

  it('mergeConfig replaces arrays instead of merging them element by element', () => {
    const c = resolveRunConfig({ preset: 'article', file: { generator: { hidden: [{ units: 8, activation: 'relu' }] } } });
    expect(c.generator.hidden).toEqual([{ units: 8, activation: 'relu', alpha: 0.2, dropout: 0, batchNorm: false }]);
  });

  it('mergeConfig: a file switching a variant\'s kind does not inherit the old variant\'s fields', () => {
    const c = resolveRunConfig({ preset: 'article', file: { dataset: { kind: 'ring' }, optimizer: { generator: { kind: 'sgd', lr: 0.1 } } } });
    expect(c.dataset).toEqual({ kind: 'ring', modes: 8, radius: 1, std: 0.01 });
    expect(c.optimizer.generator).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0 });
    expect(c.optimizer.discriminator.kind).toBe('rmsprop');
  });

  it('mergeConfig: the same kind (or no kind) merges field by field', () => {
    const base = { dataset: { kind: 'quadratic', scale: 100, coefficients: { a: 2 } } };
    expect(mergeConfig(base, { dataset: { kind: 'quadratic', coefficients: { c: 5 } } })).toEqual({
      dataset: { kind: 'quadratic', scale: 100, coefficients: { a: 2, c: 5 } },
    });
    expect(mergeConfig(base, { dataset: { scale: 3 } })).toEqual({ dataset: { kind: 'quadratic', scale: 3, coefficients: { a: 2 } } });
  });

  it('a whole-object --set switches the variant cleanly (dataset={"kind":"ring"})', () => {
    expect(resolveRunConfig({ preset: 'article', sets: ['dataset={"kind":"ring"}'] }).dataset).toEqual({
      kind: 'ring',
      modes: 8,
      radius: 1,
      std: 0.01,
    });
  });

  it('--set optimizer.generator.kind=adam on the article works: the preset sets only lr, which Adam shares', () => {
    const c = resolveRunConfig({ preset: 'article', sets: ['optimizer.generator.kind=adam'] });
    expect(c.optimizer.generator).toEqual({ kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it('--set dataset.kind=ring starts the ring from its defaults: the quadratic preset\'s fields do not leak', () => {
    const c = resolveRunConfig({ preset: 'article', sets: ['dataset.kind=ring'] });
    expect(c.dataset).toEqual({ kind: 'ring', modes: 8, radius: 1, std: 0.01 });
  });

  it('--set of a variant\'s fields after its kind applies them; setting the same kind again keeps the fields', () => {
    expect(resolveRunConfig({ preset: 'article', sets: ['dataset.kind=ring', 'dataset.modes=4'] }).dataset).toEqual({
      kind: 'ring',
      modes: 4,
      radius: 1,
      std: 0.01,
    });
    expect(resolveRunConfig({ preset: 'article', sets: ['dataset.scale=20', 'dataset.kind=quadratic'] }).dataset).toEqual({
      kind: 'quadratic',
      scale: 20,
      coefficients: { a: 1, b: 0, c: 10 },
    });
  });

  it('--set optimizer.discriminator.kind=sgd on the published code drops Adam\'s fields', () => {
    const c = resolveRunConfig({ preset: 'published-code', file: { optimizer: { discriminator: { kind: 'adam', beta1: 0.5 } } }, sets: ['optimizer.discriminator.kind=sgd'] });
    expect(c.optimizer.discriminator).toEqual({ kind: 'sgd', lr: 0.01, momentum: 0 });
  });

  it('every preset and every layering result is accepted by the schema itself', () => {
    for (const name of PRESET_NAMES) expect(RunConfigSchema.safeParse(PRESETS[name]).success).toBe(true);
  });
});
