/**
 * The tutorial's two set-ups (docs/spec-notes.md, "Presets"). A preset is a starting point the user edits:
 * it is a partial input that the schema completes with defaults.
 *
 * Recording is 'auto' (shared/recording.ts), so a shortened run still keeps about 100 snapshots.
 * At full length the article resolves to the tutorial's snapshots every 1000 and losses every 10;
 * the published code at its 10 001 iterations resolves to snapshots every 100 and losses every 1,
 * a superset of the tutorial's every-1000 frames and every-10 losses (set 1000/10 to match them
 * exactly).
 */
import type { RunConfigInput } from './config.js';

const hidden = (activation: 'leakyRelu' | 'tanh') => [
  { units: 16, activation, alpha: 0.2 },
  { units: 16, activation, alpha: 0.2 },
];

export const PRESETS = {
  /** The article: leaky ReLU 0.2, RMSProp 1e-3, one D step then one G step, a fresh batch each step. */
  article: {
    dataset: { kind: 'quadratic', scale: 100 },
    generator: { hidden: hidden('leakyRelu') },
    discriminator: { hidden: hidden('leakyRelu'), featureWidth: 2 },
    loss: { kind: 'nonSaturating' },
    optimizer: {
      generator: { kind: 'rmsprop', lr: 0.001 },
      discriminator: { kind: 'rmsprop', lr: 0.001 },
    },
    schedule: { iterations: 100_001, batchSize: 256, dSteps: 1, gSteps: 1, freshBatchPerStep: true },
    recording: { lossEvery: 'auto', snapshotEvery: 'auto', checkpointEvery: 1000 },
  },
  /** The published code: tanh, Adam 1e-3, 50 D steps and 50 G steps on one batch per iteration. */
  'published-code': {
    dataset: { kind: 'quadratic', scale: 100 },
    generator: { hidden: hidden('tanh') },
    discriminator: { hidden: hidden('tanh'), featureWidth: 2 },
    loss: { kind: 'nonSaturating' },
    optimizer: {
      generator: { kind: 'adam', lr: 0.001 },
      discriminator: { kind: 'adam', lr: 0.001 },
    },
    schedule: { iterations: 10_001, batchSize: 256, dSteps: 50, gSteps: 50, freshBatchPerStep: false },
    recording: { lossEvery: 'auto', snapshotEvery: 'auto', checkpointEvery: 1000 },
  },
} as const satisfies Record<string, RunConfigInput>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
