/**
 * Browser mode's access token, kept beside its database (`<db>.token`, readable by its owner
 * only) so the address a person bookmarked keeps working after a restart; rotated on request
 * (`--new-token`), which is how an address that leaked is made useless.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** 24 random bytes in base64url: 32 characters, no character a URL would escape. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,}$/;

export const newToken = (): string => randomBytes(24).toString('base64url');

/** The token file for a database, or null for one that lives nowhere on disk. */
export function tokenFileFor(dbPath: string): string | null {
  return dbPath === '' || dbPath === ':memory:' || dbPath.startsWith('file::memory:') ? null : `${dbPath}.token`;
}

function readToken(file: string): string | null {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return TOKEN_SHAPE.test(token) ? token : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The token stored in `file`, created there (mode 0600) when missing, unusable or `rotate` is
 * asked. Written to a temporary file and renamed, so a crash never leaves half a token.
 */
export function browserToken(file: string, options: { rotate?: boolean } = {}): string {
  const kept = options.rotate ? null : readToken(file);
  if (kept) {
    // A token others can read is a key others hold: narrow a file that was widened by hand.
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return kept;
  }
  const token = newToken();
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  renameSync(temp, file);
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  return token;
}
