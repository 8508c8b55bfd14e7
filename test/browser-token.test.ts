/**
 * Browser mode's stable token: kept beside the database in `<db>.token` (owner-only), reused by
 * the next start so a bookmarked address keeps working, rotated on request; a tab can ask whether
 * its token is still the server's (so it can say so instead of failing silently), and the
 * server answers heartbeat pings.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type GanLabApp } from '../src/main/app.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { serveBrowserMode, type BrowserServer } from '../src/main/server/browser-server.js';
import { startServe } from '../src/main/cli/serve.js';
import { browserToken, tokenFileFor } from '../src/main/server/token-file.js';
import { ServerFrameSchema, SOCKET_PATH, TOKEN_CHECK_PATH, TOKEN_PARAM } from '../src/shared/wire.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the token file', () => {
  it('lives beside the database; an in-memory database has none', () => {
    expect(tokenFileFor(path.join(dir, 'runs.db'))).toBe(path.join(dir, 'runs.db.token'));
    expect(tokenFileFor(':memory:')).toBeNull();
  });

  it('is created owner-only (0600) with a long random token on first start', () => {
    const file = path.join(dir, 'first.db.token');
    const token = browserToken(file);
    expect(existsSync(file)).toBe(true);
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('is reused by the next start, so the same address keeps working', () => {
    const file = path.join(dir, 'reuse.db.token');
    const first = browserToken(file);
    expect(browserToken(file)).toBe(first);
    expect(browserToken(file, { rotate: false })).toBe(first);
  });

  it('is rotated by --new-token: a different token, written to the file, still 0600', () => {
    const file = path.join(dir, 'rotate.db.token');
    const first = browserToken(file);
    const second = browserToken(file, { rotate: true });
    expect(second).not.toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(second);
    expect(browserToken(file)).toBe(second);
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
  });

  it('replaces a file that holds no usable token, and narrows a file others could read', () => {
    const file = path.join(dir, 'bad.db.token');
    writeFileSync(file, 'short\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const token = browserToken(file);
    expect(token).not.toBe('short');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    const kept = path.join(dir, 'wide.db.token');
    const good = browserToken(kept);
    chmodSync(kept, 0o644);
    expect(browserToken(kept)).toBe(good);
    if (process.platform !== 'win32') expect(mode(kept)).toBe(0o600);
  });
});

describe('the server with a given token', () => {
  let app: GanLabApp;
  let server: BrowserServer;
  const rendererDir = path.join(dir, 'renderer');

  beforeAll(async () => {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GAN Lab</title>');
    app = createApp({ dbPath: path.join(dir, 'server.db'), transport: 'browser', spawnWorker: spawnNodeWorker });
    server = await serveBrowserMode({ app, rendererDir, token: browserToken(path.join(dir, 'server.db.token')) });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  const check = async (token: string, headers: Record<string, string> = {}) =>
    (await fetch(`http://127.0.0.1:${server.port}${TOKEN_CHECK_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, { headers })).status;

  it('says whether a token is the current one (204) or refused (401), and only to its own page', async () => {
    expect(server.token).toBe(readFileSync(path.join(dir, 'server.db.token'), 'utf8').trim());
    expect(await check(server.token)).toBe(204);
    expect(await check(`${server.token}x`)).toBe(401);
    expect(await check('')).toBe(401);
    expect(await check(server.token, { Origin: 'http://evil.example' })).toBe(403);
  });

  it('answers a heartbeat ping with its pong', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}?${TOKEN_PARAM}=${encodeURIComponent(server.token)}`, {
      headers: { Origin: `http://127.0.0.1:${server.port}` },
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(ServerFrameSchema.parse(JSON.parse(String(d))))));
    ws.send(JSON.stringify({ ping: 7 }));
    expect(await reply).toEqual({ pong: 7 });
    ws.close();
  });
});

describe('gan-lab serve', () => {
  const rendererDir = path.join(dir, 'serve-renderer');
  const db = path.join(dir, 'serve.db');

  beforeAll(() => {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GAN Lab</title>');
  });

  /** Starts serve as the CLI does, with the opener replaced by a recorder; returns what it opened. */
  async function serveOnce(flags: { newToken?: boolean; open?: boolean; port?: number }) {
    const opened: string[] = [];
    const served = await startServe({ db, ...flags }, { rendererDir, opener: (url) => (opened.push(url), true) });
    const { url, port } = served.server;
    await served.close();
    return { url, port, opened };
  }

  it('keeps the same address across restarts on one database, and --new-token changes it', async () => {
    const first = await serveOnce({});
    expect(first.url).toContain(`${TOKEN_PARAM}=${readFileSync(`${db}.token`, 'utf8').trim()}`);
    const again = await serveOnce({ port: first.port });
    expect(again.url).toBe(first.url);
    const rotated = await serveOnce({ port: first.port, newToken: true });
    expect(rotated.url).not.toBe(first.url);
    expect(rotated.url).toContain(readFileSync(`${db}.token`, 'utf8').trim());
  });

  it('opens the address it prints in the browser, unless told --no-open', async () => {
    const opening = await serveOnce({});
    expect(opening.opened).toEqual([opening.url]);
    expect((await serveOnce({ open: false })).opened).toEqual([]);
  });
});
