/** Chromium driven by Playwright (Debian's, or Playwright's own download), and browser mode to point it at. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { createApp, type GanLabApp } from '../../src/main/app.js';
import { spawnNodeWorker } from '../../src/main/host/node-worker.js';
import { serveBrowserMode, type BrowserServer } from '../../src/main/server/browser-server.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
export const ARTIFACTS = path.join(ROOT, 'test-results', 'screenshots');

/** The one `npm test` found or obtained (GAN_LAB_CHROMIUM), else Debian's, else Playwright's. */
export function chromiumPath(): string | undefined {
  return findChromium();
}

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  // `npm test` obtains one, or skips these files; this is for a browser test run on its own.
  if (!executablePath) throw new Error('Chromium is not installed: run `npm test` (it obtains one), or apt-get install -y chromium, or npx playwright install chromium');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function startBrowserMode(dbPath: string): Promise<{ app: GanLabApp; server: BrowserServer }> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('renderer not built: run `npm run build` (npm test does)');
  const app = createApp({ dbPath, transport: 'browser', spawnWorker: spawnNodeWorker });
  const server = await serveBrowserMode({ app, rendererDir: RENDERER_DIR });
  return { app, server };
}
