/**
 * A trainer process: trains one run and streams its records to the host. It never opens the
 * database. Runs under child_process.fork (Node) or Electron's utilityProcess.
 */
import { initBackend } from '../engine/backend.js';
import { runLoop } from '../engine/loop.js';
import { backendLabel, Trainer } from '../engine/trainer.js';
import type { IterationRecords } from '../service/session.js';
import type { Channel, HostMessage, TrainerMessage } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function parentChannel(): Channel<HostMessage, TrainerMessage> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data as HostMessage)),
    };
  }
  if (!process.send) throw new Error('trainer-process must be started by a host');
  return {
    send: (m) => process.send!(m),
    onMessage: (l) => process.on('message', (m) => l(m as HostMessage)),
  };
}

/** Records wait here until a snapshot or checkpoint, or until this much time has passed. */
const SEND_EVERY_MS = 200;

export function serveTrainer(channel: Channel<HostMessage, TrainerMessage>): void {
  let paused = false;
  let stop = false;
  let started = false;
  let sendNow: (() => void) | undefined;
  channel.onMessage(async (m) => {
    if (m.type === 'pause') {
      paused = true;
      sendNow?.(); // the host's record of progress should not lag behind a pause
    }
    else if (m.type === 'resume') paused = false;
    else if (m.type === 'stop') stop = true;
    else if (m.type === 'start' && !started) {
      started = true;
      try {
        const tfjsBackend = await initBackend(m.backend ?? 'auto');
        const trainer = new Trainer(m.config, { plannedIterations: m.plannedIterations, ...(m.engine ? { engine: m.engine } : {}), ...(m.state ? { state: m.state } : {}) });
        const backend = backendLabel(trainer, tfjsBackend);
        channel.send({ type: 'ready', backend });
        let batch: IterationRecords[] = [];
        let lastSend = performance.now();
        const t0 = performance.now();
        const startAt = trainer.iteration;
        const send = (sendNow = () => {
          const ms = (performance.now() - t0) / Math.max(1, trainer.iteration - startAt);
          channel.send({ type: 'records', records: batch, msPerIteration: ms });
          batch = [];
          lastSend = performance.now();
        });
        const outcome = await runLoop(trainer, {
          until: m.until,
          shouldStop: () => stop,
          isPaused: () => paused,
          onResult: (r) => {
            if (r.diverged) return;
            batch.push({
              iterationsDone: trainer.iteration,
              ...(r.losses ? { losses: r.losses } : {}),
              ...(r.snapshot ? { snapshot: r.snapshot } : {}),
              ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
            });
            if (r.snapshot || r.checkpoint || performance.now() - lastSend >= SEND_EVERY_MS) send();
          },
        });
        if (outcome.end === 'stopped') batch.push({ iterationsDone: trainer.iteration, checkpoint: trainer.checkpoint() });
        send();
        channel.send({
          type: 'done',
          end: outcome.end,
          iterationsDone: trainer.iteration,
          msPerIteration: outcome.msPerIteration,
          ...(outcome.diverged ? { error: outcome.diverged } : {}),
        });
        trainer.dispose();
      } catch (err) {
        channel.send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      }
    }
  });
}

// Started by a host as a process of its own (the host sets GAN_LAB_TRAINER): serve it.
if (process.env.GAN_LAB_TRAINER === '1') serveTrainer(parentChannel());
