/** Trainer processes under plain Node: child_process.fork of the TypeScript entry through tsx. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostMessage, SpawnWorker, TrainerMessage } from './protocol.js';

const ENTRY = fileURLToPath(new URL('./trainer-process.ts', import.meta.url));
/** tsx as this project resolves it: a bare `--import tsx` would be looked up from the cwd. */
const TSX = import.meta.resolve('tsx');

export const spawnNodeWorker: SpawnWorker = () => {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', TSX],
    serialization: 'advanced', // structured clone: Float32Array and Uint8Array cross as they are
    env: { ...process.env, GAN_LAB_TRAINER: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (m: HostMessage) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l: (m: TrainerMessage) => void) => child.on('message', (m) => l(m as TrainerMessage)),
    onExit: (l) => child.once('exit', (code, signal) => l(code ?? signal)),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
};
