/**
 * Long exports drawn on a worker thread (render-worker.ts): a RenderExports with the in-process
 * one's progress, cancel and bytes, that leaves the calling thread free. Electron's main process
 * uses it so the window never freezes; it is plain Node, and tested as such.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExportCancelled, type RenderExports, type RenderJob } from './render-job.js';

export type WorkerRequest = { type: 'render'; job: RenderJob } | { type: 'cancel' };
export type WorkerReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; parts: Uint8Array[] }
  | { type: 'failed'; cancelled: boolean; message: string };

const SOURCE_ENTRY = new URL('./render-worker.ts', import.meta.url);

/** From the TypeScript sources (tests, the CLI): a worker that registers tsx before loading the entry. */
function sourceWorker(): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(SOURCE_ENTRY.href)}); });`;
  return new Worker(code, { eval: true });
}

/**
 * `entry`: the built worker file (electron-vite's `render-worker` entry beside the main bundle);
 * without it, the TypeScript source through tsx.
 */
export function workerRenderer(entry?: string): RenderExports {
  if (entry !== undefined && !existsSync(entry)) throw new Error(`export worker not found: ${entry}`);
  if (entry === undefined && !existsSync(fileURLToPath(SOURCE_ENTRY))) throw new Error('export worker: no built entry given and no TypeScript source beside this file');
  return (job, control = {}) =>
    new Promise<Buffer[]>((resolve, reject) => {
      if (control.signal?.aborted) return reject(new ExportCancelled());
      const worker = entry !== undefined ? new Worker(pathToFileURL(entry)) : sourceWorker();
      const send = (m: WorkerRequest) => worker.postMessage(m);
      const onAbort = () => send({ type: 'cancel' });
      control.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        control.signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        fn();
      };
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'progress') control.onProgress?.(m.done, m.total);
        else if (m.type === 'done') settle(() => resolve(m.parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
        else settle(() => reject(m.cancelled ? new ExportCancelled() : new Error(m.message)));
      });
      worker.on('error', (err) => settle(() => reject(err)));
      worker.on('exit', (code) => settle(() => reject(new Error(`export worker exited (${code}) before it finished`))));
      send({ type: 'render', job });
    });
}
