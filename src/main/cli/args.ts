/** Parsing of the CLI's option values, with one-line errors that name the option. */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parsePointsCsv } from '../engine/datasets.js';
import { PHASES, type Phase } from '../engine/records.js';
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

export function phase(value: string): Phase {
  if (!(PHASES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${PHASES.join(', ')}, got "${value}"`);
  }
  return value as Phase;
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
