/**
 * The window's security settings and the check that decides which pages are the app's own,
 * tested in plain Node (security.ts imports nothing from Electron).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, WEB_PREFERENCES } from '../src/main/electron/security.js';

const rendererFileUrl = pathToFileURL(path.resolve('/opt/GAN Lab/resources/app.asar/out/renderer/index.html')).href;
/** As electron-vite sets ELECTRON_RENDERER_URL: no trailing slash. */
const devServerUrl = 'http://localhost:5173';

describe('WEB_PREFERENCES', () => {
  it('isolates the page: context isolation and sandbox on, no Node, no webview', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });
});

describe('isAppUrl', () => {
  it('accepts the renderer file, with or without a query or hash', () => {
    expect(rendererFileUrl).toMatch(/^file:\/\/\/.*GAN%20Lab.*index\.html$/);
    for (const url of [rendererFileUrl, `${rendererFileUrl}?run=3`, `${rendererFileUrl}#/runs/3`, `${rendererFileUrl}?a=1#b`]) {
      expect(isAppUrl(url, rendererFileUrl), url).toBe(true);
      expect(isAppUrl(url, rendererFileUrl, devServerUrl), url).toBe(true);
    }
  });

  it('accepts pages of the dev server when there is one', () => {
    for (const url of [devServerUrl, `${devServerUrl}/`, `${devServerUrl}/index.html?x=1`, `${devServerUrl}/#/runs`]) {
      expect(isAppUrl(url, rendererFileUrl, devServerUrl), url).toBe(true);
    }
    // without a dev server, its address is nobody's
    expect(isAppUrl(`${devServerUrl}/`, rendererFileUrl)).toBe(false);
  });

  it('refuses other file URLs and web pages', () => {
    const others = [
      pathToFileURL('/etc/passwd').href,
      rendererFileUrl.replace('index.html', 'other.html'),
      `${rendererFileUrl}.html`,
      `${rendererFileUrl}/../index.html`,
      rendererFileUrl.replace('file:///', 'file://evil.example/'),
      'https://example.com/',
      `https://example.com/?${rendererFileUrl}`,
      'http://localhost:5174/',
      'about:blank',
      'data:text/html,<p>hi</p>',
      '',
    ];
    for (const url of others) expect(isAppUrl(url, rendererFileUrl, devServerUrl), url).toBe(false);
  });

  it("refuses pages whose address only begins with the dev server's text", () => {
    // Another host or port that happens to share the prefix is not the dev server.
    for (const url of ['http://localhost:51730/', 'http://localhost:5173.evil.example/', 'http://localhost:5173@evil.example/']) {
      expect(isAppUrl(url, rendererFileUrl, devServerUrl), url).toBe(false);
    }
  });
});
