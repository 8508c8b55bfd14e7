/** Run names that say preset, data set and seed, and never repeat a name that is taken. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/shared/validate.js';
import { openStore } from '../src/main/store/index.js';
import { createRun, requireRun, UserError } from '../src/main/service/runs.js';
import { createSweep } from '../src/main/service/sweep.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const store = openStore(path.join(dir, 'names.db'));
afterAll(() => store.close());
const config = (preset: 'article' | 'published-code', seed = 1) => resolveRunConfig({ preset, overrides: { seed, schedule: { iterations: 10 } } });

describe('auto names', () => {
  it('say the preset, the data set and the seed, so the two presets differ', () => {
    const a = createRun(store, config('article'), undefined, { preset: 'article' });
    const p = createRun(store, config('published-code'), undefined, { preset: 'published-code' });
    expect(a.name).toBe('article · quadratic · seed 1');
    expect(p.name).toBe('published-code · quadratic · seed 1');
    expect(a.preset).toBe('article');
    expect(p.preset).toBe('published-code');
  });

  it('leave the preset out when there is none', () => {
    const r = createRun(store, config('article', 7));
    expect(r.name).toBe('quadratic · seed 7');
    expect(r.preset).toBeNull();
  });

  it('get " (2)", " (3)" when the name is taken, auto or given', () => {
    expect(createRun(store, config('article'), undefined, { preset: 'article' }).name).toBe('article · quadratic · seed 1 (2)');
    expect(createRun(store, config('article'), undefined, { preset: 'article' }).name).toBe('article · quadratic · seed 1 (3)');
    expect(createRun(store, config('article'), 'mine').name).toBe('mine');
    expect(createRun(store, config('article'), 'mine').name).toBe('mine (2)');
  });

  it('a sweep names each member by preset, data set and seed, under one sweep id', () => {
    const { sweepId, runs } = createSweep(store, config('published-code'), [4, 5], undefined, 'published-code');
    expect(runs.map((r) => [r.name, r.preset, r.sweepId])).toEqual([
      ['published-code · quadratic · seed 4', 'published-code', sweepId],
      ['published-code · quadratic · seed 5', 'published-code', sweepId],
    ]);
    // the same sweep again does not reuse the names
    expect(createSweep(store, config('published-code'), [4, 5], undefined, 'published-code').runs.map((r) => r.name)).toEqual([
      'published-code · quadratic · seed 4 (2)',
      'published-code · quadratic · seed 5 (2)',
    ]);
  });
});

describe('finding a run by name', () => {
  it('refuses a name two runs share, listing the candidates', () => {
    const first = store.createRun({ name: 'twin', config: config('article'), seed: 1, iterationsPlanned: 10, appVersion: 't' });
    const second = store.createRun({ name: 'twin', config: config('article'), seed: 1, iterationsPlanned: 10, appVersion: 't' });
    expect(() => requireRun(store, 'twin')).toThrow(UserError);
    let message = '';
    try {
      requireRun(store, 'twin');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('2 runs are named "twin"');
    expect(message).toMatch(new RegExp(`run ${second.id}: created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d, created\\n  run ${first.id}: created `));
    // by id it is still found
    expect(requireRun(store, String(first.id)).id).toBe(first.id);
  });
});
