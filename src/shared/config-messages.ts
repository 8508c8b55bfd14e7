/**
 * What a person reads when a configuration value is refused: the field named in words and what it
 * allows ("Batch size must be a whole number from 1 to 65 536", "Seed must be a number",
 * "Points: at least 2 points are needed"), never zod's wording ("expected number, received null").
 *
 * One zod error map, passed wherever a configuration or a data set is parsed: config.check, the
 * CLI and every run-creating request (shared/validate.ts), and request payloads (the handlers'
 * dispatch, so dataset.preview speaks the same way). The ranges are read from the schema that
 * refused the value, so a bound changed in config.ts changes its message too. A path this table
 * has no label for (a request field no person types) keeps zod's message.
 */
import type { z } from 'zod';

interface Field {
  label: string;
  /** What a list holds, singular and plural ("point", "points"). */
  items?: [string, string];
  /** The field also takes 'auto' (recording intervals). */
  orAuto?: boolean;
}

/**
 * Labels by path; `#` stands for a list index. In a label, `{1}` is the first index counted from
 * 1 and `{xy}` the last index as a point's coordinate: dataset.points.2.0 reads "Point 3 x".
 */
const FIELDS: Record<string, string | Field> = {
  name: 'Run name',
  dataset: 'Data set',
  'dataset.kind': 'Data set kind',
  'dataset.scale': 'x scale',
  'dataset.expression': 'The formula y = f(x)',
  'dataset.xMin': 'x min',
  'dataset.xMax': 'x max',
  'dataset.modes': 'Modes',
  'dataset.radius': 'Radius',
  'dataset.std': 'Standard deviation',
  'dataset.side': 'Grid side',
  'dataset.spacing': 'Spacing',
  'dataset.from': 'Line start',
  'dataset.from.#': 'Line start {xy}',
  'dataset.to': 'Line end',
  'dataset.to.#': 'Line end {xy}',
  'dataset.centers': { label: 'Centres', items: ['centre', 'centres'] },
  'dataset.centers.#': 'Centre {1}',
  'dataset.centers.#.#': 'Centre {1} {xy}',
  'dataset.points': { label: 'Points', items: ['point', 'points'] },
  'dataset.points.#': 'Point {1}',
  'dataset.points.#.#': 'Point {1} {xy}',
  'dataset.jitter': 'Jitter',
  noise: 'Noise',
  'noise.dim': 'Noise dimensions',
  'noise.distribution': 'Noise distribution',
  'discriminator.featureWidth': 'Feature width (h3)',
  loss: 'Loss',
  'loss.kind': 'Loss kind',
  'loss.gpWeight': 'Gradient-penalty weight',
  schedule: 'Schedule',
  'schedule.iterations': 'Iterations',
  'schedule.batchSize': 'Batch size',
  'schedule.dSteps': 'D steps',
  'schedule.gSteps': 'G steps',
  'schedule.freshBatchPerStep': 'Fresh batch per step',
  seed: 'Seed',
  recording: 'Recording',
  'recording.lossEvery': { label: 'Loss interval', orAuto: true },
  'recording.snapshotEvery': { label: 'Snapshot interval', orAuto: true },
  'recording.checkpointEvery': 'Checkpoint interval',
  'recording.samples': 'Samples',
  'recording.heatmapResolution': 'Heatmap resolution',
  'recording.manifoldResolution': 'Manifold resolution',
};
for (const [key, coefficients] of [['coefficients', 'Coefficient'], ['curve1', 'Curve 1 coefficient'], ['curve2', 'Curve 2 coefficient']] as const) {
  for (const c of ['a', 'b', 'c']) FIELDS[`dataset.${key}.${c}`] = `${coefficients} ${c}`;
}
for (const [net, Net] of [['generator', 'Generator'], ['discriminator', 'Discriminator']] as const) {
  FIELDS[`${net}.hidden`] = { label: `${Net} layers`, items: ['layer', 'layers'] };
  FIELDS[`${net}.hidden.#`] = `${Net} layer {1}`;
  FIELDS[`${net}.hidden.#.units`] = `${Net} layer {1}: units`;
  FIELDS[`${net}.hidden.#.activation`] = `${Net} layer {1}: activation`;
  FIELDS[`${net}.hidden.#.alpha`] = `${Net} layer {1}: leaky ReLU slope`;
  FIELDS[`${net}.hidden.#.dropout`] = `${Net} layer {1}: dropout`;
  FIELDS[`${net}.hidden.#.batchNorm`] = `${Net} layer {1}: batch norm`;
  const opt = `optimizer.${net}`;
  FIELDS[opt] = `${Net} optimizer`;
  FIELDS[`${opt}.kind`] = `${Net} optimizer`;
  FIELDS[`${opt}.lr`] = `${Net} learning rate`;
  FIELDS[`${opt}.momentum`] = `${Net} momentum`;
  FIELDS[`${opt}.beta1`] = `${Net} β₁`;
  FIELDS[`${opt}.beta2`] = `${Net} β₂`;
  FIELDS[`${opt}.epsilon`] = `${Net} ε`;
  FIELDS[`${opt}.decay`] = `${Net} decay`;
  FIELDS[`${opt}.initialAccumulator`] = `${Net} initial accumulator`;
}

