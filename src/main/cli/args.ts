/** Parsing of the CLI's option values, with one-line errors that name the option. */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { LayersSchema, type Layers } from '../../shared/figures/model.js';
import { parsePointsCsv } from '../engine/datasets.js';
import { UserError } from '../service/runs.js';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  }
  return n;
}

/** A parser for a number a contract field allows (its range and whether it is whole come from the schema). */
export function numberWithin(schema: { minValue: number | null; maxValue: number | null; isInt: boolean; safeParse(v: unknown): { success: boolean } }) {
  const what = `${schema.isInt ? 'a whole number' : 'a number'} from ${schema.minValue} to ${schema.maxValue}`;
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !schema.safeParse(n).success) throw new InvalidArgumentError(`expected ${what}, got "${value}"`);
    return n;
  };
}

/** A smoothing weight: 0 (none) up to, not including, 1. */
export function smoothingWeight(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a number from 0 up to 1 (e.g. 0.9), got "${value}"`);
  return n;
}

/** `heatmap,manifold,arrows` (any of them) as layers switched on. */
export function layerList(value: string): Partial<Layers> {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const known = Object.keys(LayersSchema.shape);
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0 || unknown.length) throw new InvalidArgumentError(`expected a comma-separated list of ${known.join(', ')}, got "${value}"`);
  return Object.fromEntries(names.map((n) => [n, true]));
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} "${file}"${code ? ` (${code})` : ''}`);
  }
}

export function readConfigFile(file: string): Record<string, unknown> {
  const text = readText(file, 'config file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`config file "${file}" is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`config file "${file}" must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function readPointsCsv(file: string): Array<[number, number]> {
  try {
    return parsePointsCsv(readText(file, 'points file'));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`points file "${file}": ${(err as Error).message}`);
  }
}
