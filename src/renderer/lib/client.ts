/**
 * The renderer's only door to the app: window.ganlab under Electron (the preload exposes the
 * contract), or the same contract over browser mode's WebSocket. Views never know which.
 * Both report whether the other side can be heard (connection.svelte.ts): browser mode from
 * its socket closing and a heartbeat, Electron from a heartbeat to the main process.
 */
import { ApiError, type EventName, type EventOf, type GanLabApi, type RequestName, type RequestOf, type ResponseOf } from '../../shared/contract.js';
import { ServerFrameSchema, SOCKET_PATH, TOKEN_CHECK_PATH, TOKEN_PARAM } from '../../shared/wire.js';
import { CONNECTION_MESSAGES, connection, type ConnectionState } from './connection.svelte.js';
import { startHeartbeat } from './heartbeat.js';

declare global {
  interface Window {
    ganlab?: GanLabApi;
  }
}

type Listener = (payload: unknown) => void;
type Report = (state: ConnectionState) => void;

/** Milliseconds before reconnection attempt `n` (from 0): quick at first, then every 5 s. */
export const reconnectDelay = (attempt: number): number => Math.min(5000, 250 * 2 ** attempt);

/** Why a socket could not open: the server refused the token, or it cannot be reached. */
async function whyRefused(origin: string, token: string): Promise<'refused' | 'lost'> {
  try {
    const res = await fetch(`${origin}${TOKEN_CHECK_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, { cache: 'no-store' });
    return res.status === 401 ? 'refused' : 'lost';
  } catch {
    return 'lost';
  }
}

/**
 * Browser mode: one WebSocket carrying requests, replies, events and the heartbeat. When it
 * closes, requests in flight fail, and it reconnects by itself with backoff; listeners stay
 * registered, so events flow again on the new socket.
 */
export function connectBrowserMode(origin: string, token: string, report: Report = (s) => connection.set(s)): Promise<GanLabApi> {
  const socketUrl = `${origin.replace(/^http/, 'ws')}${SOCKET_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  const listeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const pongs = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  const set = (next: ConnectionState) => {
    state = next;
    report(next);
  };
  const lostError = () => new ApiError(state === 'refused' ? CONNECTION_MESSAGES.refused : 'connection to GAN Lab lost; reconnecting…');

  const onMessage = (e: MessageEvent<string>) => {
    let raw: unknown;
    try {
      raw = JSON.parse(e.data);
    } catch {
      return;
    }
    const parsed = ServerFrameSchema.safeParse(raw);
    if (!parsed.success) return;
    const frame = parsed.data;
    if ('pong' in frame) {
      pongs.get(frame.pong)?.resolve();
      pongs.delete(frame.pong);
      return;
    }
    if ('event' in frame) {
      for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
      return;
    }
    const p = pending.get(frame.id);
    if (!p) return;
    pending.delete(frame.id);
    if ('error' in frame) p.reject(new ApiError(frame.error.message, frame.error.kind as ApiError['kind']));
    else p.resolve(frame.result);
  };

  /** One attempt; resolves once open. Whatever happens, a closed socket schedules the next try. */
  const dial = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(socketUrl);
      let opened = false;
      ws.addEventListener('open', () => {
        opened = true;
        socket = ws;
        attempt = 0;
        set('connected');
        resolve();
      });
      ws.addEventListener('message', onMessage);
      ws.addEventListener('close', () => {
        const wasFirst = state === 'connecting';
        if (socket === ws) socket = null;
        for (const p of pending.values()) p.reject(lostError());
        pending.clear();
        for (const p of pongs.values()) p.reject(lostError());
        pongs.clear();
        if (opened) {
          set('lost');
          retry();
          return;
        }
        // The browser does not say why an upgrade failed: ask the server whether it refused our token.
        void whyRefused(origin, token).then((why) => {
          if (wasFirst) {
            reject(new ApiError(why === 'refused' ? CONNECTION_MESSAGES.refused : 'cannot reach GAN Lab (is `gan-lab serve` still running?)'));
            return;
          }
          set(why);
          reject(lostError());
          retry();
        });
      });
    });

  const retry = () => {
    setTimeout(() => void dial().catch(() => {}), reconnectDelay(attempt++));
  };

  let pingId = 0;
  const ping = () =>
    new Promise<void>((resolve, reject) => {
      if (!socket || socket.readyState !== WebSocket.OPEN) return reject(lostError());
      const id = ++pingId;
      pongs.set(id, { resolve, reject });
      socket.send(JSON.stringify({ ping: id }));
    });

  const api: GanLabApi = {
    async invoke<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
      const open = socket;
      if (!open || open.readyState !== WebSocket.OPEN) throw lostError();
      const id = nextId++;
      return new Promise<ResponseOf<K>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        open.send(JSON.stringify({ id, name, payload }));
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventOf<K>) => void): () => void {
      const group = listeners.get(name) ?? new Set<Listener>();
      group.add(listener as Listener);
      listeners.set(name, group);
      return () => group.delete(listener as Listener);
    },
  };
  return dial().then(() => {
    // A socket that is open but unanswered (a hung server) closes no connection: only a heartbeat tells.
    startHeartbeat(ping, (answering) => {
      if (state === 'connected' || state === 'unresponsive') set(answering ? 'connected' : 'unresponsive');
    });
    return api;
  });
}

/** Electron: main process crashes take the window with them; a hang is noticed by a heartbeat. */
function watchMainProcess(api: GanLabApi, report: Report = (s) => connection.set(s)): GanLabApi {
  report('connected');
  startHeartbeat(() => api.invoke('app.info', {}), (answering) => report(answering ? 'connected' : 'unresponsive'));
  return api;
}

export async function createClient(): Promise<GanLabApi> {
  if (window.ganlab) return watchMainProcess(window.ganlab);
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  return connectBrowserMode(location.origin, token);
}
