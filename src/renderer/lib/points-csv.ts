/**
 * Reading the `points` data set from a simple CSV: one `x,y` pair a line. Separators may be
 * commas, semicolons, tabs or spaces; lines that are not two numbers (a header, blanks) are
 * skipped and counted so the person can be told.
 */
export interface ParsedPoints {
  points: Array<[number, number]>;
  skipped: number;
}

export function parsePointsCsv(text: string): ParsedPoints {
  const points: Array<[number, number]> = [];
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/[,;\t ]+/).filter((c) => c !== '');
    const x = Number(cells[0]);
    const y = Number(cells[1]);
    if (cells.length >= 2 && cells[0] !== undefined && Number.isFinite(x) && Number.isFinite(y)) points.push([x, y]);
    else skipped++;
  }
  return { points, skipped };
}
