/**
 * Fresh values for the parts of a configuration the form can swap (a data set or optimizer of
 * another kind, a new layer), taken from the shared schema's own defaults so they never drift.
 */
import {
  DatasetSchema,
  LayerSchema,
  OptimizerSchema,
  type DatasetConfig,
  type DatasetKind,
  type LayerConfig,
  type OptimizerConfig,
} from '../../../shared/config.js';

export const DATASET_KINDS: Array<{ kind: DatasetKind; label: string }> = [
  { kind: 'quadratic', label: 'Quadratic curve (the tutorial)' },
  { kind: 'two-curves', label: 'Two curves' },
  { kind: 'formula', label: 'Formula y = f(x)' },
  { kind: 'ring', label: 'Ring of Gaussians' },
  { kind: 'grid', label: 'Grid of Gaussians' },
  { kind: 'line', label: 'Line' },
  { kind: 'two-gaussians', label: 'Two Gaussians' },
  { kind: 'disjoint', label: 'Disjoint blobs' },
  { kind: 'points', label: 'Points (drawn or imported)' },
];

export const OPTIMIZER_KINDS: Array<{ kind: OptimizerConfig['kind']; label: string }> = [
  { kind: 'rmsprop', label: 'RMSProp' },
  { kind: 'adam', label: 'Adam' },
  { kind: 'sgd', label: 'SGD' },
];

export function datasetDefaults(kind: DatasetKind): DatasetConfig {
  // `points` has no default points: the person draws or imports them.
  if (kind === 'points') return { kind: 'points', points: [], jitter: 0 };
  return DatasetSchema.parse({ kind });
}

export function optimizerDefaults(kind: OptimizerConfig['kind']): OptimizerConfig {
  return OptimizerSchema.parse({ kind });
}

export function newLayer(previous?: LayerConfig): LayerConfig {
  return LayerSchema.parse({ units: previous?.units ?? 16, activation: previous?.activation ?? 'leakyRelu' });
}
