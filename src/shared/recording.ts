/**
 * How often a run records, when its configuration says 'auto': intervals that fit the run's
 * length, so a short run is not left with two snapshots and a long one does not fill the disk.
 * Resolved once, when the configuration is parsed (config.ts), so the stored configuration, the
 * engine and every view see plain numbers.
 */

/** The largest 1-2-5 number (1, 2, 5, 10, 20, 50, …) not above `x`; 1 below 1. */
export function floorOneTwoFive(x: number): number {
  if (!(x >= 1)) return 1;
  let power = 1;
  while (power * 10 <= x) power *= 10;
  if (power * 5 <= x) return power * 5;
  if (power * 2 <= x) return power * 2;
  return power;
}

/** About 100 snapshots per run, and never fewer snapshots than every 1000 iterations (the tutorial's). */
export const AUTO_SNAPSHOTS = 100;
export const AUTO_SNAPSHOT_CAP = 1000;
/** About 10 000 loss points per run. */
export const AUTO_LOSS_POINTS = 10_000;

/** 100 001 iterations -> 1000 (the tutorial's), 10 001 -> 100, 3 000 -> 20, 300 -> 2. */
export function autoSnapshotEvery(iterations: number): number {
  return Math.min(AUTO_SNAPSHOT_CAP, floorOneTwoFive(iterations / AUTO_SNAPSHOTS));
}

/** 100 001 iterations -> 10 (the tutorial's), 10 001 -> 1. */
export function autoLossEvery(iterations: number): number {
  return floorOneTwoFive(iterations / AUTO_LOSS_POINTS);
}

export type Interval = number | 'auto';

export function resolveIntervals(iterations: number, recording: { snapshotEvery: Interval; lossEvery: Interval }): { snapshotEvery: number; lossEvery: number } {
  return {
    snapshotEvery: recording.snapshotEvery === 'auto' ? autoSnapshotEvery(iterations) : recording.snapshotEvery,
    lossEvery: recording.lossEvery === 'auto' ? autoLossEvery(iterations) : recording.lossEvery,
  };
}

/**
 * What a run of `iterations` keeps (engine/records.ts): losses at it % lossEvery == 0, snapshots
 * at it % snapshotEvery == 0 and at the last iteration, for it = 0 … iterations − 1.
 */
export function recordedCounts(iterations: number, every: { snapshotEvery: number; lossEvery: number }): { snapshots: number; losses: number } {
  if (!(iterations >= 1) || !(every.snapshotEvery >= 1) || !(every.lossEvery >= 1)) return { snapshots: 0, losses: 0 };
  const last = iterations - 1;
  return {
    snapshots: Math.floor(last / every.snapshotEvery) + 1 + (last % every.snapshotEvery === 0 ? 0 : 1),
    losses: Math.floor(last / every.lossEvery) + 1,
  };
}

/** Below this many snapshots Live and Replay have little to show; New run warns. */
export const FEW_SNAPSHOTS = 20;
