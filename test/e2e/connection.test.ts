/**
 * A dead server is noticed, as a person would see it: the real `gan-lab serve` process, Debian's
 * Chromium on its address. Killed, the page says so within 2 s and Live stops calling the run
 * running; restarted on the same port and database, the page reconnects by itself with the same
 * address (the token is kept beside the database); stopped (hung), the heartbeat notices; restarted
 * with --new-token, the old tab says its token was refused. Screenshots go to test-results/screenshots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunSummary } from '../../src/shared/contract.js';
import { resolveRunConfig } from '../../src/shared/validate.js';
import { SOCKET_PATH, TOKEN_PARAM } from '../../src/shared/wire.js';
import { BIN } from '../helpers/cli.js';
import { ARTIFACTS, launchChromium, RENDERER_DIR } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

const db = path.join(tempDir(), 'connection.db');
let browser: Browser;
let page: Page;
const servers = new Set<ChildProcess>();

interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<void>;
}

/** `gan-lab serve` as a person starts it, in its own process group (so its trainers go with it). */
async function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--json', '--no-open', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: { ...process.env, GAN_LAB_NO_OPEN: '1' },
  });
  servers.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (servers.delete(child), resolve())));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`gan-lab serve exited ${code} before printing its address`)));
  });
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  return { child, url, port, exited };
}

/** Ends a server's whole process group and waits until it is gone. */
async function kill(s: Served, signal: NodeJS.Signals): Promise<void> {
  process.kill(-s.child.pid!, signal);
  await s.exited;
}

/** Starts a long training run through the server's own socket, as the page would. */
async function startRun(s: Served): Promise<RunSummary> {
  const token = new URL(s.url).searchParams.get(TOKEN_PARAM)!;
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}${SOCKET_PATH}?${TOKEN_PARAM}=${token}`, { headers: { Origin: `http://127.0.0.1:${s.port}` } });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const config = resolveRunConfig({ preset: 'article', overrides: { schedule: { iterations: 1_000_000 }, recording: { snapshotEvery: 5000, checkpointEvery: 100_000 } } });
  const reply = new Promise<{ result: RunSummary }>((resolve) => ws.on('message', (d) => {
    const frame = JSON.parse(String(d)) as { id?: number; result: RunSummary };
    if (frame.id === 1) resolve(frame);
  }));
  ws.send(JSON.stringify({ id: 1, name: 'runs.create', payload: { config, name: 'training when the server dies', start: true } }));
  const { result } = await reply;
  ws.close();
  return result;
}

const shot = (name: string, p = page) => p.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
const banner = (p = page) => p.getByTestId('connection-banner');
const liveStatus = () => page.locator('[data-testid="run-status"]').first();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!statSync(path.join(RENDERER_DIR, 'index.html'), { throwIfNoEntry: false })) throw new Error('renderer not built: run `npm run build`');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await browser?.close();
  for (const child of servers) process.kill(-child.pid!, 'SIGKILL');
});

describe('connection state in browser mode', () => {
  it('notices a killed server within 2 s, stops calling the run live, and reconnects by itself at the same address; --new-token makes the old tab say its token was refused', async () => {
    const first = await serve('--port', '0');
    expect(statSync(`${db}.token`).mode & 0o777).toBe(0o600);
    const run = await startRun(first);
    await page.goto(`${first.url}#/live/${run.id}`);
    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await expect.poll(async () => Number((await page.getByTestId('progress').textContent())!.split('/')[0]), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('rate').textContent(), { timeout: 10_000 }).toMatch(/\d it\/s/);
    expect(await banner().count()).toBe(0);
    await shot('connection-01-live-running');

    // The server process dies (its trainer with it).
    await kill(first, 'SIGKILL');
    await banner().waitFor({ state: 'visible', timeout: 2000 });
    expect(await banner().textContent()).toContain('Connection to GAN Lab lost — reconnecting…');
    expect(await banner().getAttribute('data-state')).toBe('lost');
    // Live no longer claims the run is running at some speed with some time left.
    await expect.poll(() => liveStatus().getAttribute('data-live'), { timeout: 1000 }).toBe('false');
    expect((await liveStatus().textContent())!.trim()).toBe('last seen running');
    expect(await page.getByTestId('rate').textContent()).toBe('— it/s');
    expect(await page.getByTestId('eta').textContent()).toBe('ETA —');
    await shot('connection-02-lost');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('connection-02b-lost-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Restarted on the same port and database: the same address works again, by itself.
    const second = await serve('--port', String(first.port));
    expect(second.url).toBe(first.url);
    await banner().waitFor({ state: 'detached', timeout: 20_000 });
    // The view loaded afresh: the killed run is now what the restarted server says it is.
    await expect.poll(() => liveStatus().getAttribute('data-status'), { timeout: 10_000 }).toBe('interrupted');
    expect(await liveStatus().getAttribute('data-live')).toBeNull();
    await page.getByTestId('nav-library').click();
    await expect.poll(() => page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`).getAttribute('data-status'), { timeout: 10_000 }).toBe('interrupted');
    expect(page.url().startsWith(first.url.split('#')[0]!)).toBe(true);
    await shot('connection-03-reconnected');

    // A server that hangs (stopped, its socket still open) is noticed by the heartbeat, and
    // forgiven as soon as it answers again.
    process.kill(-second.child.pid!, 'SIGSTOP');
    await expect.poll(() => banner().getAttribute('data-state'), { timeout: 2500 }).toBe('unresponsive');
    expect(await banner().textContent()).toContain('GAN Lab is not answering');
    await shot('connection-03b-not-answering');
    process.kill(-second.child.pid!, 'SIGCONT');
    await banner().waitFor({ state: 'detached', timeout: 5000 });

    // A graceful stop is noticed the same way; a restart with a new token refuses this tab's.
    await kill(second, 'SIGTERM');
    await banner().waitFor({ state: 'visible', timeout: 2000 });
    const third = await serve('--port', String(first.port), '--new-token');
    expect(third.url).not.toBe(first.url);
    await expect.poll(() => banner().getAttribute('data-state'), { timeout: 20_000 }).toBe('refused');
    expect(await banner().textContent()).toContain("This address's token is no longer valid: open the address the server printed");
    await shot('connection-04-token-refused');

    // Opening the old address afresh says the same, and the new address works.
    const fresh = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await fresh.goto(first.url);
    await expect.poll(() => fresh.locator('body').textContent(), { timeout: 10_000 }).toContain("This address's token is no longer valid");
    await shot('connection-05-old-address-refused', fresh);
    await fresh.goto(third.url);
    await fresh.getByTestId('nav-library').waitFor({ timeout: 10_000 });
    expect(await banner(fresh).count()).toBe(0);
    await fresh.close();
    await kill(third, 'SIGTERM');
  });
});
