/** Electron IPC channel names shared by main and preload. */
export const IPC_REQUEST = 'ganlab:request';
export const IPC_EVENT = 'ganlab:event';