/** The field at `path`, its label filled in with the path's indexes; null when it has none. */
export function fieldAt(path: readonly PropertyKey[]): Field | null {
  const indexes: number[] = [];
  const key = path
    .map((p) => {
      if (typeof p === 'number' || (typeof p === 'string' && /^\d+$/.test(p))) {
        indexes.push(Number(p));
        return '#';
      }
      return String(p);
    })
    .join('.');
  const entry = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
  if (entry === undefined) return null;
  const field = typeof entry === 'string' ? { label: entry } : entry;
  const label = field.label
    .replace('{1}', String((indexes[0] ?? 0) + 1))
    .replace('{xy}', indexes[indexes.length - 1] === 0 ? 'x' : 'y');
  return { ...field, label };
}

/** 65536 -> "65 536"; numbers below 10 000 and non-integers as they are. */
export function readableNumber(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) < 10_000) return String(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

interface Bound {
  value: number;
  inclusive: boolean;
}

/** What a number schema's checks allow (greater_than / less_than), read from the schema itself. */
function numberBounds(schema: z.core.$ZodType): { min: Bound | null; max: Bound | null; int: boolean } {
  let min: Bound | null = null;
  let max: Bound | null = null;
  let int = false;
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as { check: string; value?: unknown; inclusive?: boolean; format?: string };
    if (def.check === 'greater_than' && typeof def.value === 'number') min = { value: def.value, inclusive: def.inclusive === true };
    if (def.check === 'less_than' && typeof def.value === 'number') max = { value: def.value, inclusive: def.inclusive === true };
    if (def.check === 'number_format' && /int/.test(def.format ?? '')) int = true;
  }
  // z.int() is a number format; its bounds may come from the format (safeint) or the checks.
  const format = (schema._zod.def as { format?: string }).format;
  if (typeof format === 'string' && /int/.test(format)) int = true;
  // z.int() carries the safe-integer range as its own bounds; those are not the field's range.
  if (int && min && min.value <= Number.MIN_SAFE_INTEGER) min = null;
  if (int && max && max.value >= Number.MAX_SAFE_INTEGER) max = null;
  return { min, max, int };
}

/** "a whole number from 1 to 65 536", "a number greater than 0", "a number from 0 to less than 1". */
export function allowedNumbers(schema: z.core.$ZodType): string {
  const { min, max, int } = numberBounds(schema);
  const n = readableNumber;
  if (int) {
    const lo = min ? (min.inclusive ? min.value : Math.floor(min.value) + 1) : null;
    const hi = max ? (max.inclusive ? max.value : Math.ceil(max.value) - 1) : null;
    if (lo !== null && hi !== null) return `a whole number from ${n(lo)} to ${n(hi)}`;
    if (lo !== null) return `a whole number of at least ${n(lo)}`;
    if (hi !== null) return `a whole number of at most ${n(hi)}`;
    return 'a whole number';
  }
  if (min && max && min.inclusive && max.inclusive) return `a number from ${n(min.value)} to ${n(max.value)}`;
  const parts = [
    ...(min ? [min.inclusive ? `at least ${n(min.value)}` : `greater than ${n(min.value)}`] : []),
    ...(max ? [max.inclusive ? `at most ${n(max.value)}` : `less than ${n(max.value)}`] : []),
  ];
  return parts.length ? `a number ${parts.join(' and ')}` : 'a number';
}

