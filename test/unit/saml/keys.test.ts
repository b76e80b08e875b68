import { readFileSync } from 'node:fs';
import { X509Certificate, generateKeyPairSync, createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  certificateBase64,
  checkKeyStrength,
  loadCertificate,
  loadPrivateKey,
  toPublicKey,
} from '../../../src/saml/keys.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';

const KEYS = new URL('../../fixtures/keys/dsig/', import.meta.url);
const VECTORS = new URL('../../fixtures/vectors/governikus-eidas-middleware/', import.meta.url);
const read = (f: string, base = KEYS) => readFileSync(new URL(f, base));

function reasonOf(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

describe('keys: import once as KeyObject / X509Certificate', () => {
  it('loads PEM and DER certificates (the Governikus signer certificate is DER)', () => {
    const pem = loadCertificate(read('p256.cert.pem'));
    expect(pem.subject).toContain('CN=p256');
    const der = loadCertificate(read('EidasSignerTest_x509-old.cer', VECTORS));
    expect(der.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificateBase64(pem)).toBe(pem.raw.toString('base64'));
  });

  it('refuses garbage certificates and keys with KEY_INVALID', () => {
    expect(reasonOf(() => loadCertificate('not a certificate'))).toBe('KEY_INVALID');
    expect(reasonOf(() => loadPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'))).toBe('KEY_INVALID');
    expect(reasonOf(() => loadPrivateKey(read('p256.cert.pem')))).toBe('KEY_INVALID');
  });

  it('reads an encrypted private key with its passphrase only', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'right' });
    expect(loadPrivateKey(pem, 'right').asymmetricKeyType).toBe('ec');
    expect(reasonOf(() => loadPrivateKey(pem, 'wrong'))).toBe('KEY_INVALID');
  });

  it('toPublicKey gives the public key of a certificate, a private key or a public key', () => {
    const cert = new X509Certificate(read('p256.cert.pem'));
    const priv = loadPrivateKey(read('p256.key.pem'));
    expect(toPublicKey(priv).equals(cert.publicKey)).toBe(true);
    expect(toPublicKey(cert).type).toBe('public');
    expect(toPublicKey(cert.publicKey)).toBe(cert.publicKey);
    expect(reasonOf(() => toPublicKey(createSecretKey(Buffer.alloc(32))))).toBe('KEY_INVALID');
  });
});

describe('R-CRY-04: key strength (SIG_ALG_NOT_ALLOWED)', () => {
  const pub = (f: string) => loadCertificate(read(f)).publicKey;

  it('accepts RSA-3072 and every listed curve', () => {
    for (const f of ['rsa-3072', 'p256', 'p384', 'p521', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']) {
      expect(reasonOf(() => checkKeyStrength(pub(`${f}.cert.pem`)))).toBe('accepted');
    }
  });

  it('refuses RSA-2048 by default and accepts it only with a per-call minRsaBits of 2048', () => {
    expect(reasonOf(() => checkKeyStrength(pub('rsa-2048.cert.pem')))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(reasonOf(() => checkKeyStrength(pub('rsa-2048.cert.pem'), { minRsaBits: 2048 }))).toBe('accepted');
  });

  it('never goes below 2048, whatever the policy says', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(reasonOf(() => checkKeyStrength(publicKey, { minRsaBits: 1024 }))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(reasonOf(() => checkKeyStrength(publicKey, { minRsaBits: 0 }))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('refuses curves outside the list and non-EC/RSA key types', () => {
    for (const namedCurve of ['secp256k1', 'brainpoolP256t1', 'secp224r1']) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve });
      expect(reasonOf(() => checkKeyStrength(publicKey))).toBe('SIG_ALG_NOT_ALLOWED');
    }
    const { publicKey: ed } = generateKeyPairSync('ed25519');
    expect(reasonOf(() => checkKeyStrength(ed))).toBe('SIG_ALG_NOT_ALLOWED');
  });
});
