/**
 * How `npm test` gets the Chromium its browser tests drive, each branch driven through injected
 * functions (nothing is installed or removed here): found, Debian's package as root, Playwright's
 * download otherwise, and a reason to skip when neither works.
 */
import { describe, expect, it } from 'vitest';
import { browserTestFiles, ensureChromium, type ChromiumDeps, type CommandResult } from '../scripts/find-chromium.mjs';

interface Machine {
  /** What find() returns, before and after each successful command. */
  installed: string | undefined;
  root: boolean;
  apt: boolean;
  /** The result of a command by its first argument that names it ('apt-get' or 'playwright'). */
  results: Record<string, CommandResult>;
  /** What a successful command installs. */
  installs: Record<string, string>;
}

function machine(m: Partial<Machine>) {
  const state: Machine = { installed: undefined, root: false, apt: false, results: {}, installs: {}, ...m };
  const commands: string[] = [];
  const lines: string[] = [];
  const deps: ChromiumDeps = {
    find: () => state.installed,
    isRoot: () => state.root,
    hasAptGet: () => state.apt,
    run: (cmd, args) => {
      const line = [cmd, ...args].join(' ');
      commands.push(line);
      const which = cmd === 'apt-get' ? 'apt-get' : line.includes('playwright') ? 'playwright' : cmd;
      const result = state.results[which] ?? { ok: true, detail: '' };
      if (result.ok && state.installs[which] && !line.includes(' update')) state.installed = state.installs[which];
      return result;
    },
    log: (l) => lines.push(l),
  };
  return { deps, commands, lines };
}

describe('ensureChromium', () => {
  it('uses a Chromium that is already there, running nothing and printing nothing', () => {
    const m = machine({ installed: '/usr/lib/chromium/chromium', root: true, apt: true });
    expect(ensureChromium(m.deps)).toEqual({ path: '/usr/lib/chromium/chromium' });
    expect(m.commands).toEqual([]);
    expect(m.lines).toEqual([]);
  });

  it("installs Debian's package when root with apt-get, saying so in one line", () => {
    const m = machine({ root: true, apt: true, installs: { 'apt-get': '/usr/lib/chromium/chromium' } });
    expect(ensureChromium(m.deps)).toEqual({ path: '/usr/lib/chromium/chromium' });
    expect(m.commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(m.lines).toEqual(["Chromium not found: installing Debian's package (apt-get install -y chromium)"]);
  });

  it("uses Playwright's download when not root, or without apt-get", () => {
    for (const who of [{ root: false, apt: true }, { root: true, apt: false }]) {
      const m = machine({ ...who, installs: { playwright: '/home/u/.cache/ms-playwright/chromium/chrome' } });
      expect(ensureChromium(m.deps)).toEqual({ path: '/home/u/.cache/ms-playwright/chromium/chrome' });
      expect(m.commands).toHaveLength(1);
      expect(m.commands[0]).toMatch(/playwright[\\/]cli\.js install chromium$/);
      expect(m.lines).toEqual(["Chromium not found: downloading Playwright's browser (npx playwright install chromium)"]);
    }
  });

  it('falls back to Playwright when apt-get fails', () => {
    const m = machine({
      root: true,
      apt: true,
      results: { 'apt-get': { ok: false, detail: 'E: Unable to locate package chromium' } },
      installs: { playwright: '/pw/chrome' },
    });
    expect(ensureChromium(m.deps)).toEqual({ path: '/pw/chrome' });
    expect(m.commands).toHaveLength(2); // the failed update stops apt before install
    expect(m.lines).toHaveLength(2);
  });

  it('gives the reason to skip when nothing works', () => {
    const m = machine({
      root: true,
      apt: true,
      results: { 'apt-get': { ok: false, detail: 'E: Unable to locate package chromium' }, playwright: { ok: false, detail: 'Error: getaddrinfo ENOTFOUND cdn.playwright.dev' } },
    });
    const got = ensureChromium(m.deps);
    expect(got.path).toBeUndefined();
    expect(got.reason).toBe('no Chromium could be obtained (apt-get: E: Unable to locate package chromium; playwright: Error: getaddrinfo ENOTFOUND cdn.playwright.dev)');
  });

  it('does not claim success when an install reports success but leaves no binary', () => {
    const m = machine({ root: false });
    expect(ensureChromium(m.deps).reason).toBe('no Chromium could be obtained (playwright: installed, but no chromium binary found)');
  });
});

describe('browserTestFiles', () => {
  it('lists the files that launch Chromium (the ones skipped when none can be had), and no others', () => {
    const files = browserTestFiles();
    expect(files).toContain('test/e2e/live.test.ts');
    expect(files).toContain('test/e2e/points-editor.test.ts');
    expect(files).not.toContain('test/e2e/electron-window.test.ts'); // Electron brings its own
    expect(files).not.toContain('test/find-chromium.test.ts');
    expect(files.every((f) => f.startsWith('test/') && f.endsWith('.test.ts'))).toBe(true);
  });
});
