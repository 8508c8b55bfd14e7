/**
 * Validation speaks to people (issue 10, item 8): every refused value is named in words with what
 * it allows — "Batch size must be a whole number from 1 to 65 536", "Seed must be a number",
 * "Points: at least 2 points are needed" — and the same words reach config.check (the form), the
 * CLI (resolveRunConfig, as `--set` uses it) and request payloads (dataset.preview).
 */
import { describe, expect, it } from 'vitest';
import { allowedNumbers, fieldAt, readableNumber } from '../src/shared/config-messages.js';
import { ApiError } from '../src/shared/contract.js';
import { checkRunConfig, fieldErrors, resolveRunConfig } from '../src/shared/validate.js';
import { dispatch, type Handlers } from '../src/main/service/handlers.js';
import { z } from 'zod';

/** config.check's answer for `config`: each problem's path and message. */
function problems(config: unknown): Array<{ path: string; message: string }> {
  const r = checkRunConfig(config);
  if (r.success) throw new Error(`accepted: ${JSON.stringify(config)}`);
  return fieldErrors(r.error);
}
const only = (config: unknown) => {
  const p = problems(config);
  expect(p).toHaveLength(1);
  return p[0]!;
};

describe('numbers', () => {
  it('too big: the field in words and its whole range', () => {
    expect(only({ schedule: { batchSize: 100_000 } })).toEqual({ path: 'schedule.batchSize', message: 'Batch size must be a whole number from 1 to 65 536' });
    expect(only({ schedule: { iterations: 1e9 } }).message).toBe('Iterations must be a whole number from 1 to 100 000 000');
    expect(only({ recording: { heatmapResolution: 500 } }).message).toBe('Heatmap resolution must be a whole number from 4 to 200');
  });

  it('too small, and bounds that exclude their end', () => {
    expect(only({ seed: -1 }).message).toBe('Seed must be a whole number from 0 to 2 147 483 647');
    expect(only({ dataset: { kind: 'ring', std: 0 } })).toEqual({ path: 'dataset.std', message: 'Standard deviation must be a number greater than 0' });
    expect(only({ optimizer: { generator: { kind: 'adam', beta1: 1 } } })).toEqual({
      path: 'optimizer.generator.beta1',
      message: 'Generator β₁ must be a number at least 0 and less than 1',
    });
    expect(only({ loss: { gpWeight: -1 } }).message).toBe('Gradient-penalty weight must be a number at least 0');
  });

  it('null, empty or text: "must be a number", not "expected number, received null"', () => {
    expect(only({ seed: null })).toEqual({ path: 'seed', message: 'Seed must be a number' });
    expect(only({ schedule: { batchSize: '12abc' } }).message).toBe('Batch size must be a number');
    expect(only({ generator: { hidden: [{ units: null }] } })).toEqual({ path: 'generator.hidden.0.units', message: 'Generator layer 1: units must be a number' });
  });

  it('not whole: the whole-number range', () => {
    expect(only({ seed: 1.5 }).message).toBe('Seed must be a whole number from 0 to 2 147 483 647');
    expect(only({ discriminator: { hidden: [{ units: 16 }, { units: 2.5 }] } }).message).toBe('Discriminator layer 2: units must be a whole number from 1 to 4096');
  });

  it("recording intervals say that 'auto' is allowed", () => {
    expect(only({ recording: { snapshotEvery: 0 } })).toEqual({ path: 'recording.snapshotEvery', message: 'Snapshot interval must be auto or a whole number from 1 to 10 000 000' });
    expect(only({ recording: { lossEvery: null } }).message).toBe('Loss interval must be auto or a whole number from 1 to 1 000 000');
    expect(only({ recording: { lossEvery: 2.5 } }).message).toBe('Loss interval must be auto or a whole number from 1 to 1 000 000');
  });
});

