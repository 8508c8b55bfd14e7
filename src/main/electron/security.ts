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
  // Compare origins, not text: "http://localhost:5173.evil.example" starts with the dev URL too.
  if (devServerUrl && URL.canParse(url) && URL.canParse(devServerUrl) && new URL(url).origin === new URL(devServerUrl).origin) return true;
  return url.split(/[?#]/)[0] === rendererFileUrl;
}
