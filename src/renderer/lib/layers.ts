/** The layers that can be drawn over a step's samples, shared by Live and Replay. */
import type { Layers } from '../../shared/figures/model.js';

export const NO_LAYERS: Layers = { heatmap: false, manifold: false, arrows: false };

export const LAYER_CHOICES: ReadonlyArray<{ key: keyof Layers; label: string; title: string }> = [
  { key: 'heatmap', label: "D's heatmap", title: "D's output over the data space: the probability D gives a point of being real" },
  { key: 'manifold', label: "G's manifold", title: "G's image of a grid over the noise space" },
  { key: 'arrows', label: 'gradient arrows', title: "The direction D's gradient pushes each generated sample" },
];

/** With only D's heatmap or only G's manifold on, the figure is the tutorial's picture of it. */
export function samplesFigureFor(l: Layers): 'samples' | 'heatmap' | 'manifold' {
  if (l.heatmap && !l.manifold) return 'heatmap';
  if (l.manifold && !l.heatmap) return 'manifold';
  return 'samples';
}
