/**
 * The Electron shell: one window, the contract over IPC, trainers in utility processes, long
 * exports drawn on a worker thread (so the main process, and with it the window, never stalls
 * for a 262-frame GIF). This is the only file that imports Electron in the main side.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell, utilityProcess } from 'electron';
import { REQUESTS } from '../../shared/contract.js';
import { IPC_EVENT, IPC_REQUEST } from '../../shared/ipc-channels.js';
import { createApp, type GanLabApp } from '../app.js';
import { APP_NAME, DB_FILE_NAME } from '../app-paths.js';
import { workerRenderer } from '../figures/worker-renderer.js';
import type { HostMessage, SpawnWorker, TrainerMessage } from '../host/protocol.js';
import { toApiError } from '../service/handlers.js';
import { isAppUrl, WEB_PREFERENCES } from './security.js';

app.setName(APP_NAME);
const here = import.meta.dirname;
const rendererFile = path.join(here, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererFile).href;
const devServer = process.env.ELECTRON_RENDERER_URL;

/**
 * Under Electron, better-sqlite3 must be the build for Electron's ABI: packaged, it is in the
 * app's resources; from a checkout, in build-native/ (scripts/build-electron-sqlite.mjs). The
 * plain-Node build in node_modules stays for the CLI and the tests.
 */
function electronBinding(): string | undefined {
  if (process.env.GAN_LAB_SQLITE_BINDING) return process.env.GAN_LAB_SQLITE_BINDING;
  const file = app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'build-native', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

const spawnUtilityWorker: SpawnWorker = () => {
  const child = utilityProcess.fork(path.join(here, 'trainer.js'), [], { serviceName: 'GAN Lab trainer', env: { ...process.env, GAN_LAB_TRAINER: '1' } });
  return {
    send: (m: HostMessage) => child.postMessage(m),
    onMessage: (l: (m: TrainerMessage) => void) => child.on('message', (m) => l(m as TrainerMessage)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => void child.kill(),
  };
};

/** electron-vite builds the export worker beside the main bundle; from the sources it runs through tsx. */
function exportWorker(): string | undefined {
  const built = path.join(here, 'render-worker.js');
  return existsSync(built) ? built : undefined;
}

let ganlab: GanLabApp | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: APP_NAME,
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(here, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url, rendererUrl, devServer)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(rendererFile);
  return win;
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const dbArg = process.argv.find((a) => a.startsWith('--db='));
  const binding = electronBinding();
  ganlab = createApp({
    dbPath: dbArg ? dbArg.slice('--db='.length) : path.join(app.getPath('userData'), DB_FILE_NAME),
    transport: 'electron',
    spawnWorker: spawnUtilityWorker,
    renderExports: workerRenderer(exportWorker()),
    ...(binding ? { nativeBinding: binding } : {}),
  });
  const win = createWindow();
  ganlab.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
  });
  ipcMain.handle(IPC_REQUEST, async (e, name: unknown, payload: unknown) => {
    // Only the app's own top frame may call; every payload is validated by dispatch.
    const frame = e.senderFrame;
    if (!frame || frame !== win.webContents.mainFrame || !isAppUrl(frame.url, rendererUrl, devServer)) {
      return { ok: false, message: 'request refused: not from the app window', kind: 'invalid' };
    }
    if (typeof name !== 'string' || !Object.hasOwn(REQUESTS, name)) return { ok: false, message: `unknown request "${String(name)}"`, kind: 'invalid' };
    try {
      return { ok: true, value: await ganlab!.dispatch(name, payload) };
    } catch (err) {
      const a = toApiError(err);
      return { ok: false, message: a.message, kind: a.kind };
    }
  });
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !ganlab) return;
  // Stop trainers cleanly (each keeps a checkpoint) before the process goes.
  e.preventDefault();
  quitting = true;
  void ganlab.close().finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());
