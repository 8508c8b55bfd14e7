/**
 * `gan-lab train`'s progress bar on a terminal. The speed is measured here, over the recent
 * reports, rather than taken from the first report (whose time includes start-up) or from
 * cli-progress's ETA (which reads "0s" before it has two values): until enough iterations and
 * time have been seen, the bar says "-- it/s | ETA --".
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../service/training.js';

export interface RateSample {
  atMs: number;
  done: number;
}

/** A rate counts once it spans this many iterations and this much time. */
const MIN_ITERATIONS = 10;
const MIN_MS = 1000;
/** The speed is the recent one: reports older than this are left out once the span is enough. */
const WINDOW_MS = 10_000;
const KEPT_SAMPLES = 500;

/** Iterations per second over the recent samples (oldest first), or null while too little is measured. */
export function measuredRate(samples: readonly RateSample[]): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  let from: RateSample | null = null;
  for (let i = samples.length - 2; i >= 0; i--) {
    const s = samples[i]!;
    if (from && last.atMs - s.atMs > WINDOW_MS) break;
    if (last.done - s.done >= MIN_ITERATIONS && last.atMs - s.atMs >= MIN_MS) from = s;
  }
  return from ? ((last.done - from.done) * 1000) / (last.atMs - from.atMs) : null;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "42s", "6m 40s", "2h 15m". */
function formatSeconds(total: number): string {
  const s = Math.round(total);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad2(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${pad2(m % 60)}m`;
}

/** The bar's speed and time left, "--" for both while no rate is measured. */
export function progressText(done: number, planned: number, rate: number | null): { speed: string; remaining: string } {
  if (rate === null || !(rate > 0) || !Number.isFinite(rate)) return { speed: '--', remaining: '--' };
  const speed = rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
  return { speed, remaining: formatSeconds(Math.max(0, planned - done) / rate) };
}

/** A progress bar on `stream` (null: silent, when piped or asked for JSON). */
export function progressReporter(stream: NodeJS.WriteStream | null, now: () => number = () => performance.now()) {
  if (!stream) return { update: (_p: Progress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'training |{bar}| {percentage}% | it {value}/{total} | {speed} it/s | ETA {remaining}',
      hideCursor: true,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  const samples: RateSample[] = [];
  let started = false;
  let stopped = false;
  return {
    update(p: Progress) {
      if (stopped) return;
      samples.push({ atMs: now(), done: p.iterationsDone });
      if (samples.length > KEPT_SAMPLES) samples.splice(0, samples.length - KEPT_SAMPLES);
      const text = progressText(p.iterationsDone, p.iterationsPlanned, measuredRate(samples));
      if (!started) {
        bar.start(p.iterationsPlanned, p.iterationsDone, text);
        started = true;
      } else {
        bar.setTotal(p.iterationsPlanned);
        bar.update(p.iterationsDone, text);
      }
    },
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
