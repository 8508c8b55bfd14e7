/**
 * Browser mode: the built renderer and the contract's handlers over HTTP + WebSocket, on
 * 127.0.0.1 only. Every WebSocket needs the random token printed in the address, and must come
 * from this server's own page (Origin), so another page in the same browser cannot drive it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../shared/contract.js';
import { ClientFrameSchema, PingFrameSchema, SOCKET_PATH, TOKEN_CHECK_PATH, TOKEN_PARAM } from '../../shared/wire.js';
import type { GanLabApp } from '../app.js';
import { toApiError } from '../service/handlers.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  app: GanLabApp;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function serveBrowserMode(options: ServeOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(options.rendererDir);
  let origin = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === TOKEN_CHECK_PATH) {
      // Tells a tab whose socket was refused why; from our own page only, like the socket.
      const status = req.headers.origin !== undefined && req.headers.origin !== origin ? 403 : sameToken(url.searchParams.get(TOKEN_PARAM), token) ? 204 : 401;
      res.writeHead(status, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end();
      return;
    }
    let rel: string;
    try {
      rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== SOCKET_PATH) return refuse(404, 'Not Found');
    if (!sameToken(url.searchParams.get(TOKEN_PARAM), token)) return refuse(401, 'Unauthorized');
    // Browsers always send Origin on WebSocket requests: only our own page may connect.
    if (req.headers.origin !== undefined && req.headers.origin !== origin) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const sockets = new Set<WebSocket>();
  const unsubscribe = options.app.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let id = -1;
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          throw new ApiError('malformed frame: not JSON', 'invalid');
        }
        const ping = PingFrameSchema.safeParse(raw);
        if (ping.success) {
          ws.send(JSON.stringify({ pong: ping.data.ping }));
          return;
        }
        const parsed = ClientFrameSchema.safeParse(raw);
        if (!parsed.success) throw new ApiError('malformed frame: expected {id, name, payload}', 'invalid');
        const frame = parsed.data;
        id = frame.id;
        const result = await options.app.dispatch(frame.name, frame.payload);
        ws.send(JSON.stringify({ id, result }));
      } catch (err) {
        const e = toApiError(err);
        ws.send(JSON.stringify({ id, error: { message: e.message, kind: e.kind } }));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
