/** Seed lists for sweeps: "1-8", "1,3,5" or "1-3,10" (shared by the CLI, the handlers and the New run screen). */

export const MAX_SWEEP_SEEDS = 64;

/** The seeds, in order, without repeats; or why the text is not a sweep. */
export function parseSeedList(text: string): { ok: true; seeds: number[] } | { ok: false; message: string } {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return { ok: false, message: `"${text}": expected a list like 1-8 or 1,3,5` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from >= MAX_SWEEP_SEEDS) return { ok: false, message: `"${text}": the range ${part} is empty or longer than ${MAX_SWEEP_SEEDS}` };
    for (let s = from; s <= to; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  if (seeds.length < 2) return { ok: false, message: `"${text}": a sweep needs at least two seeds` };
  if (seeds.length > MAX_SWEEP_SEEDS) return { ok: false, message: `"${text}": at most ${MAX_SWEEP_SEEDS} seeds` };
  if (seeds.some((s) => s > 2 ** 31 - 1)) return { ok: false, message: `"${text}": seeds go up to ${2 ** 31 - 1}` };
  return { ok: true, seeds };
}
