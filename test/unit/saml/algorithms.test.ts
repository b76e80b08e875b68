import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultSignatureAlgorithm, digestAlgorithm, signatureAlgorithm } from '../../../src/saml/algorithms.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { DIGEST, ENC, SIG } from '../../../src/saml/namespaces.ts';

function refusal(f: () => unknown): { reason: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof XmlSecurityError) return { reason: e.reason, message: e.message };
    throw e;
  }
  return { reason: 'accepted', message: '' };
}

describe('R-CRY-03: signature algorithm allowlist', () => {
  it('knows RSA-PSS and ECDSA with SHA-256/384/512 by name and by URI', () => {
    expect(signatureAlgorithm('rsa-pss-sha384')).toMatchObject({ uri: SIG.RSA_PSS_SHA384, kind: 'rsa-pss', hash: 'sha384' });
    expect(signatureAlgorithm(SIG.ECDSA_SHA512)).toMatchObject({ name: 'ecdsa-sha512', kind: 'ecdsa', hash: 'sha512' });
    expect(signatureAlgorithm(SIG.RSA_SHA256).kind).toBe('rsa-pkcs1'); // only for the legacy opt-in
  });

  it.each([
    ['rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', /SHA-1/],
    ['ecdsa-sha1', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1', /SHA-1/],
    ['hmac-sha1 (ATK-24)', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1', /SHA-1|HMAC/],
    ['hmac-sha256 (ATK-24)', 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', /HMAC/],
    ['rsa-sha512 PKCS#1 v1.5', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512', /allowlist/],
    ['dsa-sha1', 'http://www.w3.org/2000/09/xmldsig#dsa-sha1', /SHA-1/],
    ['empty', '', /allowlist/],
  ])('ATK-25: refuses %s with SIG_ALG_NOT_ALLOWED', (_n, uri, detail) => {
    const r = refusal(() => signatureAlgorithm(uri));
    expect(r.reason).toBe('SIG_ALG_NOT_ALLOWED');
    expect(r.message).toMatch(detail);
  });
});

describe('R-CRY-02: digest allowlist', () => {
  it('maps the three SHA-2 URIs', () => {
    expect(digestAlgorithm(DIGEST.SHA256)).toBe('sha256');
    expect(digestAlgorithm(DIGEST.SHA384)).toBe('sha384');
    expect(digestAlgorithm(DIGEST.SHA512)).toBe('sha512');
  });

  it('refuses SHA-1 naming it, and anything else', () => {
    const sha1 = refusal(() => digestAlgorithm(ENC.SHA1));
    expect(sha1.reason).toBe('SIG_ALG_NOT_ALLOWED');
    expect(sha1.message).toMatch(/SHA-1/);
    expect(refusal(() => digestAlgorithm('http://www.w3.org/2001/04/xmldsig-more#md5')).reason).toBe('SIG_ALG_NOT_ALLOWED');
    expect(refusal(() => digestAlgorithm('http://www.w3.org/2001/04/xmldsig-more#sha224')).reason).toBe('SIG_ALG_NOT_ALLOWED');
  });
});

describe('defaultSignatureAlgorithm (DESIGN §3: RSA-PSS SHA-256; ECDSA by curve size)', () => {
  it.each([
    ['P-256', 'ecdsa-sha256'],
    ['P-384', 'ecdsa-sha384'],
    ['P-521', 'ecdsa-sha512'],
    ['brainpoolP256r1', 'ecdsa-sha256'],
    ['brainpoolP384r1', 'ecdsa-sha384'],
    ['brainpoolP512r1', 'ecdsa-sha512'],
  ])('%s → %s', (namedCurve, name) => {
    expect(defaultSignatureAlgorithm(generateKeyPairSync('ec', { namedCurve }).privateKey).name).toBe(name);
  });

  it('RSA → rsa-pss-sha256; Ed25519 refused', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(defaultSignatureAlgorithm(privateKey).uri).toBe(SIG.RSA_PSS_SHA256);
    expect(refusal(() => defaultSignatureAlgorithm(generateKeyPairSync('ed25519').privateKey)).reason).toBe('SIG_ALG_NOT_ALLOWED');
  });
});
