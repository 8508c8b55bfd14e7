/**
 * The Electron shell's wiring, run in plain Node against a stand-in `electron` module (the real
 * binary cannot be fetched here): requests from the window reach the app, and a long export is
 * drawn on a worker thread, its progress sent to the window as events, so the main process, and
 * with it the window, is never held up by a GIF.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT, IPC_REQUEST } from '../src/shared/ipc-channels.js';
import { openStore } from '../src/main/store/index.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'electron.db');

/** What the stand-in records of the shell's calls into Electron. */
const shell = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  sent: [] as unknown[][],
  windows: [] as Array<{ webContents: { mainFrame: { url: string } } }>,
  beforeQuit: [] as Array<(e: { preventDefault(): void }) => void>,
  quitted: 0,
  workersStarted: 0,
}));

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      shell.workersStarted++;
    }
  }
  return { ...real, default: { ...real, Worker: CountedWorker }, Worker: CountedWorker };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      mainFrame: { url: '' },
      send: (...args: unknown[]) => shell.sent.push(args),
      setWindowOpenHandler: () => {},
      on: () => {},
    };
    constructor() {
      shell.windows.push(this);
    }
    once() {}
    isDestroyed() {
      return false;
    }
    loadFile(file: string) {
      this.webContents.mainFrame.url = new URL(`file://${file}`).href;
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
  }
  const app = {
    setName: () => {},
    whenReady: () => Promise.resolve(),
    isPackaged: false,
    getAppPath: () => dir,
    getPath: () => dir,
    on: (event: string, listener: (e: { preventDefault(): void }) => void) => {
      if (event === 'before-quit') shell.beforeQuit.push(listener);
    },
    quit: () => void shell.quitted++,
  };
  const permissions = { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} };
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => shell.handlers.set(channel, fn) },
    session: { defaultSession: permissions },
    shell: { openExternal: () => Promise.resolve() },
    utilityProcess: { fork: () => { throw new Error('no trainers in this test'); } },
  };
});

let runId = 0;

beforeAll(async () => {
  const store = openStore(db);
  runId = (await finishedRun(store, { name: 'electron export' })).id; // 5 snapshots
  store.close();
  process.argv.push(`--db=${db}`);
  await import('../src/main/electron/main.js');
  await vi.waitFor(() => expect(shell.handlers.has(IPC_REQUEST)).toBe(true));
}, 120_000);

afterAll(async () => {
  // Quitting closes the app (its database) first, then quits again.
  for (const q of shell.beforeQuit) q({ preventDefault: () => {} });
  await vi.waitFor(() => expect(shell.quitted).toBe(1));
});

/** A request as the window's own page makes it. */
async function request(name: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; message?: string; kind?: string }> {
  const win = shell.windows[0]!;
  const event = { senderFrame: win.webContents.mainFrame };
  return (await shell.handlers.get(IPC_REQUEST)!(event, name, payload)) as { ok: boolean };
}

describe('the Electron shell', () => {
  it('answers the window over IPC', async () => {
    const reply = await request('app.info', {});
    expect(reply).toMatchObject({ ok: true, value: { transport: 'electron', dbPath: db } });
  });

  it('draws a GIF on a worker thread, sending its progress to the window', async () => {
    const before = shell.workersStarted;
    const reply = await request('figures.export', { runId, figure: 'samples', format: 'gif', jobId: 'electron-gif', style: { width: 320, height: 200 } });
    expect(reply.ok, reply.message).toBe(true);
    expect((reply.value as { fileName: string }).fileName).toMatch(/\.gif$/);
    expect(shell.workersStarted).toBe(before + 1);
    const progress = shell.sent.filter(([channel, event]) => channel === IPC_EVENT && event === 'export.progress').map(([, , payload]) => payload);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((done) => ({ jobId: 'electron-gif', done, total: 5 })));
  }, 60_000);

  it('writes every step into a folder beside the database (the desktop app has a file system to write to)', async () => {
    const reply = await request('figures.exportBatch', { runId, figure: 'centroids', format: 'csv', jobId: 'electron-batch' });
    expect(reply.ok, reply.message).toBe(true);
    const { directory, files } = reply.value as { directory: string; files: number };
    expect(files).toBe(5);
    expect(path.dirname(directory)).toBe(path.join(dir, 'exports'));
    expect(existsSync(directory)).toBe(true);
  }, 60_000);

  it('refuses a request from a page that is not the app', async () => {
    const reply = (await shell.handlers.get(IPC_REQUEST)!({ senderFrame: { url: 'https://example.com/' } }, 'app.info', {})) as { ok: boolean; message: string };
    expect(reply).toMatchObject({ ok: false, message: 'request refused: not from the app window' });
  });
});
