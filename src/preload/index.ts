/**
 * Exposes exactly the contract to the renderer as window.ganlab, nothing else of Electron.
 * Payloads are validated again in main; this side only forwards.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, EventOf, GanLabApi, RequestName, RequestOf, ResponseOf } from '../shared/contract.js';
import { IPC_EVENT, IPC_REQUEST } from '../shared/ipc-channels.js';

type Reply = { ok: true; value: unknown } | { ok: false; message: string; kind: string };

const api: GanLabApi = {
  async invoke<K extends RequestName>(name: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
    const reply = (await ipcRenderer.invoke(IPC_REQUEST, name, payload)) as Reply;
    if (!reply.ok) throw Object.assign(new Error(reply.message), { name: 'ApiError', kind: reply.kind });
    return reply.value as ResponseOf<K>;
  },
  on<K extends EventName>(name: K, listener: (payload: EventOf<K>) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => {
      if (event === name) listener(payload as EventOf<K>);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.off(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('ganlab', api satisfies GanLabApi);
