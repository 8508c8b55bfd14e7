#!/usr/bin/env node
// Runs every test suite and ends with one line CI can read: "N passed, N failed[, N skipped]".
// Each skipped test is listed with its reason (the reason is part of its name or its note).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { browserTestFiles, ensureChromium } from './find-chromium.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reportDir = path.join(root, '.tmp');
const report = path.join(reportDir, 'vitest-report.json');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });

// The browser and Electron tests drive the built app: build it first, so they test this tree.
const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('the app did not build (see above)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The browser tests drive Chromium: find one or obtain it; where none can be had, those files are
// skipped (each listed with the reason) rather than failing on a missing binary.
const chromium = ensureChromium();
const browserFiles = chromium.path ? [] : browserTestFiles(root);
if (chromium.reason) console.log(`browser tests skipped: ${chromium.reason}`);

const vitest = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
    ...browserFiles.map((f) => `--exclude=${f}`),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: chromium.path ? { ...process.env, GAN_LAB_CHROMIUM: chromium.path } : process.env },
);

let passed = 0;
let failed = 0;
let skipped = browserFiles.length;
const skips = browserFiles.map((f) => `${f} (every test: ${chromium.reason})`);

// Type checks count as tests: the contract's types are what keep main and renderer in step.
for (const [label, args] of [
  ['typecheck: main, shared, tests (tsc)', [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']],
  ['typecheck: renderer (svelte-check)', [path.join(root, 'node_modules/svelte-check/bin/svelte-check'), '--workspace', root, '--tsconfig', './tsconfig.renderer.json', '--fail-on-warnings', '--output', 'human']],
]) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status === 0) {
    passed++;
    console.log(`✓ ${label}`);
  } else {
    failed++;
    console.log(`✗ ${label}\n${r.stdout}${r.stderr}`);
  }
}
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of result.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') failed++;
      else {
        skipped++;
        skips.push(`${path.relative(root, file.name)} > ${t.fullName}`);
      }
    }
    // A file that failed to load has no assertions but must count as a failure.
    if (file.status === 'failed' && file.assertionResults.length === 0) failed++;
  }
} catch (err) {
  console.error(`could not read the test report: ${err.message}`);
  failed++;
}
for (const s of skips) console.log(`skipped: ${s}`);
if (vitest.status !== 0 && failed === 0) failed++; // vitest failed for a reason no test shows
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
