/**
 * The app's main side without any transport: the store, the trainer host and the contract's
 * handlers, plus an event bus the transports subscribe to. Electron and browser mode each wrap
 * one of these.
 */
import type { EventName, EventOf } from '../shared/contract.js';
import type { BackendChoice } from './engine/backend.js';
import type { RenderExports } from './figures/render-job.js';
import type { EngineChoice } from './engine/trainer.js';
import type { SpawnWorker } from './host/protocol.js';
import { TrainerHost } from './host/trainer-host.js';
import { createHandlers, dispatch, type Handlers } from './service/handlers.js';
import { openStore, type RunStore } from './store/index.js';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface GanLabApp {
  store: RunStore;
  host: TrainerHost;
  handlers: Handlers;
  dispatch(name: string, payload: unknown): Promise<unknown>;
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

export interface AppOptions {
  dbPath: string;
  transport: 'electron' | 'browser';
  spawnWorker: SpawnWorker;
  nativeBinding?: string;
  backend?: BackendChoice;
  engine?: EngineChoice;
  /** Where long exports are drawn (Electron: a worker thread, so its main process never stalls). */
  renderExports?: RenderExports;
}

export function createApp(options: AppOptions): GanLabApp {
  const store = openStore(options.dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const listeners = new Set<EventListener>();
  const emit = <K extends EventName>(name: K, payload: EventOf<K>) => {
    for (const l of listeners) l(name, payload);
  };
  const host = new TrainerHost(store, options.spawnWorker, emit, options.backend ?? 'auto', options.engine ?? 'auto');
  const subscribe = (listener: EventListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const handlers = createHandlers({
    store,
    host,
    transport: options.transport,
    notifyRunsChanged: () => emit('runs.changed', {}),
    subscribe,
    exportProgress: (p) => emit('export.progress', p),
    ...(options.renderExports ? { renderExports: options.renderExports } : {}),
  });
  let closed = false;
  return {
    store,
    host,
    handlers,
    dispatch: (name, payload) => dispatch(handlers, name, payload),
    subscribe,
    async close() {
      if (closed) return;
      closed = true;
      await host.shutdown();
      store.close();
    },
  };
}
