/**
 * Chart.js with only the pieces the app draws (tree-shaken), animation off everywhere, and the
 * theme's colours read from the CSS variables in styles/app.css.
 */
import { Chart } from 'chart.js';
import { CHART_COMPONENTS } from '../../../shared/figures/chart-config.js';

// The same pieces the figures register: every chart in the app is a scatter chart.
Chart.register(...CHART_COMPONENTS);
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.font.size = 12;

export { Chart };
export { withAlpha } from '../../../shared/figures/palette.js';

export interface ChartColors {
  real: string;
  fake: string;
  dLoss: string;
  gLoss: string;
  grid: string;
  text: string;
  surface: string;
  strong: string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The current theme's chart colours. Call again after the theme changes. */
export function readChartColors(): ChartColors {
  return {
    real: cssVar('--chart-real'),
    fake: cssVar('--chart-fake'),
    dLoss: cssVar('--chart-d'),
    gLoss: cssVar('--chart-g'),
    grid: cssVar('--chart-grid'),
    text: cssVar('--chart-text'),
    surface: cssVar('--surface'),
    strong: cssVar('--text'),
  };
}


/** Axis options shared by every chart: titled, themed grid and ticks. */
export function axis(title: string, colors: ChartColors, extra: Record<string, unknown> = {}) {
  return {
    type: 'linear' as const,
    title: { display: true, text: title, color: colors.text, font: { weight: 'bold' as const } },
    grid: { color: colors.grid },
    border: { color: colors.grid },
    ticks: { color: colors.text, maxTicksLimit: 8 },
    ...extra,
  };
}
