/** Key generation (src/keys): self-signed certificates per R-CRY-10, development keys on disk. */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureDevelopmentKeys } from '../../src/keys/dev-keys.ts';
import { KeyStoreError } from '../../src/keys/errors.ts';
import { generateKeyPair } from '../../src/keys/generate.ts';
import { KEY_ROLES } from '../../src/keys/keyset.ts';

const policy = { minRsaBits: 3072 };

describe('generateKeyPair', () => {
  it('R-CRY-10: an RSA-3072 key with a certificate signed with RSASSA-PSS SHA-256, for signing only', async () => {
    const pair = await generateKeyPair({ type: 'rsa-3072', subject: 'CN=Pont eIDAS test, O=Pont eIDAS, C=FR', validityDays: 30 });
    const cert = new X509Certificate(pair.certificatePem);
    const parsed = new x509.X509Certificate(pair.certificatePem);
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(cert.checkPrivateKey(createPrivateKey(pair.privateKeyPem))).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'RSA-PSS', hash: { name: 'SHA-256' } });
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.subject).toContain('CN=Pont eIDAS test');
    expect(pair.fingerprint).toBe(cert.fingerprint256);
  });

  it('R-CRY-10: an EC P-384 encryption key with an ECDSA SHA-384 certificate for key agreement', async () => {
    const pair = await generateKeyPair({ type: 'ec-p384', usage: 'encryption', subject: 'CN=ec', validityDays: 1 });
    const parsed = new x509.X509Certificate(pair.certificatePem);
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-384' } });
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyAgreement);
  });
});

describe('ensureDevelopmentKeys', () => {
  it('generates three distinct RSA-3072 key pairs in a 0700 directory with 0600 files, then reuses them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pont-keys-')), 'keys');
    onTestFinished(() => rmSync(dirname(dir), { recursive: true, force: true }));
    const first = await ensureDevelopmentKeys(dir, policy);
    expect(first.createdDir).toBe(true);
    expect(first.generated.map((g) => g.role).sort()).toEqual([...KEY_ROLES].sort());
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const g of first.generated) {
      expect(statSync(g.keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(g.certFile).mode & 0o777).toBe(0o600);
    }
    expect(new Set(first.generated.map((g) => g.fingerprint)).size).toBe(3);

    const before = first.generated.map((g) => readFileSync(g.keyFile, 'utf8'));
    const second = await ensureDevelopmentKeys(dir, policy);
    expect(second.generated).toEqual([]);
    expect(first.generated.map((g) => readFileSync(g.keyFile, 'utf8'))).toEqual(before);
    expect(second.keys['metadata-signing'].fingerprint).toBe(first.keys['metadata-signing'].fingerprint);
  });

  it('refuses a private key left without its certificate rather than overwrite it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pont-keys-')), 'keys');
    onTestFinished(() => rmSync(dirname(dir), { recursive: true, force: true }));
    const { keys } = await ensureDevelopmentKeys(dir, policy);
    rmSync(keys.encryption.certFile);
    await expect(ensureDevelopmentKeys(dir, policy)).rejects.toMatchObject({ code: 'INCOMPLETE' });
    await expect(ensureDevelopmentKeys(dir, policy)).rejects.toBeInstanceOf(KeyStoreError);
    expect(existsSync(keys.encryption.keyFile)).toBe(true);
  });
});
