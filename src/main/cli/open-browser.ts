/**
 * Opening the address in the default browser once browser mode is up: `open` on macOS, `start`
 * on Windows, `xdg-open` elsewhere when there is a display (without one xdg-open falls back to a
 * text browser in the server's own terminal), `$BROWSER` where a person set it. Opening is a
 * convenience: it never fails the start. GAN_LAB_NO_OPEN (set by the tests) or `--no-open` skip it.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface OpenerHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Whether an executable of this name is on the PATH. */
  onPath: (command: string) => boolean;
}

export interface OpenCommand {
  command: string;
  args: string[];
}

function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

export const currentHost = (): OpenerHost => ({ platform: process.platform, env: process.env, onPath: (c) => onPath(c) });

/** The command that opens `url` in this host's browser, or null where there is none to open. */
export function browserCommand(url: string, host: OpenerHost): OpenCommand | null {
  const { env } = host;
  if (env.GAN_LAB_NO_OPEN && env.GAN_LAB_NO_OPEN !== '0') return null;
  if (env.BROWSER) return { command: env.BROWSER, args: [url] };
  if (host.platform === 'darwin') return { command: 'open', args: [url] };
  // `start`'s first quoted argument is a window title; cmd reads & as "and then", so escape it.
  if (host.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return host.onPath('xdg-open') ? { command: 'xdg-open', args: [url] } : null;
}

interface Child {
  on(event: 'error', listener: (err: Error) => void): unknown;
  unref(): void;
}
export type Spawn = (command: string, args: string[], options: SpawnOptions) => Child;

/** Opens `url` if this host has a browser to open it in; true if an opener was started. */
export function openBrowser(url: string, deps: { host?: OpenerHost; spawn?: Spawn } = {}): boolean {
  const host = deps.host ?? currentHost();
  const open = browserCommand(url, host);
  if (!open) return false;
  try {
    const child = (deps.spawn ?? nodeSpawn)(open.command, open.args, {
      detached: true,
      stdio: 'ignore',
      windowsVerbatimArguments: host.platform === 'win32',
    });
    child.on('error', () => {}); // a missing or failing opener leaves the printed address to use
    child.unref();
    return true;
  } catch {
    return false;
  }
}
