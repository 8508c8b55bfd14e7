/**
 * Where GAN Lab keeps its data: the same per-user folder Electron's app.getPath('userData') gives
 * for an app named "GAN Lab", so the CLI and the desktop app share one database.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'GAN Lab';
export const DB_FILE_NAME = 'gan-lab.db';

export function userDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_NAME);
}

/** GAN_LAB_DB overrides the default location (handy for scripts and tests). */
export function defaultDbPath(env = process.env): string {
  return env.GAN_LAB_DB || path.join(userDataDir(process.platform, env), DB_FILE_NAME);
}