const plural = (count: number, items: [string, string]) => `${readableNumber(count)} ${count === 1 ? items[0] : items[1]}`;
const oneOf = (values: readonly unknown[]) => values.map(String).join(', ');

function isNumberSchema(s: z.core.$ZodType | undefined): s is z.core.$ZodType {
  return s?._zod.def.type === 'number';
}

/** The message for one refused value at a labelled field, or undefined to keep zod's. */
function message(field: Field, issue: z.core.$ZodRawIssue): string | undefined {
  const { label } = field;
  const schema = issue.schema ?? (issue.inst && 'def' in issue.inst._zod && (issue.inst._zod.def as { type?: unknown }).type ? (issue.inst as z.core.$ZodType) : undefined);
  const numbers = (s: z.core.$ZodType) => (field.orAuto ? `auto or ${allowedNumbers(s)}` : allowedNumbers(s));
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.expected === 'number' || issue.expected === 'int') {
        // A number that is not whole gets the range; anything else (null, text) is not a number yet.
        if (typeof issue.input === 'number' && schema && isNumberSchema(schema)) return `${label} must be ${numbers(schema)}`;
        return field.orAuto ? `${label} must be auto or a number` : `${label} must be a number`;
      }
      if (issue.input === undefined) return `${label} is missing`;
      if (issue.expected === 'boolean') return `${label} must be true or false`;
      if (issue.expected === 'string') return typeof issue.input === 'number' ? `${label} must be text, not a number` : `${label} must be text`;
      if (issue.expected === 'tuple') return `${label} must be a pair of numbers [x, y]`;
      if (issue.expected === 'array') return `${label} must be a list`;
      if (issue.expected === 'object') return `${label} must be an object ({ … })`;
      return undefined;
    }
    case 'too_small':
    case 'too_big': {
      const big = issue.code === 'too_big';
      const bound = Number(big ? issue.maximum : issue.minimum);
      if (issue.origin === 'number' && schema && isNumberSchema(schema)) return `${label} must be ${numbers(schema)}`;
      if (issue.origin === 'array' && schema?._zod.def.type === 'tuple') return `${label} must be a pair of numbers [x, y]`;
      if (issue.origin === 'array') {
        const items = field.items ?? ['item', 'items'];
        return big ? `${label}: at most ${plural(bound, items)} can be used` : `${label}: at least ${plural(bound, items)} ${bound === 1 ? 'is' : 'are'} needed`;
      }
      if (issue.origin === 'string') {
        if (!big && bound === 1) return `${label} must not be empty`;
        return `${label} must be ${big ? 'at most' : 'at least'} ${plural(bound, ['character', 'characters'])} long`;
      }
      return undefined;
    }
    case 'invalid_value':
      return `${label} must be ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${oneOf(issue.values)}`}`;
    case 'invalid_union': {
      // A discriminated union (dataset.kind, optimizer kind): which kinds there are.
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options)) return `${label} must be one of ${oneOf(options)}`;
      const numberOption = (schema?._zod.def as { options?: z.core.$ZodType[] } | undefined)?.options?.find(isNumberSchema);
      if (numberOption) return `${label} must be ${numbers(numberOption)}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The zod error map that names configuration fields in words; pass it as `{ error: configErrorMap }`. */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'unrecognized_keys') return 'unknown field';
  // Issues inside a union's options have no path of their own; the union's issue speaks for them.
  if (!issue.path) return undefined;
  const field = fieldAt(issue.path);
  return field ? message(field, issue) : undefined;
};
