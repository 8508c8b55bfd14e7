/**
 * Browser mode's server: the renderer's files with a strict Content-Security-Policy, nothing
 * outside its folder, 127.0.0.1 only; a WebSocket only with the token and from its own page;
 * requests answered by id, malformed frames refused, and the app's events pushed to every socket.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ServerFrameSchema, SOCKET_PATH, TOKEN_CHECK_PATH, TOKEN_PARAM, type ServerFrame } from '../src/shared/wire.js';
import { createApp, type GanLabApp } from '../src/main/app.js';
import { spawnNodeWorker } from '../src/main/host/node-worker.js';
import { CONTENT_SECURITY_POLICY, serveBrowserMode, type BrowserServer } from '../src/main/server/browser-server.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const rendererDir = path.join(dir, 'renderer');
const INDEX = '<!doctype html><title>GAN Lab</title><script type="module" src="./assets/app.js"></script>';
const ASSET = 'console.log("gan lab");';

let app: GanLabApp;
let server: BrowserServer;
const origin = () => `http://127.0.0.1:${server.port}`;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path is sent exactly as written (fetch would normalise `..`). */
function request(rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${rawPath}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it once open, or with the HTTP status the upgrade was refused with. */
function connect(query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; refused?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}${query}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

const withToken = () => `?${TOKEN_PARAM}=${encodeURIComponent(server.token)}`;

async function openSocket(): Promise<WebSocket> {
  const { ws } = await connect(withToken(), { Origin: origin() });
  if (!ws) throw new Error('socket refused');
  return ws;
}

/** Frames a socket receives, parsed and checked against the wire schema. */
function framesOf(ws: WebSocket): ServerFrame[] {
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(ServerFrameSchema.parse(JSON.parse(String(data)))));
  return frames;
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const replyTo = (frames: ServerFrame[], id: number) => waitFor(`the reply to ${id}`, () => frames.find((f) => 'id' in f && f.id === id));

beforeAll(async () => {
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), INDEX);
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), ASSET);
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer folder');
  app = createApp({ dbPath: path.join(dir, 'browser.db'), transport: 'browser', spawnWorker: spawnNodeWorker });
  server = await serveBrowserMode({ app, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
});

describe('browser mode over HTTP', () => {
  it('listens on 127.0.0.1 only, and prints an address with its token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?${TOKEN_PARAM}=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('cannot be reached on any address but 127.0.0.1', async () => {
    const others = ['::1', ...Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => !i.internal).map((i) => i.address))];
    for (const host of others) {
      const outcome = await new Promise<string>((resolve) => {
        const req = http.request({ host, port: server.port, path: '/', timeout: 2000 }, () => resolve('answered'));
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        req.on('timeout', () => req.destroy());
        req.end();
      });
      expect(outcome, host).not.toBe('answered');
    }
  });

  it('serves index.html at / with the Content-Security-Policy', async () => {
    const res = await request('/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves an asset with its type', async () => {
    const res = await request('/assets/app.js');
    expect(res).toMatchObject({ status: 200, body: ASSET });
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await request('/assets/missing.js')).status).toBe(404);
  });

  it('serves nothing outside its folder (plain or encoded ..)', async () => {
    for (const p of ['/../package.json', '/../secret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets']) {
      const res = await request(p);
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('outside the renderer folder');
    }
  });

  it('answers a malformed percent-encoding with an error status instead of failing', async () => {
    for (const p of ['/%ZZ', '/%E0%A4%A']) {
      const res = await request(p);
      expect([400, 404], p).toContain(res.status);
    }
    expect((await request('/')).status).toBe(200); // and keeps serving
  });

  it('refuses methods other than GET and HEAD with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await request('/', method)).status, method).toBe(405);
    const head = await request('/', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });
});

