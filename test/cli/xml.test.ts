/**
 * `pont xml …` on the real EU vectors, through the real command (subprocess). Each failure
 * must be one line on stderr, a non-zero exit, and no stack trace.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYS, VECTORS, pont, singleErrorLine } from './run-pont.ts';

const EU = `${VECTORS}/eidas-eu-mock`;
const DE = `${VECTORS}/governikus-eidas-middleware`;
const EU_KEYS = `${KEYS}/eu-mock-test-p12`;
const METADATA_SIGNER = `${KEYS}/eu-mock-metadata/metadata-signer.cert.pem`;
const RESPONSE_ID = '_T7o2q8kUMCwDVb0LZgb--Cvund2Y6gG_p9ZX.DEYubMMITFOEMos_uur9-lC3LD';
const ASSERTION_ID = '_G10aw0MvnXs1TwOB5MitLD.xSy8rvw-.J3wn1l8LMP9a361iouJQVh6K.NVlBwc';
const tmp = mkdtempSync(join(tmpdir(), 'pont-xml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.concurrent('pont xml verify', () => {
  it('accepts the EU ServiceMetadata.xml (Reference URI="", RSA-PSS SHA-384) with the CN=metadata certificate (R-CRY-03)', async () => {
    const r = await pont(['xml', 'verify', '--cert', METADATA_SIGNER, `${EU}/ServiceMetadata.xml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^verified md:EntityDescriptor .*algorithm=http:\/\/www\.w3\.org\/2007\/05\/xmldsig-more#sha384-rsa-MGF1/);
  });

  it('accepts a DER certificate and names the element and its ID (Governikus AuthnRequest, 2048-bit per-call opt-in)', async () => {
    const r = await pont(['xml', 'verify', '--min-rsa-bits', '2048', '--cert', `${DE}/EidasSignerTest_x509-old.cer`, `${DE}/EidasSamlRequest_13062017.xml`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verified saml2p:AuthnRequest ID=_99ddcb6d-9ce9-43e3-8922-93acf9275ac7');
  });

  it('refuses a document changed after signing with DIGEST_MISMATCH, and a 2048-bit key by default (ATK-05, R-CRY-04)', async () => {
    const [tampered, weak] = await Promise.all([
      pont(['xml', 'verify', '--cert', `${DE}/metadata-signer.cer`, `${DE}/metadata-9445-invalid.xml`]),
      pont(['xml', 'verify', '--cert', `${DE}/EidasSignerTest_x509-old.cer`, `${DE}/EidasSamlRequest_13062017.xml`]),
    ]);
    expect(tampered.code).toBe(1);
    expect(singleErrorLine(tampered)).toMatch(/^pont: refused: DIGEST_MISMATCH/);
    expect(weak.code).toBe(1);
    expect(singleErrorLine(weak)).toMatch(/^pont: refused: SIG_ALG_NOT_ALLOWED: RSA key of 2048 bits/);
    expect(tampered.stdout + weak.stdout).toBe('');
  });
});

describe.concurrent('pont xml sign, encrypt, decrypt', () => {
  it('signs the root by its ID with RSA-PSS, and verify accepts the result with the certificate (R-CRY-03)', async () => {
    const signed = await pont(['xml', 'sign', '--key', `${EU_KEYS}/test-rsa.key.pem`, '--cert', `${EU_KEYS}/test-rsa.cert.pem`, `${EU}/saml_response.xml`]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain('xmldsig-more#sha256-rsa-MGF1');
    writeFileSync(join(tmp, 'signed.xml'), signed.stdout);
    const verified = await pont(['xml', 'verify', '--cert', `${EU_KEYS}/test-rsa.cert.pem`, join(tmp, 'signed.xml')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`verified saml2p:Response ID=${RESPONSE_ID}`);
  });

  it('decrypts the EU RSA (rsa-oaep-mgf1p) and P-256 (ECDH-ES) vectors to the Assertion of saml_response.xml (R-CRY-05..08)', async () => {
    const [rsa, ec] = await Promise.all([
      pont(['xml', 'decrypt', '--key', `${EU_KEYS}/test-rsa.key.pem`, `${EU}/saml_rsa_rsa-oaep-mgf1p_encrypted_response.xml`]),
      pont(['xml', 'decrypt', '--key', `${EU_KEYS}/test-ec-nist.key.pem`, `${EU}/saml_ec_NistCurve_kw-aes256_encrypted_response.xml`]),
    ]);
    for (const r of [rsa, ec]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`ID="${ASSERTION_ID}"`);
      expect(r.stdout).not.toContain('EncryptedAssertion');
    }
  });

  it('encrypts exactly one named element into an EncryptedAssertion that decrypt turns back (R-CRY-05/06)', async () => {
    const enc = await pont(['xml', 'encrypt', '--cert', `${EU_KEYS}/test-ec-nist.cert.pem`, '--element', 'Assertion', `${EU}/saml_response.xml`]);
    expect(enc.code).toBe(0);
    expect(enc.stdout).toMatch(/<saml2:EncryptedAssertion[\s>]/);
    expect(enc.stdout).not.toContain(ASSERTION_ID);
    expect(enc.stdout).toContain('xmlenc11#ECDH-ES');
    writeFileSync(join(tmp, 'encrypted.xml'), enc.stdout);
    const dec = await pont(['xml', 'decrypt', '--key', `${EU_KEYS}/test-ec-nist.key.pem`, join(tmp, 'encrypted.xml')]);
    expect(dec.code).toBe(0);
    expect(dec.stdout).toContain(`ID="${ASSERTION_ID}"`);
  });
});

describe.concurrent('pont xml: bad input is one line on stderr and a non-zero exit', () => {
  const garbage = join(tmp, 'garbage.xml');
  const encryptedKey = join(tmp, 'encrypted-key.pem');
  const wrongPassword = join(tmp, 'wrong.pwd');
  writeFileSync(garbage, '<a><b></a>');
  writeFileSync(wrongPassword, 'not-the-passphrase\n');
  writeEncryptedKey(encryptedKey);

  it.each([
    ['missing file', ['xml', 'verify', '--cert', METADATA_SIGNER, join(tmp, 'absent.xml')], 4, /^pont: cannot read XML file .*absent\.xml: no such file$/],
    ['garbage XML', ['xml', 'verify', '--cert', METADATA_SIGNER, garbage], 1, /^pont: refused: XML_MALFORMED/],
    ['a DOCTYPE (ATK-14)', ['xml', 'sign', '--key', `${EU_KEYS}/test-rsa.key.pem`, `${EU}/eidas-attributes.xml`], 1, /^pont: refused: XML_DTD_FORBIDDEN/],
    ['the wrong trusted key', ['xml', 'verify', '--cert', `${EU_KEYS}/test-rsa.cert.pem`, `${EU}/ServiceMetadata.xml`], 1, /^pont: refused: (KEY_UNTRUSTED|SIG_INVALID)/],
    ['a certificate given as key', ['xml', 'sign', '--key', `${EU_KEYS}/test-rsa.cert.pem`, `${EU}/saml_response.xml`], 4, /^pont: .*test-rsa\.cert\.pem: KEY_INVALID/],
    ['a wrong passphrase', ['xml', 'decrypt', '--key', encryptedKey, '--pwd-file', wrongPassword, `${EU}/saml_rsa_rsa-oaep-mgf1p_encrypted_response.xml`], 4, /^pont: .*encrypted-key\.pem: KEY_INVALID/],
    ['the wrong decryption key', ['xml', 'decrypt', '--key', `${KEYS}/dsig/rsa-3072.key.pem`, `${EU}/saml_rsa_rsa-oaep-mgf1p_encrypted_response.xml`], 1, /^pont: refused: DECRYPT_FAILED/],
    ['an ambiguous --element', ['xml', 'encrypt', '--cert', `${EU_KEYS}/test-rsa.cert.pem`, '--element', 'Attribute', `${EU}/saml_response.xml`], 4, /^pont: .*6 elements named Attribute; --element must name exactly one$/],
    ['an unknown option', ['xml', 'verify', '--cert', METADATA_SIGNER, '--frobnicate', `${EU}/ServiceMetadata.xml`], 2, /^pont: unknown option '--frobnicate'$/],
  ])('%s', async (_name, args, exitCode, line) => {
    const r = await pont(args as string[]);
    expect(r.code).toBe(exitCode);
    expect(singleErrorLine(r)).toMatch(line as RegExp);
    expect(r.stdout).toBe('');
  });
});

function writeEncryptedKey(file: string): void {
  const key = createPrivateKey(readFileSync(`${EU_KEYS}/test-rsa.key.pem`));
  writeFileSync(file, key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'the-passphrase' }));
}
