/** `gan-lab serve` (browser mode) and `gan-lab start` (the desktop app, or browser mode where Electron is missing). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { electronBinary } from '../electron-runtime.js';
import { spawnNodeWorker } from '../host/node-worker.js';
import { serveBrowserMode } from '../server/browser-server.js';
import { UserError } from '../service/runs.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer');

export async function serveCommand(flags: { port?: number; db: string; json?: boolean }): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new UserError('the renderer is not built: run `npm run build` first (npm start does it for you)');
  }
  const app = createApp({ dbPath: flags.db, transport: 'browser', spawnWorker: spawnNodeWorker });
  let server;
  try {
    server = await serveBrowserMode({ app, rendererDir: RENDERER_DIR, ...(flags.port !== undefined ? { port: flags.port } : {}) });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${flags.port} is in use; choose another with --port`);
    throw err;
  }
  if (flags.json) console.log(JSON.stringify({ url: server.url, port: server.port, db: flags.db }));
  else console.log(`GAN Lab (browser mode) at ${server.url}\ndatabase: ${flags.db}\nCtrl-C stops it; running trainings keep a checkpoint and can be resumed.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await app.close();
}

export async function startCommand(flags: { port?: number; db: string; json?: boolean }): Promise<void> {
  const binary = electronBinary(PROJECT_ROOT);
  if (binary && existsSync(path.join(PROJECT_ROOT, 'out', 'main', 'index.js'))) {
    if (!existsSync(path.join(PROJECT_ROOT, 'build-native', 'better_sqlite3.node'))) {
      // Electron needs better-sqlite3 built for its own ABI, once (this fetches Electron's headers).
      const built = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-electron-sqlite.mjs')], { stdio: 'inherit' });
      if (built.status !== 0) throw new UserError('could not build better-sqlite3 for Electron (see above); `gan-lab serve` works without it');
    }
    const child = spawn(binary, [PROJECT_ROOT, `--db=${flags.db}`], { stdio: 'inherit' });
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return;
  }
  console.log('Electron runtime not installed (its binary is fetched on first launch, and it could not be here); starting browser mode instead.');
  await serveCommand(flags);
}
