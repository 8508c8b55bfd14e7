/**
 * Whether Electron's binary is here. The npm package installs without it and fetches it on first
 * launch; `require('electron')` from plain Node would try that download, so look at the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function electronBinary(projectRoot: string): string | undefined {
  const pkg = path.join(projectRoot, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const binary = path.join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}
