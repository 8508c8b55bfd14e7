/**
 * Messages between a host (the only database writer) and a trainer process. Records travel as
 * structured clones, so float32 arrays and checkpoint bytes cross without conversion.
 */
import type { RunConfig } from '../../shared/config.js';
import type { BackendChoice } from '../engine/backend.js';
import type { LoopEnd } from '../engine/loop.js';
import type { EngineChoice } from '../engine/trainer.js';
import type { IterationRecords } from '../service/session.js';

export type HostMessage =
  | { type: 'start'; config: RunConfig; plannedIterations: number; until: number; state?: Uint8Array; backend?: BackendChoice; engine?: EngineChoice }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export type TrainerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'records'; records: IterationRecords[]; msPerIteration: number }
  | { type: 'done'; end: LoopEnd; iterationsDone: number; msPerIteration: number; error?: string }
  | { type: 'failed'; message: string };

/** Either side of the pipe, whatever carries it (child_process, Electron's utilityProcess). */
export interface Channel<In, Out> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** The host's handle on one trainer process. */
export interface WorkerHandle extends Channel<TrainerMessage, HostMessage> {
  /** code, or the signal's name when a signal ended it. */
  onExit(listener: (code: number | string | null) => void): void;
  kill(): void;
}

export type SpawnWorker = () => WorkerHandle;
