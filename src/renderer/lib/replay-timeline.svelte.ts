/**
 * Where a replay stands: the run's snapshot steps, the one shown, and playback. Playing advances
 * one snapshot per 1/speed seconds, but never before the previous frame is drawn (frameDrawn), so
 * a slow frame delays the next instead of piling requests up.
 */
export const SPEEDS = [1, 2, 5, 10] as const;

export class Timeline {
  steps = $state.raw<number[]>([]);
  index = $state(0);
  playing = $state(false);
  /** Snapshots per second while playing. */
  speed = $state<number>(2);
  readonly step = $derived<number | null>(this.steps[this.index] ?? null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private advancedAt = 0;
  private awaitingFrame = false;

  /** Replaces the known steps, staying on the step shown when it is still there. */
  setSteps(steps: readonly number[]): void {
    const current = this.step;
    const next = [...new Set(steps)].sort((a, b) => a - b);
    this.steps = next;
    const at = current === null ? -1 : next.indexOf(current);
    this.index = at >= 0 ? at : Math.max(0, Math.min(this.index, next.length - 1));
  }

  /** A new snapshot of a running run extends the timeline. */
  add(step: number): void {
    if (!this.steps.includes(step)) this.setSteps([...this.steps, step]);
  }

  go(index: number): void {
    if (this.steps.length === 0) return;
    this.index = Math.max(0, Math.min(this.steps.length - 1, Math.round(index)));
  }

  /** The snapshot nearest to an iteration (a click on the loss chart). */
  goNearest(iteration: number): void {
    let best = 0;
    this.steps.forEach((s, i) => {
      if (Math.abs(s - iteration) < Math.abs(this.steps[best]! - iteration)) best = i;
    });
    this.go(best);
  }

  play(): void {
    if (this.steps.length < 2) return;
    if (this.index >= this.steps.length - 1) this.index = 0;
    this.playing = true;
    this.awaitingFrame = false;
    this.schedule(1000 / this.speed);
  }

  pause(): void {
    this.playing = false;
    clearTimeout(this.timer);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Called when the frame for the current step is on screen (or failed). */
  frameDrawn(): void {
    if (!this.playing || !this.awaitingFrame) return;
    this.awaitingFrame = false;
    this.schedule(this.advancedAt + 1000 / this.speed - performance.now());
  }

  dispose(): void {
    this.pause();
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.advance(), Math.max(0, delay));
  }

  private advance(): void {
    if (!this.playing) return;
    if (this.index >= this.steps.length - 1) {
      this.pause();
      return;
    }
    this.advancedAt = performance.now();
    this.awaitingFrame = true;
    this.index++;
  }
}
