/**
 * The data of a figure, read off its FigureModel: what is plotted is what is exported, for run
 * figures and comparisons alike. The one way to export figure data (CSV and JSON).
 */
import type { FigureModel } from '../../shared/figures/model.js';

type Cell = string | number | null;

/** CSV per RFC 4180: fields with a comma, quote or line break are quoted; an empty cell is empty. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const field = (v: Cell) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/**
 * One row per plotted point: `series,x,y` (the legend's label, or the raw curve's under a
 * smoothed one). Columns appear only when the figure has what they hold: `segment` numbers the
 * pieces of a line broken by gaps (G's manifold is one line per grid row and column); heatmap
 * cells are rows `heatmap,x,y,value` at the cell's centre; gradient arrows are rows
 * `arrow,x,y,,x_end,y_end`.
 */
export function modelCsv(model: FigureModel): string {
  const lines = model.series.filter((s) => s.style !== 'legend');
  const segmented = lines.some((s) => s.points.some((p) => p === null));
  const heat = model.heatmap;
  const arrows = model.arrows ?? [];
  const columns = ['series', ...(segmented ? ['segment'] : []), 'x', 'y', ...(heat ? ['value'] : []), ...(arrows.length ? ['x_end', 'y_end'] : [])];
  const rows: Cell[][] = [];
  const row = (series: string, segment: number, x: number, y: number, value: number | null, end: readonly [number, number] | null): Cell[] => [
    series,
    ...(segmented ? [segment] : []),
    x,
    y,
    ...(heat ? [value] : []),
    ...(arrows.length ? (end ?? [null, null]) : []),
  ];
  for (const s of lines) {
    let segment = 0;
    let open = false;
    for (const p of s.points) {
      if (p === null) {
        if (open) segment++;
        open = false;
        continue;
      }
      open = true;
      rows.push(row(s.label, segment, p.x, p.y, null, null));
    }
  }
  if (heat) {
    const { res, values, bounds } = heat;
    const cw = (bounds.xMax - bounds.xMin) / res;
    const ch = (bounds.yMax - bounds.yMin) / res;
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const v = values[r * res + c];
        if (v === null || v === undefined) continue;
        rows.push(row('heatmap', 0, bounds.xMin + (c + 0.5) * cw, bounds.yMin + (r + 0.5) * ch, v, null));
      }
    }
  }
  for (const [x0, y0, x1, y1] of arrows) rows.push(row('arrow', 0, x0, y0, null, [x1, y1]));
  return toCsv(columns, rows);
}

/** The figure's model (every series, layer, title and axis) with what it was made from. */
export function modelJson(model: FigureModel, meta: Record<string, unknown>): string {
  return JSON.stringify({ meta, model }, null, 2) + '\n';
}

