/**
 * The CLI's progress bar: no speed or time left until a rate has been measured over a few
 * iterations (the first report's rate includes start-up; cli-progress's own ETA reads "0s" before
 * it has two values), then the speed over the recent reports and the time left at that speed.
 */
import { describe, expect, it } from 'vitest';
import { measuredRate, progressReporter, progressText, type RateSample } from '../src/main/cli/progress.js';

/** A terminal that keeps what is written to it; the bar's line is the last text after a carriage return. */
function fakeTerminal() {
  const out: string[] = [];
  return {
    stream: { isTTY: true, columns: 200, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WriteStream,
    // eslint-disable-next-line no-control-regex
    lastLine: () => out.join('').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '\r').split(/[\r\n]/).filter((l) => l.includes('training')).at(-1) ?? '',
  };
}

describe('CLI progress bar', () => {
  it('shows "-- it/s | ETA --" at the first report, not the start-up rate and "ETA 0s"', () => {
    const term = fakeTerminal();
    let now = 0;
    const bar = progressReporter(term.stream, () => now);
    // The first flush: one iteration took 133 ms including start-up (the old bar read "7.5 it/s | ETA 0s").
    bar.update({ iterationsDone: 1, iterationsPlanned: 3000, msPerIteration: 133.3 });
    const line = term.lastLine();
    bar.stop();
    expect(line).toContain('it 1/3000');
    expect(line).toContain('-- it/s | ETA --');
    expect(line).not.toMatch(/7\.5 it\/s|ETA 0s/);
  });

  it('shows the measured speed and time left once a few iterations have been timed', () => {
    const term = fakeTerminal();
    let now = 0;
    const bar = progressReporter(term.stream, () => now);
    for (const [t, done] of [
      [0, 1],
      [500, 51],
      [1000, 101],
      [1500, 151],
    ] as const) {
      now = t;
      bar.update({ iterationsDone: done, iterationsPlanned: 3000, msPerIteration: 133.3 });
    }
    bar.stop();
    // 150 iterations in 1.5 s: 100 it/s, 2 849 left: 28 s.
    expect(term.lastLine()).toContain('100 it/s | ETA 28s');
  });

  it('measures a rate only over enough iterations and time, from the recent reports', () => {
    const s = (atMs: number, done: number): RateSample => ({ atMs, done });
    expect(measuredRate([])).toBeNull();
    expect(measuredRate([s(0, 1)])).toBeNull();
    expect(measuredRate([s(0, 1), s(100, 400)])).toBeNull(); // many iterations but too short a time
    expect(measuredRate([s(0, 1), s(5000, 3)])).toBeNull(); // long enough but two iterations
    expect(measuredRate([s(0, 0), s(1000, 50)])).toBeCloseTo(50);
    // Older reports leave the window: the rate follows a change of speed.
    const slowThenFast = [s(0, 0), s(10_000, 100), s(20_000, 200), s(25_000, 1200), s(30_000, 2200)];
    expect(measuredRate(slowThenFast)).toBeGreaterThan(150);
  });

  it('formats the speed and the time left', () => {
    expect(progressText(10, 100, null)).toEqual({ speed: '--', remaining: '--' });
    expect(progressText(0, 1000, 2.5)).toEqual({ speed: '2.50', remaining: '6m 40s' });
    expect(progressText(0, 100_000, 12.34)).toEqual({ speed: '12.3', remaining: '2h 15m' });
    expect(progressText(1000, 1000, 1447)).toEqual({ speed: '1447', remaining: '0s' });
  });
});
