/** Reading the operator's files and writing results, with the error wording of errors.ts. */
import { readFileSync } from 'node:fs';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { loadCertificate, loadPrivateKey } from '../saml/index.ts';
import { CliError, EXIT } from './errors.ts';

const FS_WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

/** The bytes of `file`; CliError naming what the file was for when it cannot be read. */
export function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(`cannot read ${what} ${file}: ${FS_WORDS[code] ?? code}`, EXIT.INPUT);
  }
}

export function readCertificate(file: string): X509Certificate {
  return withFile(file, () => loadCertificate(readInput(file, 'certificate')));
}

export function readPrivateKey(file: string, passwordFile?: string): KeyObject {
  const passphrase = passwordFile === undefined ? undefined : readPassword(passwordFile);
  return withFile(file, () => loadPrivateKey(readInput(file, 'key'), passphrase));
}

/** The first line of the password file (without its line break). */
function readPassword(file: string): string {
  return readInput(file, 'password file').toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Adds the file name to a key-loading refusal, so the operator knows which file is wrong. */
function withFile<T>(file: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof Error && 'reason' in e && e.reason === 'KEY_INVALID') {
      throw new CliError(`${file}: ${e.message}`, EXIT.INPUT);
    }
    throw e;
  }
}

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
