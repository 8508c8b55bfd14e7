/**
 * `gan-lab export` as a person runs it: figures as images, GIFs, data, one file per step, and
 * bad flags refused in one line that names the flag; a long export's progress on a terminal, and
 * Ctrl-C cancelling it with nothing written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadImage } from '@napi-rs/canvas';
import { decompressFrames, parseGIF } from 'gifuct-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CANCELLED, exportCommand } from '../src/main/cli/export.js';
import { ExitWith } from '../src/main/cli/train.js';
import { openStore } from '../src/main/store/index.js';
import { BIN, cli, cliJson } from './helpers/cli.js';
import { finishedRun } from './helpers/runs.js';
import { tempDir } from './helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'export.db');
let run = '';

beforeAll(async () => {
  const store = openStore(db);
  try {
    run = String((await finishedRun(store, { name: 'cli figures' })).id); // snapshots at 0, 50, 100, 150, 199
  } finally {
    store.close();
  }
}, 60_000);

/** One clear line on stderr naming `flag`, no stack trace, a non-zero exit. */
function expectFlagError(args: string[], flag: string, pattern: RegExp) {
  const r = cli(['export', run, ...args, '--db', db]);
  expect(r.code, args.join(' ')).not.toBe(0);
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  expect(lines, args.join(' ')).toHaveLength(1);
  expect(lines[0]).toContain(flag);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('gan-lab export', () => {
  it('writes a PNG at the scale and background asked for, and says where', async () => {
    const out = path.join(dir, 'samples.png');
    const r = cli(['export', run, '--figure', 'samples', '--format', 'png', '--layers', 'heatmap,arrows', '--scale', '2', '--width', '400', '--height', '300', '--background', 'transparent', '--out', out, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`wrote ${out}`);
    const image = await loadImage(readFileSync(out));
    expect([image.width, image.height]).toEqual([800, 600]);
  });

  it('names the file itself in the current folder when --out is left out, and reports it with --json', () => {
    const r = spawnSync(process.execPath, [BIN, 'export', run, '--figure', 'features', '--phase', 'overlay-g', '--step', '100', '--format', 'svg', '--db', db, '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GAN_LAB_DB: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(dir, 'cli-figures-features-step-100-overlay-g.svg');
    expect(JSON.parse(r.stdout)).toMatchObject({ out: file, figure: 'features', format: 'svg' });
    expect(readFileSync(file, 'utf8')).toContain('>generated (after the G step)</text>');
  });

  it('writes a GIF with one frame per snapshot step at --fps', () => {
    const out = path.join(dir, 'features.gif');
    expect(cli(['export', run, '--figure', 'features', '--format', 'gif', '--fps', '4', '--width', '300', '--height', '200', '--out', out, '--db', db]).code).toBe(0);
    const bytes = readFileSync(out);
    const frames = decompressFrames(parseGIF(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer), true);
    expect(frames.map((f) => f.delay)).toEqual([250, 250, 250, 250, 250]);
  });

  it('writes the data behind a figure to standard output with --out -', () => {
    const r = cli(['export', run, '--figure', 'losses', '--format', 'csv', '--smoothing', '0.5', '--out', '-', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('series,x,y');
    expect(lines.filter((l) => l.startsWith('G loss (smoothed 0.5),'))).toHaveLength(200);
  });

  it('--all-steps writes one file per snapshot step into a new folder under --out-dir', () => {
    const outDir = path.join(dir, 'steps');
    const summary = cliJson<{ directory: string; files: number }>(['export', run, '--figure', 'centroids', '--format', 'json', '--all-steps', '--out-dir', outDir, '--db', db]);
    expect(summary.files).toBe(5);
    expect(path.dirname(summary.directory)).toBe(outDir);
    expect(readdirSync(summary.directory).sort()).toEqual(['step-000000.json', 'step-000050.json', 'step-000100.json', 'step-000150.json', 'step-000199.json']);
  });

  it.each([
    ['--figure', ['--figure', 'pie'], /Allowed choices/],
    ['--format', ['--figure', 'losses', '--format', 'bmp'], /Allowed choices/],
    ['--scale', ['--figure', 'losses', '--format', 'png', '--scale', '5'], /whole number from 1 to 4, got "5"/],
    ['--layers', ['--figure', 'samples', '--layers', 'heatmap,sparkles'], /heatmap, manifold, arrows, got "heatmap,sparkles"/],
    ['--phase', ['--figure', 'features', '--phase', 'sideways'], /Allowed choices/],
    ['--fps', ['--figure', 'samples', '--format', 'gif', '--fps', '0'], /from 0\.1 to 30/],
    ['--smoothing', ['--figure', 'losses', '--smoothing', '1'], /from 0 up to 1/],
    ['--all-steps', ['--figure', 'samples', '--all-steps', '--step', '50'], /cannot be used with/],
    ['--all-steps', ['--figure', 'samples', '--format', 'gif', '--all-steps'], /a GIF already holds every step/],
    ['--out-dir', ['--figure', 'samples', '--out-dir', '.'], /is for --all-steps/],
  ] as Array<[string, string[], RegExp]>)('refuses a bad %s in one line naming it', (flag, args, pattern) => {
    expectFlagError(args, flag, pattern);
  });

  it('refuses a figure that cannot be a GIF, and writes nothing', () => {
    const out = path.join(dir, 'losses.gif');
    const r = cli(['export', run, '--figure', 'losses', '--format', 'gif', '--out', out, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^gan-lab: losses cannot be a GIF: it spans the whole run/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('gan-lab export: progress and Ctrl-C', () => {
  const longDb = path.join(dir, 'long-export.db');
  let longRun = '';

  beforeAll(async () => {
    const store = openStore(longDb);
    try {
      // 121 snapshots: a GIF long enough to be interrupted midway
      longRun = String((await finishedRun(store, { name: 'long gif', iterations: 240, snapshotEvery: 2 })).id);
    } finally {
      store.close();
    }
  }, 120_000);

  /** A fake terminal for the bar: what was written, with isTTY set so cli-progress draws. */
  function terminal() {
    const chunks: string[] = [];
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    stream.on('data', (d: Buffer) => chunks.push(d.toString()));
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
  }

  it('shows "frame N of M" on a terminal while a GIF is drawn, and the GIF is whole', async () => {
    const out = path.join(dir, 'progress.gif');
    const tty = terminal();
    const store = openStore(db);
    try {
      await exportCommand(store, run, { figure: 'samples', format: 'gif', out }, { progress: tty.stream, onInterrupt: () => () => {} });
    } finally {
      store.close();
    }
    expect(tty.text()).toContain('frame 5 of 5');
    expect(tty.text()).toMatch(/frame [1-4] of 5/);
    expect(decompressFrames(parseGIF(new Uint8Array(readFileSync(out)).buffer), false)).toHaveLength(5);
  });

  it('a Ctrl-C cancels a GIF midway: exit 130, one line said, no file written', async () => {
    const out = path.join(dir, 'cancelled.gif');
    const store = openStore(longDb);
    const tty = terminal();
    let interrupt: () => void = () => {};
    const seen: string[] = [];
    tty.stream.on('data', (d: Buffer) => {
      seen.push(d.toString());
      // the bar redraws at most 10 times a second, so it may skip a frame number
      if (/frame [1-9]\d* of 121/.test(d.toString())) interrupt();
    });
    try {
      const err = await exportCommand(store, longRun, { figure: 'features', format: 'gif', out }, { progress: tty.stream, onInterrupt: (cancel) => ((interrupt = cancel), () => {}) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ExitWith);
      expect((err as ExitWith).code).toBe(EXIT_CANCELLED);
    } finally {
      store.close();
    }
    expect(existsSync(out)).toBe(false);
    expect(seen.join('')).not.toContain('frame 121 of 121');
  });

  it('as a person runs it in a terminal: Ctrl-C on an --all-steps export exits 130 and leaves no folder', async () => {
    const outDir = path.join(dir, 'ctrl-c');
    mkdirSync(outDir);
    // `script` gives the CLI a real terminal; ^C typed into it reaches the CLI as SIGINT.
    const command = [process.execPath, BIN, 'export', longRun, '--figure', 'samples', '--format', 'png', '--all-steps', '--out-dir', outDir, '--db', longDb]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GAN_LAB_DB: '', TERM: 'xterm' } });
    let output = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!sent && /frame [2-9]\d* of 121/.test(output)) {
        sent = true;
        child.stdin.write('\x03');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(sent, output).toBe(true);
    expect(code, output).toBe(EXIT_CANCELLED);
    expect(output).toContain('export cancelled; nothing was written');
    expect(readdirSync(outDir)).toEqual([]);
  });
});
