/**
 * What a run will keep, worked out from the form's values as they are typed: the recording
 * intervals ('auto' resolved as the run will resolve it, shared/recording.ts), the snapshot and
 * loss-point counts, and whether there are too few snapshots for Live and Replay to show much.
 */
import { FEW_SNAPSHOTS, recordedCounts, resolveIntervals, type Interval } from '../../../shared/recording.js';

export interface RecordingPlan {
  iterations: number;
  snapshotEvery: number;
  lossEvery: number;
  snapshots: number;
  losses: number;
  /** Fewer than FEW_SNAPSHOTS snapshots although the run is long enough for more. */
  few: boolean;
  /** The largest snapshot interval that keeps at least FEW_SNAPSHOTS (when `few`). */
  enoughEvery: number;
}

const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** null while the iterations or an interval is not a whole number yet (the field says why). */
export function recordingPlan(iterations: unknown, recording: { snapshotEvery: unknown; lossEvery: unknown }): RecordingPlan | null {
  if (!whole(iterations)) return null;
  const every = resolveIntervals(iterations, recording as { snapshotEvery: Interval; lossEvery: Interval });
  if (!whole(every.snapshotEvery) || !whole(every.lossEvery)) return null;
  const { snapshots, losses } = recordedCounts(iterations, every);
  // Snapshots at 0, every k and the last iteration: k = floor((n - 1) / (FEW - 1)) gives at least FEW.
  const enoughEvery = Math.max(1, Math.floor((iterations - 1) / (FEW_SNAPSHOTS - 1)));
  return { iterations, ...every, snapshots, losses, few: snapshots < FEW_SNAPSHOTS && iterations >= FEW_SNAPSHOTS, enoughEvery };
}
