/** Files that hold key material: a 0700 directory, 0600 files, never overwritten. */
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) with mode 0700; an existing directory is left as it is. */
export function ensurePrivateDir(dir: string): { created: boolean } {
  if (existsSync(dir)) return { created: false };
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE); // the umask may have taken bits away; set exactly 0700
  return { created: true };
}

/** Writes a new file with mode 0600; fails (EEXIST) rather than replace an existing one. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** True when group or others may read or write `file` (a warning for a private key). */
export function isExposed(file: string): boolean {
  return (statSync(file).mode & 0o077) !== 0;
}
