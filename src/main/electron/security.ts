/**
 * The window's security settings, kept apart from Electron itself so they can be tested in plain
 * Node: isolation and sandbox on, no Node in the page, no navigation, no new windows, no
 * permissions, and requests accepted only from the app's own top frame.
 */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Whether a URL is one of the app's own pages (the built renderer, or the dev server). */
export function isAppUrl(url: string, rendererFileUrl: string, devServerUrl?: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  return url.split(/[?#]/)[0] === rendererFileUrl;
}
