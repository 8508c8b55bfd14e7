/**
 * The export worker (a worker_threads Worker): draws one job with the same code as the in-process
 * path (render-job.ts) and posts its progress, so the thread that started it (Electron's main
 * process) never stops for a long export. One job per worker; "cancel" stops it at the next frame.
 */
import { parentPort } from 'node:worker_threads';
import { ExportCancelled, renderInProcess } from './render-job.js';
import type { WorkerReply, WorkerRequest } from './worker-renderer.js';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread');
const controller = new AbortController();
const reply = (m: WorkerReply) => port.postMessage(m);

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'cancel') {
    controller.abort();
    return;
  }
  renderInProcess(m.job, { signal: controller.signal, onProgress: (done, total) => reply({ type: 'progress', done, total }) }).then(
    (parts) => reply({ type: 'done', parts }),
    (err: unknown) => reply({ type: 'failed', cancelled: err instanceof ExportCancelled, message: err instanceof Error ? err.message : String(err) }),
  );
});
