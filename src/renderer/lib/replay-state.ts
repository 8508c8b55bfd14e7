/**
 * Replay's view in the hash route's query (#/replay/3?step=5000&phase=overlay-g), so a reload
 * or a shared address opens the same step, phase, layers, axes mode and log scales. Only what
 * differs from the defaults is written; anything unreadable falls back to the default.
 */
import { PHASE_CHOICES, type Layers, type PhaseChoice } from '../../shared/figures/model.js';

export interface ReplayState {
  step?: number;
  phase?: PhaseChoice;
  layers?: Layers;
  /** One set of axes for the whole run instead of each step's own. */
  holdAxes?: boolean;
  /** The loss chart's log scale; unset: the service's choice (log when the losses span >2 decades). */
  logScale?: boolean;
  /** The metrics chart's log scale, likewise. */
  metricsLog?: boolean;
}

const LAYER_NAMES = ['heatmap', 'manifold', 'arrows'] as const;

export function parseReplayState(query: string): ReplayState {
  const q = new URLSearchParams(query);
  const state: ReplayState = {};
  const step = Number(q.get('step') ?? NaN);
  if (Number.isInteger(step) && step >= 0 && q.get('step') !== '') state.step = step;
  const phase = q.get('phase');
  if (phase && (PHASE_CHOICES as readonly string[]).includes(phase)) state.phase = phase as PhaseChoice;
  const layers = q.get('layers');
  if (layers !== null) {
    const on = new Set(layers.split(','));
    state.layers = { heatmap: on.has('heatmap'), manifold: on.has('manifold'), arrows: on.has('arrows') };
  }
  const flag = (name: string) => (q.has(name) ? q.get(name) === '1' : undefined);
  const hold = flag('hold');
  if (hold !== undefined) state.holdAxes = hold;
  const log = flag('log');
  if (log !== undefined) state.logScale = log;
  const mlog = flag('mlog');
  if (mlog !== undefined) state.metricsLog = mlog;
  return state;
}

/** The state in the address `hash` (#/replay/3?step=5000), or none. */
export function replayStateOf(hash: string): ReplayState {
  const q = hash.indexOf('?');
  return q < 0 ? {} : parseReplayState(hash.slice(q + 1));
}

/** `hash` with its query replaced by `s` (no '?' when everything is at its default). */
export function withReplayState(hash: string, s: ReplayState): string {
  const q = hash.indexOf('?');
  const route = q < 0 ? hash : hash.slice(0, q);
  const query = formatReplayState(s);
  return query ? `${route}?${query}` : route;
}

export function formatReplayState(s: ReplayState): string {
  const parts: string[] = [];
  if (s.step !== undefined) parts.push(`step=${s.step}`);
  if (s.phase) parts.push(`phase=${s.phase}`);
  const layers = s.layers ? LAYER_NAMES.filter((n) => s.layers![n]) : [];
  if (layers.length) parts.push(`layers=${layers.join(',')}`);
  if (s.holdAxes) parts.push('hold=1');
  // The log scales default to what the curves need (unset): a choice either way is kept.
  if (s.logScale !== undefined) parts.push(`log=${+s.logScale}`);
  if (s.metricsLog !== undefined) parts.push(`mlog=${+s.metricsLog}`);
  return parts.join('&');
}
