/**
 * Development keys: on a start with environment=development, each role whose files are
 * missing gets a fresh RSA-3072 key and a self-signed certificate in the keys directory
 * (0700 / 0600). Existing keys are reused, never replaced; a half-present pair is an error.
 */
import { KeyStoreError } from './errors.ts';
import { ensurePrivateDir, writePrivateFile } from './files.ts';
import { generateKeyPair, type KeyUsage } from './generate.ts';
import { KEY_ROLES, keyFiles, loadKeySet, roleState, type KeyRole, type LoadedKeySet } from './keyset.ts';

export const DEV_KEY_VALIDITY_DAYS = 365;

const DEV_KEYS: Record<KeyRole, { usage: KeyUsage; cn: string }> = {
  'message-signing': { usage: 'signing', cn: 'message signing' },
  encryption: { usage: 'encryption', cn: 'encryption' },
  'metadata-signing': { usage: 'signing', cn: 'metadata signing' },
};

export interface GeneratedKeyFile {
  role: KeyRole;
  keyFile: string;
  certFile: string;
  fingerprint: string;
}

export interface DevelopmentKeys extends LoadedKeySet {
  /** Empty on a start that reused every key. */
  generated: GeneratedKeyFile[];
  createdDir: boolean;
}

export async function ensureDevelopmentKeys(dir: string, policy: { minRsaBits: number }): Promise<DevelopmentKeys> {
  const { created } = ensurePrivateDir(dir);
  const missing = KEY_ROLES.filter((role) => {
    const state = roleState(dir, role);
    if (state === 'partial') {
      const { keyFile, certFile } = keyFiles(dir, role);
      throw new KeyStoreError('INCOMPLETE', `${role}: ${keyFile} and ${certFile} must both exist (remove the one left to regenerate)`);
    }
    return state === 'none';
  });
  const generated = await Promise.all(missing.map((role) => generateRole(dir, role)));
  return { ...loadKeySet(dir, policy), generated, createdDir: created };
}

async function generateRole(dir: string, role: KeyRole): Promise<GeneratedKeyFile> {
  const spec = DEV_KEYS[role];
  const pair = await generateKeyPair({
    type: 'rsa-3072',
    usage: spec.usage,
    subject: `CN=Pont eIDAS development ${spec.cn}, O=Pont eIDAS (development), C=FR`,
    validityDays: DEV_KEY_VALIDITY_DAYS,
  });
  const { keyFile, certFile } = keyFiles(dir, role);
  writePrivateFile(keyFile, pair.privateKeyPem);
  writePrivateFile(certFile, pair.certificatePem);
  return { role, keyFile, certFile, fingerprint: pair.fingerprint };
}
