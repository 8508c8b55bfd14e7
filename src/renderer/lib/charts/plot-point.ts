/**
 * Where a click landed in a chart's plot area, in data coordinates (null outside the plot). A
 * plain listener's job, not Chart.js's onClick: Chart.js handles at most one event per frame.
 */
import type { Chart } from 'chart.js';

export function plotPoint(chart: Pick<Chart, 'canvas' | 'chartArea' | 'scales'>, event: MouseEvent): { x: number; y: number } | null {
  const rect = chart.canvas.getBoundingClientRect();
  const px = event.clientX - rect.left;
  const py = event.clientY - rect.top;
  const area = chart.chartArea;
  if (px < area.left || px > area.right || py < area.top || py > area.bottom) return null;
  const x = chart.scales.x?.getValueForPixel(px);
  const y = chart.scales.y?.getValueForPixel(py);
  return x === undefined || y === undefined ? null : { x, y };
}
