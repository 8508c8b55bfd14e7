/** `gan-lab serve` (browser mode) and `gan-lab start` (the desktop app, or browser mode where Electron is missing). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { electronBinary } from '../electron-runtime.js';
import { spawnNodeWorker } from '../host/node-worker.js';
import { serveBrowserMode, type BrowserServer } from '../server/browser-server.js';
import { browserToken, tokenFileFor } from '../server/token-file.js';
import { UserError } from '../service/runs.js';
import { openBrowser } from './open-browser.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer');

export interface ServeFlags {
  port?: number;
  db: string;
  json?: boolean;
  /** Rotate the database's stored token: addresses printed before stop working. */
  newToken?: boolean;
  /** Open the address in the default browser (default true; `--no-open` sets false). */
  open?: boolean;
}

export interface Serving {
  server: BrowserServer;
  /** Whether an opener was started for the address. */
  opened: boolean;
  close(): Promise<void>;
}

/** Browser mode up and serving, with the database's stable token; what `serve` runs before it waits. */
export async function startServe(flags: ServeFlags, deps: { rendererDir?: string; opener?: (url: string) => boolean } = {}): Promise<Serving> {
  const rendererDir = deps.rendererDir ?? RENDERER_DIR;
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new UserError('the renderer is not built: run `npm run build` first (npm start does it for you)');
  }
  const tokenFile = tokenFileFor(flags.db);
  const token = tokenFile ? browserToken(tokenFile, { rotate: flags.newToken === true }) : undefined;
  const app = createApp({ dbPath: flags.db, transport: 'browser', spawnWorker: spawnNodeWorker });
  let server: BrowserServer;
  try {
    server = await serveBrowserMode({ app, rendererDir, ...(flags.port !== undefined ? { port: flags.port } : {}), ...(token ? { token } : {}) });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${flags.port} is in use; choose another with --port`);
    throw err;
  }
  const opened = flags.open !== false && (deps.opener ?? openBrowser)(server.url);
  return {
    server,
    opened,
    async close() {
      await server.close();
      await app.close();
    },
  };
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const { server, opened, close } = await startServe(flags);
  const tokenFile = tokenFileFor(flags.db);
  if (flags.json) console.log(JSON.stringify({ url: server.url, port: server.port, db: flags.db, tokenFile, opened }));
  else {
    console.log(
      `GAN Lab (browser mode) at ${server.url}${opened ? ' (opening it in your browser)' : ''}\n` +
        `database: ${flags.db}\n` +
        (tokenFile ? `The address keeps working across restarts (its token is kept in ${tokenFile}; --new-token replaces it).\n` : '') +
        'Ctrl-C stops it; running trainings keep a checkpoint and can be resumed.',
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await close();
}

export async function startCommand(flags: ServeFlags): Promise<void> {
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
