/**
 * Turning what a person typed into a valid RunConfig, with messages that name the field's path
 * and say in words what it allows ("schedule.batchSize: Batch size must be a whole number from 1
 * to 65 536"; the words come from config-messages.ts), never a stack of zod internals.
 */
import { z } from 'zod';
import { configErrorMap } from './config-messages.js';
import { RunConfigSchema, type RunConfig } from './config.js';
import { PRESETS, PRESET_NAMES, isPresetName } from './presets.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function formatIssues(error: z.ZodError, root = '(config)'): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : root;
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => (issue.path.length ? `${path}.${k}` : k));
        return `${keys.join(', ')}: unknown field`;
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Each problem at its field's path, with a message that names the field (config.check, the form). */
export function fieldErrors(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: [...path, k].join('.'), message: 'unknown field' }));
    return [{ path: path.join('.'), message: issue.message }];
  });
}

/** Validates and completes a configuration, 'auto' intervals resolved, with readable messages. */
export function checkRunConfig(input: unknown): ReturnType<typeof RunConfigSchema.safeParse> {
  return RunConfigSchema.safeParse(input, { error: configErrorMap });
}

/** Validates and completes a configuration; throws ConfigError with a readable message. */
export function parseRunConfig(input: unknown): RunConfig {
  const result = checkRunConfig(input);
  if (!result.success) throw new ConfigError(`invalid configuration: ${formatIssues(result.error)}`);
  return result.data;
}

export function presetInput(name: string): Record<string, unknown> {
  if (!isPresetName(name)) {
    throw new ConfigError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
  }
  return structuredClone(PRESETS[name]) as Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for config layering (preset <- file <- --set). Arrays are replaced, not merged. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    // A different `kind` means a different variant: its fields must not leak into the new one.
    const sameVariant = isPlainObject(prev) && isPlainObject(value) && (!('kind' in value) || value.kind === prev.kind);
    out[key] = isPlainObject(prev) && isPlainObject(value) && sameVariant ? mergeConfig(prev, value) : value;
  }
  return out;
}

/** A `--set` value: JSON when it parses (numbers, booleans, arrays, objects), else a plain string. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Applies `path=value` (e.g. `schedule.batchSize=128`, `generator.hidden.0.units=32`) to a raw
 * config object. Unknown paths are caught later by the strict schema, which names them.
 */
export function applySet(config: Record<string, unknown>, assignment: string): Record<string, unknown> {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set "${assignment}": expected path=value`);
  const path = assignment.slice(0, eq).trim().split('.');
  if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new ConfigError(`--set "${assignment}": bad field path`);
  }
  const value = parseSetValue(assignment.slice(eq + 1));
  const root = structuredClone(config);
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const current: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    let next: Record<string, unknown> | unknown[];
    if (isPlainObject(current) || Array.isArray(current)) next = current;
    else next = /^\d+$/.test(path[i + 1]!) ? [] : {};
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key)) throw new ConfigError(`--set "${assignment}": ${path.slice(0, i + 1).join('.')} is a list; use an index`);
      node[Number(key)] = next;
    } else node[key] = next;
    node = next;
  }
  const last = path[path.length - 1]!;
  // Choosing another variant (dataset.kind=ring) starts that variant from its defaults instead of
  // keeping the old one's fields, which the strict schema would reject as unknown.
  if (last === 'kind' && !Array.isArray(node) && node.kind !== undefined && node.kind !== value) {
    for (const key of Object.keys(node)) delete node[key];
  }
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(last)) throw new ConfigError(`--set "${assignment}": ${path.join('.')} is a list; use an index`);
    node[Number(last)] = value;
  } else node[last] = value;
  return root;
}

export interface ConfigSources {
  preset?: string;
  file?: Record<string, unknown>;
  sets?: string[];
  overrides?: Record<string, unknown>;
}

/** preset, then file, then --set assignments, then explicit overrides (--iterations, --seed). */
export function resolveRunConfig(sources: ConfigSources): RunConfig {
  let raw: Record<string, unknown> = sources.preset ? presetInput(sources.preset) : {};
  if (sources.file) raw = mergeConfig(raw, sources.file);
  for (const s of sources.sets ?? []) raw = applySet(raw, s);
  if (sources.overrides) raw = mergeConfig(raw, sources.overrides);
  return parseRunConfig(raw);
}
