/**
 * The figure colours, per theme. The screen and the exports read the same table (exports use
 * the light one unless asked), so an exported figure looks like the one on screen. The CSS
 * variables in renderer/styles/app.css repeat the first few for the rest of the UI.
 */
import type { ColorRole } from './model.js';

export interface Palette {
  roles: Record<ColorRole, string>;
  /** Axis titles, ticks and legend text. */
  text: string;
  /** Titles. */
  strong: string;
  grid: string;
  /** What the figure is drawn on: the page for the screen, white for an opaque export. */
  surface: string;
}

// Okabe–Ito based: distinguishable with the common colour-vision deficiencies.
const runs = { run0: '#0072b2', run1: '#d55e00', run2: '#009e73', run3: '#cc79a7' } as const;

export const LIGHT: Palette = {
  roles: {
    real: '#1f6fd1',
    realAlt: '#74a9e8',
    fake: '#e06000',
    fakeAlt: '#f2a766',
    dLoss: '#7a3cc4',
    gLoss: '#0f8a5f',
    balance: '#6b7280',
    manifold: '#8a4b08',
    arrow: '#b3121f',
    heat: '#2e6b3a',
    cursor: '#1b2130',
    ...runs,
    metric0: '#0072b2',
    metric1: '#d55e00',
    metric2: '#009e73',
    metric3: '#cc79a7',
    metric4: '#e69f00',
    metric5: '#56b4e9',
  },
  text: '#3b4456',
  strong: '#1b2130',
  grid: 'rgba(27, 33, 48, 0.1)',
  surface: '#ffffff',
};

export const DARK: Palette = {
  roles: {
    real: '#5ea8ff',
    realAlt: '#a9cfff',
    fake: '#ff9d42',
    fakeAlt: '#ffc891',
    dLoss: '#c09bff',
    gLoss: '#45d39c',
    balance: '#9aa3b2',
    manifold: '#e0b070',
    arrow: '#ff6b6b',
    heat: '#7fd08f',
    cursor: '#e6e9ef',
    run0: '#56b4e9',
    run1: '#f0a04b',
    run2: '#3fd1a7',
    run3: '#e89ac7',
    metric0: '#56b4e9',
    metric1: '#f0a04b',
    metric2: '#3fd1a7',
    metric3: '#e89ac7',
    metric4: '#f0e442',
    metric5: '#a9cfff',
  },
  text: '#c3cad6',
  strong: '#e6e9ef',
  grid: 'rgba(230, 233, 239, 0.12)',
  surface: '#1b1f26',
};

export const PALETTES = { light: LIGHT, dark: DARK } as const;

/** A #rrggbb colour with an alpha, for translucent points and faint raw curves. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * A colour between white (t = 0) and `hex` (t = 1), for D's heatmap. The ramp stops at 55% of
 * the way so that the samples drawn over it stay visible where D is sure.
 */
export function ramp(hex: string, t: number): string {
  const n = parseInt(hex.slice(1), 16);
  const k = 0.55 * Math.min(1, Math.max(0, t));
  const mix = (c: number) => Math.round(255 + (c - 255) * k);
  return `rgb(${mix((n >> 16) & 255)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

/**
 * D's output as a colour: a diverging scale with white at 0.5 (D cannot tell), purple towards 0
 * ("generated") and green towards 1 ("real"), the ends of ColorBrewer's PRGn, so a confident D
 * reads at a glance and a confused one is plainly pale. The ends stop at 80% so that the samples
 * drawn over them stay visible.
 */
const HEAT_LOW = [118, 42, 131] as const;
const HEAT_MID = [247, 247, 247] as const;
const HEAT_HIGH = [27, 120, 55] as const;
export function heatColor(v: number): string {
  const t = Math.min(1, Math.max(0, v));
  const end = t < 0.5 ? HEAT_LOW : HEAT_HIGH;
  const k = 0.8 * Math.abs(t - 0.5) * 2;
  const [r, g, b] = HEAT_MID.map((c, i) => Math.round(c + (end[i]! - c) * k));
  return `rgb(${r}, ${g}, ${b})`;
}
