/**
 * The mock EU country's own keys (development only): ECDSA P-256 for metadata and message
 * signatures (what xmlsec1-era peers read), RSA-3072 for encryption. Generated on first start
 * into `<keysDir>/<role>.{key,cert}.pem` (0700 / 0600) and reused afterwards, or kept in memory
 * when no directory is given (tests).
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../../keys/files.ts';
import { generateKeyPair, type KeyType, type KeyUsage } from '../../keys/generate.ts';
import { loadCertificate, loadPrivateKey } from '../../saml/keys.ts';

export const MOCK_KEY_ROLES = ['metadata-signing', 'message-signing', 'encryption'] as const;
export type MockKeyRole = (typeof MOCK_KEY_ROLES)[number];

export interface MockKey {
  privateKey: KeyObject;
  certificate: X509Certificate;
  certificatePem: string;
}

export type MockKeys = Readonly<Record<MockKeyRole, MockKey>>;

const SPECS: Record<MockKeyRole, { type: KeyType; usage: KeyUsage; cn: string }> = {
  'metadata-signing': { type: 'ec-p256', usage: 'signing', cn: 'metadata signing' },
  'message-signing': { type: 'ec-p256', usage: 'signing', cn: 'message signing' },
  encryption: { type: 'rsa-3072', usage: 'encryption', cn: 'encryption' },
};

const VALIDITY_DAYS = 365;

export async function loadOrCreateMockKeys(keysDir: string | undefined, country: string): Promise<MockKeys> {
  if (keysDir) ensurePrivateDir(keysDir);
  const entries = await Promise.all(
    MOCK_KEY_ROLES.map(async (role) => [role, await loadOrCreate(keysDir, role, country)] as const),
  );
  return Object.freeze(Object.fromEntries(entries)) as MockKeys;
}

async function loadOrCreate(dir: string | undefined, role: MockKeyRole, country: string): Promise<MockKey> {
  const keyFile = dir ? join(dir, `${role}.key.pem`) : undefined;
  const certFile = dir ? join(dir, `${role}.cert.pem`) : undefined;
  if (keyFile && certFile && existsSync(keyFile) && existsSync(certFile)) {
    return toMockKey(readFileSync(keyFile, 'utf8'), readFileSync(certFile, 'utf8'));
  }
  const spec = SPECS[role];
  const pair = await generateKeyPair({
    type: spec.type,
    usage: spec.usage,
    subject: `CN=Mock EU country ${spec.cn}, O=Mock EU country (development), C=${country}`,
    validityDays: VALIDITY_DAYS,
  });
  if (keyFile && certFile) {
    writePrivateFile(keyFile, pair.privateKeyPem);
    writePrivateFile(certFile, pair.certificatePem);
  }
  return toMockKey(pair.privateKeyPem, pair.certificatePem);
}

function toMockKey(keyPem: string, certPem: string): MockKey {
  return { privateKey: loadPrivateKey(keyPem), certificate: loadCertificate(certPem), certificatePem: certPem };
}
