/**
 * The renderer's only door to the app: window.ganlab under Electron (the preload exposes the
 * contract), or the same contract over browser mode's WebSocket. Views never know which.
 */
import { ApiError, type EventName, type EventOf, type GanLabApi, type RequestName, type RequestOf, type ResponseOf } from '../../shared/contract.js';
import { ServerFrameSchema, SOCKET_PATH, TOKEN_PARAM } from '../../shared/wire.js';

declare global {
  interface Window {
    ganlab?: GanLabApi;
  }
}

type Listener = (payload: unknown) => void;

/** Browser mode: one WebSocket carrying requests, replies and events; reconnects when dropped. */
export function connectBrowserMode(url: string, token: string): Promise<GanLabApi> {
  const listeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let socket: WebSocket;
  let ready: Promise<void>;

  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      socket = new WebSocket(`${url}?${TOKEN_PARAM}=${encodeURIComponent(token)}`);
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new ApiError('cannot reach GAN Lab (is `gan-lab serve` still running?)')), { once: true });
      socket.addEventListener('message', (e: MessageEvent<string>) => {
        const parsed = ServerFrameSchema.safeParse(JSON.parse(e.data));
        if (!parsed.success) return;
        const frame = parsed.data;
        if ('event' in frame) {
          for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
          return;
        }
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        if ('error' in frame) p.reject(new ApiError(frame.error.message, frame.error.kind as ApiError['kind']));
        else p.resolve(frame.result);
      });
      socket.addEventListener('close', () => {
        for (const p of pending.values()) p.reject(new ApiError('connection to GAN Lab lost'));
        pending.clear();
        ready = new Promise((r) => setTimeout(r, 1000)).then(open);
        ready.catch(() => {});
      });
    });

  ready = open();
  const api: GanLabApi = {
    async invoke<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
      await ready;
      const id = nextId++;
      return new Promise<ResponseOf<K>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ id, name, payload }));
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventOf<K>) => void): () => void {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(name, set);
      return () => set.delete(listener as Listener);
    },
  };
  return ready.then(() => api);
}

export async function createClient(): Promise<GanLabApi> {
  if (window.ganlab) return window.ganlab;
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return connectBrowserMode(`${scheme}://${location.host}${SOCKET_PATH}`, token);
}
