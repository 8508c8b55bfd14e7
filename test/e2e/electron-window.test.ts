/**
 * The real Electron window, where the Electron binary exists (it is fetched on first launch, so
 * not on a machine without network): the window's security settings and the exposed contract.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { _electron as electron } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../src/main/electron-runtime.js';
import { ROOT } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

const binary = electronBinary(ROOT);
const built = existsSync(path.join(ROOT, 'out', 'main', 'index.js'));
const reason = !binary ? 'Electron runtime not installed' : !built ? 'the app is not built' : '';

describe.skipIf(reason !== '')(`Electron window${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('keeps Node out of the page, exposes only the contract, and refuses new windows', async () => {
    const dir = tempDir();
    const app = await electron.launch({ executablePath: binary!, args: [ROOT, `--db=${path.join(dir, 'e.db')}`] });
    try {
      const page = await app.firstWindow();
      // Node stays out of the page (nodeIntegration off, sandbox on); only the contract crosses.
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { ganlab: object }).ganlab).sort())).toEqual(['invoke', 'on']);
      const info = await page.evaluate(() => (window as unknown as { ganlab: { invoke(n: string, p: object): Promise<{ transport: string }> } }).ganlab.invoke('app.info', {}));
      expect(info.transport).toBe('electron');
      // navigation away and new windows are refused
      await page.evaluate(() => window.open('https://example.com'));
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