describe('lists, choices, text and unknown keys', () => {
  it('too-short and too-long lists count what is needed', () => {
    expect(only({ dataset: { kind: 'points', points: [[1, 2]] } })).toEqual({ path: 'dataset.points', message: 'Points: at least 2 points are needed' });
    expect(only({ dataset: { kind: 'disjoint', centers: [] } }).message).toBe('Centres: at least 1 centre is needed');
    expect(only({ generator: { hidden: Array.from({ length: 33 }, () => ({ units: 2 })) } }).message).toBe('Generator layers: at most 32 layers can be used');
  });

  it('a point is named by its number and coordinate', () => {
    expect(only({ dataset: { kind: 'points', points: [[1, 2], [3]] } })).toEqual({ path: 'dataset.points.1', message: 'Point 2 must be a pair of numbers [x, y]' });
    expect(only({ dataset: { kind: 'points', points: [[1, 2], [3, null]] } })).toEqual({ path: 'dataset.points.1.1', message: 'Point 2 y must be a number' });
    expect(only({ dataset: { kind: 'line', from: [null, 1] } }).message).toBe('Line start x must be a number');
  });

  it('an unknown choice lists the choices', () => {
    expect(only({ dataset: { kind: 'spiral' } }).message).toBe(
      'Data set kind must be one of quadratic, two-curves, formula, ring, grid, line, two-gaussians, disjoint, points',
    );
    expect(only({ noise: { distribution: 'cauchy' } }).message).toBe('Noise distribution must be one of uniform, normal');
  });

  it('text and true/false fields', () => {
    expect(only({ dataset: { kind: 'formula', expression: '' } }).message).toBe('The formula y = f(x) must not be empty');
    expect(only({ name: 'x'.repeat(201) }).message).toBe('Run name must be at most 200 characters long');
    expect(only({ schedule: { freshBatchPerStep: 'yes' } }).message).toBe('Fresh batch per step must be true or false');
  });

  it('every unknown key is reported at its own path as an unknown field', () => {
    expect(problems({ foo: 1, schedule: { a: 1, b: 2 } })).toEqual([
      { path: 'schedule.a', message: 'unknown field' },
      { path: 'schedule.b', message: 'unknown field' },
      { path: 'foo', message: 'unknown field' },
    ]);
  });

  it('no message anywhere reads like zod', () => {
    const all = problems({
      seed: null,
      schedule: { batchSize: 1e9, iterations: 1.5, dSteps: 'x' },
      dataset: { kind: 'points', points: [[1, 2]] },
      recording: { snapshotEvery: 0, samples: -1 },
      generator: { hidden: [{ units: 0, activation: 'swish', dropout: 1 }] },
    });
    expect(all.length).toBe(10);
    for (const { message } of all) {
      expect(message).not.toMatch(/expected|received|Too (big|small)|Invalid|>=|<=/);
      expect(message).toMatch(/^[A-Z]/);
    }
  });
});

describe('one set of words for every way in', () => {
  it('the CLI (resolveRunConfig from --set) names the path and then the field in words', () => {
    expect(() => resolveRunConfig({ preset: 'article', sets: ['schedule.batchSize=100000', 'seed=null'] })).toThrow(
      'invalid configuration: schedule.batchSize: Batch size must be a whole number from 1 to 65 536; seed: Seed must be a number',
    );
  });

  it('dataset.preview refuses a data set with the same words (no "Too small: expected array")', async () => {
    // Refused by the contract before any handler runs, so no handlers are needed.
    const err = await dispatch({} as Handlers, 'dataset.preview', { dataset: { kind: 'points', points: [[1, 2]] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('dataset.preview: dataset.points: Points: at least 2 points are needed');
  });

  it('fields no person types keep zod\'s wording, so a transport error still says what was wrong', async () => {
    const err = await dispatch({} as Handlers, 'runs.get', { runId: 'one' }).catch((e: unknown) => e);
    expect((err as ApiError).message).toMatch(/^runs\.get: runId: .*expected number/);
  });
});

describe('the pieces', () => {
  it('ranges are read from the schema, so a changed bound changes its message', () => {
    expect(allowedNumbers(z.int().min(1).max(65_536))).toBe('a whole number from 1 to 65 536');
    expect(allowedNumbers(z.int().min(0))).toBe('a whole number of at least 0');
    expect(allowedNumbers(z.int())).toBe('a whole number');
    expect(allowedNumbers(z.number().min(0).max(1))).toBe('a number from 0 to 1');
    expect(allowedNumbers(z.number().positive())).toBe('a number greater than 0');
    expect(allowedNumbers(z.number())).toBe('a number');
  });

  it('large whole numbers are grouped by thousands; small ones and fractions are not', () => {
    expect([65_536, 4096, 2 ** 31 - 1, 0.001, -20_000].map(readableNumber)).toEqual(['65 536', '4096', '2 147 483 647', '0.001', '-20 000']);
  });

  it('labels fill in list indexes from 1 and coordinates as x / y; unlabelled paths have none', () => {
    expect(fieldAt(['generator', 'hidden', 2, 'units'])?.label).toBe('Generator layer 3: units');
    expect(fieldAt(['dataset', 'centers', 1, 0])?.label).toBe('Centre 2 x');
    expect(fieldAt(['runId'])).toBeNull();
  });
});
