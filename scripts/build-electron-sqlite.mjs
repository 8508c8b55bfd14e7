#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build-native/, leaving node_modules' plain-Node
// build (used by the CLI and the tests) untouched. Needs Electron's headers: run it on a machine
// with network access (npm run dist and npm start do, when Electron is installed).
import { cpSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { rebuild } from '@electron/rebuild';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const work = path.join(root, '.tmp', 'electron-sqlite');
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'node_modules'), { recursive: true });
cpSync(path.join(root, 'node_modules', 'better-sqlite3'), path.join(work, 'node_modules', 'better-sqlite3'), { recursive: true });
cpSync(path.join(root, 'package.json'), path.join(work, 'package.json'));

console.log(`building better-sqlite3 for Electron ${electronVersion} ...`);
await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
mkdirSync(path.join(root, 'build-native'), { recursive: true });
copyFileSync(path.join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), path.join(root, 'build-native', 'better_sqlite3.node'));
console.log('wrote build-native/better_sqlite3.node');