describe('browser mode over its WebSocket', () => {
  it('refuses a socket without the token, or with a wrong one (401)', async () => {
    expect(await connect('')).toEqual({ refused: 401 });
    expect(await connect(`?${TOKEN_PARAM}=wrong`)).toEqual({ refused: 401 });
    // One character changed, always to a different one (a fixed 'x' would equal a token ending in x).
    const last = server.token.slice(-1);
    const altered = `${server.token.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`;
    expect(altered).not.toBe(server.token);
    expect(await connect(`?${TOKEN_PARAM}=${altered}`, { Origin: origin() })).toEqual({ refused: 401 });
  });

  it('refuses a socket with the token from a foreign page (403)', async () => {
    expect(await connect(withToken(), { Origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await connect(withToken(), { Origin: 'null' })).toEqual({ refused: 403 });
    expect(await connect(withToken(), { Origin: `http://localhost:${server.port}.evil.example` })).toEqual({ refused: 403 });
  });

  // Origins that share a prefix with the server's own (http://127.0.0.1:PORT), either way round:
  // only equality lets a page in.
  const nearOrigins = () => [
    `${origin()}0`,
    `${origin()}.evil.example`,
    `${origin()}@evil.example`,
    origin().slice(0, -1),
    'http://127.0.0.1',
  ];

  it('refuses a socket from an origin that merely starts like its own (403)', async () => {
    for (const near of nearOrigins()) {
      expect(await connect(withToken(), { Origin: near }), near).toEqual({ refused: 403 });
    }
    const { ws } = await connect(withToken(), { Origin: origin() });
    expect(ws).toBeDefined();
    ws?.close();
  });

  it('answers the token check only to its own origin, not to one that starts like it', async () => {
    const check = `${TOKEN_CHECK_PATH}?${TOKEN_PARAM}=${encodeURIComponent(server.token)}`;
    for (const near of nearOrigins()) {
      expect((await request(check, 'GET', { Origin: near })).status, near).toBe(403);
    }
    expect((await request(check, 'GET', { Origin: origin() })).status).toBe(204);
  });

  it('refuses a socket on another path (404)', async () => {
    const res = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other${withToken()}`, { headers: { Origin: origin() } });
      ws.once('unexpected-response', (_req, r) => {
        resolve(r.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', () => {});
    });
    expect(res).toBe(404);
  });

  it('accepts the token from its own page, and answers each request frame by its id', async () => {
    const ws = await openSocket();
    const frames = framesOf(ws);
    ws.send(JSON.stringify({ id: 7, name: 'app.info', payload: {} }));
    ws.send(JSON.stringify({ id: 8, name: 'runs.list', payload: {} }));
    const info = await replyTo(frames, 7);
    expect(info).toMatchObject({ id: 7, result: { transport: 'browser', dbPath: path.join(dir, 'browser.db') } });
    expect(await replyTo(frames, 8)).toEqual({ id: 8, result: [] });
    ws.close();
  });

  it('replies with an error of kind invalid to a malformed frame, an invalid payload or an unknown request', async () => {
    const ws = await openSocket();
    const frames = framesOf(ws);
    ws.send('{ not json');
    const notJson = await waitFor('the reply to a non-JSON frame', () => frames[0]);
    expect(notJson).toEqual({ id: -1, error: { kind: 'invalid', message: 'malformed frame: not JSON' } });
    ws.send(JSON.stringify({ name: 'app.info' }));
    expect(await waitFor('the reply to a frame without id', () => frames[1])).toMatchObject({ id: -1, error: { kind: 'invalid' } });

    ws.send(JSON.stringify({ id: 3, name: 'runs.get', payload: { runId: 'x' } }));
    expect(await replyTo(frames, 3)).toMatchObject({ id: 3, error: { kind: 'invalid', message: expect.stringMatching(/^runs\.get: runId: /) } });
    ws.send(JSON.stringify({ id: 4, name: 'runs.nope', payload: {} }));
    expect(await replyTo(frames, 4)).toEqual({ id: 4, error: { kind: 'invalid', message: 'unknown request "runs.nope"' } });
    ws.send(JSON.stringify({ id: 5, name: 'runs.get', payload: { runId: 999 } }));
    expect(await replyTo(frames, 5)).toMatchObject({ id: 5, error: { kind: 'not-found' } });
    // the socket stays usable after all of that
    ws.send(JSON.stringify({ id: 6, name: 'presets.list', payload: {} }));
    expect(await replyTo(frames, 6)).toMatchObject({ id: 6, result: expect.any(Array) });
    ws.close();
  });

  it("pushes the app's events to every connected socket", async () => {
    const [a, b] = [await openSocket(), await openSocket()];
    const [fa, fb] = [framesOf(a), framesOf(b)];
    a.send(JSON.stringify({ id: 1, name: 'runs.create', payload: { config: { schedule: { iterations: 10 } }, start: false } }));
    const created = (await replyTo(fa, 1)) as { result: { id: number } };
    const changedSince = (frames: ServerFrame[], after: number) => () =>
      frames.slice(after).find((f) => 'event' in f && f.event === 'runs.changed');
    const mark = [fa.length, fb.length] as const;
    a.send(JSON.stringify({ id: 2, name: 'runs.rename', payload: { runId: created.result.id, name: 'renamed over the socket' } }));
    expect(await replyTo(fa, 2)).toMatchObject({ result: { name: 'renamed over the socket' } });
    expect(await waitFor('runs.changed on the first socket', changedSince(fa, mark[0]))).toEqual({ event: 'runs.changed', payload: {} });
    expect(await waitFor('runs.changed on the second socket', changedSince(fb, mark[1]))).toEqual({ event: 'runs.changed', payload: {} });
    a.close();
    b.close();
  });
});
