/** The CLI and the desktop app share one database: the per-user folder Electron uses for "GAN Lab". */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDbPath, userDataDir } from '../src/main/app-paths.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

describe('default database location', () => {
  it("matches Electron's userData folder on each platform", () => {
    expect(userDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.config/GAN Lab');
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada')).toBe('/xdg/GAN Lab');
    expect(userDataDir('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/GAN Lab');
    expect(userDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\GAN Lab');
  });

  it('is gan-lab.db there, unless GAN_LAB_DB says otherwise', () => {
    expect(defaultDbPath({ XDG_CONFIG_HOME: '/xdg' })).toBe(path.join(userDataDir(process.platform, { XDG_CONFIG_HOME: '/xdg' }), 'gan-lab.db'));
    expect(defaultDbPath({ GAN_LAB_DB: '/tmp/elsewhere.db' })).toBe('/tmp/elsewhere.db');
  });

  it('is where the CLI writes when no --db is given', () => {
    const home = tempDir();
    const r = cli(['train', '--iterations', '3', '--set', 'schedule.batchSize=16', '--set', 'recording.samples=16', '--json'], { XDG_CONFIG_HOME: home, GAN_LAB_DB: '' });
    expect(r.code).toBe(0);
    const listed = cli(['runs', '--json', '--db', path.join(home, 'GAN Lab', 'gan-lab.db')]);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
  });
});
