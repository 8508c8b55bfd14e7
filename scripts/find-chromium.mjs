// Finding, or obtaining, the Chromium the browser tests drive. Debian's package is preferred (it
// is what CI installs); where it is missing the test command gets one the way this machine allows:
// Debian's package when we are root with apt-get, otherwise Playwright's own browser download.
// Every side effect goes through `deps`, so each branch is unit-tested without touching the system.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** /usr/lib/chromium/chromium is the real binary; the /usr/bin wrapper prints a harmless warning. */
const DEBIAN_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Playwright's downloaded Chromium, when `npx playwright install chromium` has fetched it. */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium already on this machine: GAN_LAB_CHROMIUM, then Debian's, then Playwright's. */
export function findChromium(env = process.env) {
  const given = env.GAN_LAB_CHROMIUM;
  if (given && existsSync(given)) return given;
  return DEBIAN_PATHS.find((p) => existsSync(p)) ?? playwrightChromium();
}

/** The last non-blank line of a command's output: enough to say why it failed. */
function lastLine(text) {
  return (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop() ?? '';
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) return { ok: false, detail: r.error.message };
  return { ok: r.status === 0, detail: lastLine(r.stderr) || lastLine(r.stdout) || `exit code ${r.status}` };
}

export const systemDeps = {
  find: () => findChromium(),
  isRoot: () => process.getuid?.() === 0,
  hasAptGet: () => run('apt-get', ['--version']).ok,
  run,
  log: (line) => console.log(line),
};

/**
 * Returns `{ path }` of a Chromium to drive, obtaining one if none is found, or `{ reason }` when
 * none could be had (the browser tests are then skipped with that reason).
 */
export function ensureChromium(deps = systemDeps) {
  const found = deps.find();
  if (found) return { path: found };
  const failures = [];
  if (deps.isRoot() && deps.hasAptGet()) {
    deps.log('Chromium not found: installing Debian\'s package (apt-get install -y chromium)');
    const update = deps.run('apt-get', ['update', '-qq']);
    const install = update.ok ? deps.run('apt-get', ['install', '-y', '-qq', 'chromium']) : update;
    const p = install.ok ? deps.find() : undefined;
    if (p) return { path: p };
    failures.push(`apt-get: ${install.ok ? 'installed, but no chromium binary found' : install.detail}`);
  }
  deps.log('Chromium not found: downloading Playwright\'s browser (npx playwright install chromium)');
  // What `npx playwright install chromium` runs, without npx looking further than node_modules.
  const pw = deps.run(process.execPath, [path.join(ROOT, 'node_modules', 'playwright', 'cli.js'), 'install', 'chromium']);
  const p = pw.ok ? deps.find() : undefined;
  if (p) return { path: p };
  failures.push(`playwright: ${pw.ok ? 'installed, but no chromium binary found' : pw.detail}`);
  return { reason: `no Chromium could be obtained (${failures.join('; ')})` };
}

/** Test files that launch Chromium (through test/helpers/browser.ts), relative to root, '/'-separated. */
export function browserTestFiles(root = ROOT) {
  const dir = path.join(root, 'test');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && readFileSync(path.join(dir, f), 'utf8').includes('launchChromium('))
    .map((f) => path.relative(root, path.join(dir, f)).split(path.sep).join('/'))
    .sort();
}
