/**
 * The keys directory: private keys as `<id>.key.pem` (0600) beside `<id>.cert.pem`, in a
 * directory no other user may write to (created 0700). A private key file that group or
 * others may read or write is refused, never merely warned about. Key files are read once,
 * when a key first enters the ring, and their content never reaches a log or the database.
 */
import { readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { ensurePrivateDir, writePrivateFile } from '../../keys/files.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { checkKeyStrength, loadPrivateKey } from '../../saml/keys.ts';
import { KeyLifecycleError } from './errors.ts';
import type { KeyUse } from './types.ts';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `signing-3fa2b1c09d4e`: the use and the first 12 hex digits of the certificate SHA-256. */
export function keyIdFor(use: KeyUse, fingerprint: string): string {
  return `${use}-${fingerprint.replace(/:/g, '').slice(0, 12).toLowerCase()}`;
}

export function keyFileNames(id: string): { keyFile: string; certFile: string } {
  return { keyFile: `${id}.key.pem`, certFile: `${id}.cert.pem` };
}

const mode = (s: Stats): string => `0${(s.mode & 0o777).toString(8)}`;

/** The keys directory exists, is a directory, and only its owner may write to it. */
export function checkKeysDir(dir: string): void {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (e) {
    throw new KeyLifecycleError('KEY_FILE', `keys directory ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!stats.isDirectory()) throw new KeyLifecycleError('KEY_FILE', `keys directory ${dir} is not a directory`);
  if ((stats.mode & 0o022) !== 0) {
    throw new KeyLifecycleError('PERMISSIONS', `keys directory ${dir} is writable by group or others (mode ${mode(stats)}): run chmod 700 ${dir}`);
  }
}

/** Creates the keys directory (0700) when missing, then checks it. */
export function ensureKeysDir(dir: string): void {
  ensurePrivateDir(dir);
  checkKeysDir(dir);
}

/**
 * The private key of `keyFile` (a name inside `dir`), after checking that only its owner can
 * read it, that `certificate` certifies it and that it is within R-CRY-04.
 */
export function loadKeyFile(dir: string, keyFile: string, certificate: X509Certificate, minRsaBits: number): KeyObject {
  if (!FILE_NAME.test(keyFile)) throw new KeyLifecycleError('KEY_FILE', `key file name "${keyFile}" is not a plain file name`);
  const path = join(dir, keyFile);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing on this instance' : `cannot be read (${code ?? 'error'})`;
    throw new KeyLifecycleError('KEY_FILE', `private key file ${path} ${why}`);
  }
  if ((stats.mode & 0o077) !== 0) {
    throw new KeyLifecycleError(
      'PERMISSIONS',
      `private key file ${path} is readable or writable by group or others (mode ${mode(stats)}): run chmod 600 ${path}`,
    );
  }
  const key = parseKey(path);
  if (!certificate.checkPrivateKey(key)) {
    throw new KeyLifecycleError('KEY_FILE', `private key file ${path} does not match the certificate ${certificate.fingerprint256}`);
  }
  checkStrength(key, minRsaBits, path);
  return key;
}

function parseKey(path: string): KeyObject {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new KeyLifecycleError('KEY_FILE', `private key file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return loadPrivateKey(bytes);
  } catch (e) {
    if (e instanceof XmlSecurityError) throw new KeyLifecycleError('KEY_FILE', `${path} is not a usable unencrypted private key`);
    throw e;
  }
}

/** R-CRY-04 for our own keys: INVALID_KEY naming `what` (a file or "the key"). */
export function checkStrength(key: KeyObject, minRsaBits: number, what: string): void {
  try {
    checkKeyStrength(key, { minRsaBits });
  } catch (e) {
    if (e instanceof XmlSecurityError) throw new KeyLifecycleError('INVALID_KEY', `${what}: ${e.message}`);
    throw e;
  }
}

export interface WrittenKeyFiles {
  keyFile: string;
  certFile: string;
  /** Removes both files (the database refused the key). */
  remove(): void;
}

/** Writes `<id>.key.pem` (PKCS#8, 0600) and `<id>.cert.pem`; never replaces an existing file. */
export function writeKeyFiles(dir: string, id: string, privateKey: KeyObject, certificatePem: string): WrittenKeyFiles {
  ensureKeysDir(dir);
  const names = keyFileNames(id);
  const keyPath = join(dir, names.keyFile);
  const certPath = join(dir, names.certFile);
  const written: string[] = [];
  const remove = (): void => written.forEach((p) => rmSync(p, { force: true }));
  for (const [path, content] of [
    [keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
    [certPath, certificatePem],
  ] as const) {
    try {
      writePrivateFile(path, content);
      written.push(path);
    } catch (e) {
      remove(); // only what this call wrote: an existing file is never touched
      const code = (e as NodeJS.ErrnoException).code;
      throw new KeyLifecycleError('KEY_FILE', `cannot write ${path} (${code === 'EEXIST' ? 'a file of that name exists' : (code ?? 'error')})`);
    }
  }
  return { ...names, remove };
}
