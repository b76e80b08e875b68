/**
 * The node's own keys, one pair per role, as files `<role>.key.pem` + `<role>.cert.pem` in
 * the keys directory, imported ONCE as KeyObject / X509Certificate (DESIGN §12).
 * Message signing, encryption and metadata signing are distinct keys (R-CRY-10, DESIGN §4).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { checkKeyStrength, loadCertificate, loadPrivateKey, publicKeySpki } from '../saml/keys.ts';
import { XmlSecurityError } from '../saml/errors.ts';
import { KeyStoreError } from './errors.ts';
import { isExposed } from './files.ts';

export const KEY_ROLES = ['message-signing', 'encryption', 'metadata-signing'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export interface LoadedKey {
  role: KeyRole;
  privateKey: KeyObject;
  certificate: X509Certificate;
  keyFile: string;
  certFile: string;
  /** SHA-256 of the certificate, colon hex. */
  fingerprint: string;
  notAfter: Date;
}

export type KeySet = Readonly<Record<KeyRole, LoadedKey>>;

export interface LoadedKeySet {
  keys: KeySet;
  /** Non-fatal findings, e.g. a private key file readable by others. */
  warnings: string[];
}

export function keyFiles(dir: string, role: KeyRole): { keyFile: string; certFile: string } {
  return { keyFile: join(dir, `${role}.key.pem`), certFile: join(dir, `${role}.cert.pem`) };
}

/** Which files of a role exist: 'both', 'none' or 'partial'. */
export function roleState(dir: string, role: KeyRole): 'both' | 'none' | 'partial' {
  const { keyFile, certFile } = keyFiles(dir, role);
  const present = [keyFile, certFile].filter((f) => existsSync(f)).length;
  return present === 2 ? 'both' : present === 0 ? 'none' : 'partial';
}

export function loadKeySet(dir: string, policy: { minRsaBits: number }): LoadedKeySet {
  const warnings: string[] = [];
  const entries = KEY_ROLES.map((role) => {
    const state = roleState(dir, role);
    const { keyFile, certFile } = keyFiles(dir, role);
    if (state === 'none') throw new KeyStoreError('MISSING', `no ${role} key in ${dir} (expected ${keyFile} and ${certFile})`);
    if (state === 'partial') throw new KeyStoreError('INCOMPLETE', `${role}: ${keyFile} and ${certFile} must both exist`);
    if (isExposed(keyFile)) warnings.push(`${keyFile} is readable by group or others (expected mode 0600)`);
    return [role, loadRole(role, keyFile, certFile, policy)] as const;
  });
  refuseSharedKeys(entries.map(([, key]) => key));
  return { keys: Object.freeze(Object.fromEntries(entries)) as KeySet, warnings };
}

/** R-CRY-10 / R-MD-05: the three roles hold three different keys (by public key, whatever the certificates). */
function refuseSharedKeys(keys: readonly LoadedKey[]): void {
  const byKey = new Map<string, KeyRole>();
  for (const key of keys) {
    const spki = publicKeySpki(key.certificate.publicKey)?.toString('base64') ?? key.fingerprint;
    const other = byKey.get(spki);
    if (other) throw new KeyStoreError('SHARED', `${key.keyFile} holds the same key as the ${other} key: each role needs its own key`);
    byKey.set(spki, key.role);
  }
}

function loadRole(role: KeyRole, keyFile: string, certFile: string, policy: { minRsaBits: number }): LoadedKey {
  const privateKey = parse(keyFile, (text) => loadPrivateKey(text));
  const certificate = parse(certFile, (text) => loadCertificate(text));
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new KeyStoreError('MISMATCH', `${certFile} does not certify the key in ${keyFile}`);
  }
  try {
    checkKeyStrength(privateKey, policy);
  } catch (e) {
    if (e instanceof XmlSecurityError) throw new KeyStoreError('WEAK', `${keyFile}: ${e.message}`);
    throw e;
  }
  return {
    role,
    privateKey,
    certificate,
    keyFile,
    certFile,
    fingerprint: certificate.fingerprint256,
    notAfter: new Date(certificate.validTo),
  };
}

function parse<T>(file: string, load: (text: Buffer) => T): T {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new KeyStoreError('UNREADABLE', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return load(bytes);
  } catch (e) {
    if (e instanceof XmlSecurityError) throw new KeyStoreError('UNREADABLE', `${file}: ${e.message}`);
    throw e;
  }
}
