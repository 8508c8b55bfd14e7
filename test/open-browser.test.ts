/**
 * `serve` and `start` open the default browser where there is one, chosen per platform, and
 * never fail the start when it cannot; `--no-open` (or GAN_LAB_NO_OPEN, which the tests set)
 * skips it.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { browserCommand, openBrowser, type OpenerHost } from '../src/main/cli/open-browser.js';

const URL_ = 'http://127.0.0.1:4321/?token=abc_DEF-123';
const host = (over: Partial<OpenerHost>): OpenerHost => ({ platform: 'linux', env: {}, onPath: () => true, ...over });

describe('which command opens the browser', () => {
  it('macOS: open', () => {
    expect(browserCommand(URL_, host({ platform: 'darwin' }))).toEqual({ command: 'open', args: [URL_] });
  });

  it('Windows: start, through cmd', () => {
    const c = browserCommand(URL_, host({ platform: 'win32' }));
    expect(c?.command).toBe('cmd');
    expect(c?.args.slice(0, 3)).toEqual(['/c', 'start', '""']);
    expect(c?.args.at(-1)).toContain('127.0.0.1:4321');
  });

  it('Linux and BSDs: xdg-open, only with a display and xdg-open installed', () => {
    expect(browserCommand(URL_, host({ env: { DISPLAY: ':0' } }))).toEqual({ command: 'xdg-open', args: [URL_] });
    expect(browserCommand(URL_, host({ platform: 'freebsd', env: { WAYLAND_DISPLAY: 'wayland-0' } }))).toEqual({ command: 'xdg-open', args: [URL_] });
    // No display: xdg-open would start a text browser in the server's own terminal.
    expect(browserCommand(URL_, host({ env: {} }))).toBeNull();
    expect(browserCommand(URL_, host({ env: { DISPLAY: ':0' }, onPath: () => false }))).toBeNull();
  });

  it('$BROWSER wins where set; GAN_LAB_NO_OPEN turns opening off everywhere', () => {
    expect(browserCommand(URL_, host({ env: { BROWSER: 'firefox' } }))).toEqual({ command: 'firefox', args: [URL_] });
    expect(browserCommand(URL_, host({ platform: 'darwin', env: { GAN_LAB_NO_OPEN: '1' } }))).toBeNull();
    expect(browserCommand(URL_, host({ env: { DISPLAY: ':0', BROWSER: 'firefox', GAN_LAB_NO_OPEN: '1' } }))).toBeNull();
  });
});

describe('opening it', () => {
  it('spawns the command detached and lets the server go on without it', () => {
    const calls: Array<{ command: string; args: string[]; detached: boolean | undefined }> = [];
    let unref = false;
    const opened = openBrowser(URL_, {
      host: host({ platform: 'darwin' }),
      spawn: (command, args, options) => {
        calls.push({ command, args, detached: options.detached });
        return Object.assign(new EventEmitter(), { unref: () => void (unref = true) });
      },
    });
    expect(opened).toBe(true);
    expect(calls).toEqual([{ command: 'open', args: [URL_], detached: true }]);
    expect(unref).toBe(true);
  });

  it('never throws: not when spawning throws, nor when the command fails later', () => {
    expect(openBrowser(URL_, { host: host({ platform: 'darwin' }), spawn: () => { throw new Error('EACCES'); } })).toBe(false);
    const child = Object.assign(new EventEmitter(), { unref: () => {} });
    expect(openBrowser(URL_, { host: host({ platform: 'darwin' }), spawn: () => child })).toBe(true);
    expect(() => child.emit('error', new Error('ENOENT'))).not.toThrow();
  });

  it('does nothing where there is no browser to open', () => {
    let spawned = false;
    expect(openBrowser(URL_, { host: host({ env: {} }), spawn: () => ((spawned = true), Object.assign(new EventEmitter(), { unref() {} })) })).toBe(false);
    expect(spawned).toBe(false);
  });
});
