/**
 * Known-answer tests on the EU reference node's encrypted Responses (test/fixtures/vectors/
 * eidas-eu-mock, see PROVENANCE.md): what the EU node encrypts, we decrypt to the same bytes.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptElement } from '../../../src/saml/decrypt.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { verifyElement } from '../../../src/saml/verify.ts';
import { concatKdf, concatKdfParam } from '../../../src/saml/key-agreement.ts';
import { euKey, excC14n, find, plainResponse, reasonOf, vectorDocument } from './enc-fixtures.ts';

const RSA_VECTOR = 'saml_rsa_rsa-oaep-mgf1p_encrypted_response.xml';
const NIST_VECTOR = 'saml_ec_NistCurve_kw-aes256_encrypted_response.xml';
const BRAINPOOL_VECTOR = 'saml_ec_Brainpool_kw-aes256_encrypted_response.xml';

function encryptedAssertionOf(file: string): Element {
  return find(vectorDocument(file), NS.saml, 'EncryptedAssertion');
}

describe('EU reference node vectors (R-CRY-05..08)', () => {
  const expected = excC14n(plainResponse().assertion);

  it('R-CRY-07: the rsa-oaep-mgf1p + aes256-gcm vector decrypts to the Assertion of saml_response.xml (exc-C14N)', async () => {
    const assertion = await decryptElement(encryptedAssertionOf(RSA_VECTOR), { keys: [euKey('test-rsa')] });
    expect(assertion.localName).toBe('Assertion');
    expect(excC14n(assertion)).toBe(expected);
  });

  it('R-CRY-08: the ECDH-ES P-256 + ConcatKDF + kw-aes256 vector decrypts to the Assertion of saml_response.xml (exc-C14N)', async () => {
    const assertion = await decryptElement(encryptedAssertionOf(NIST_VECTOR), { keys: [euKey('test-ec-nist')] });
    expect(excC14n(assertion)).toBe(expected);
  });

  it('R-CRY-08: the ECDH-ES brainpoolP256r1 vector decrypts and its Assertion ECDSA signature verifies with the certificate it carries', async () => {
    const assertion = await decryptElement(encryptedAssertionOf(BRAINPOOL_VECTOR), { keys: [euKey('test-ec')] });
    expect(assertion.getAttribute('ID')).toBe('_.dzo2DMH7E0eiK4RLKoU3dfyyTvEkXsevrnLtfRf4a-JXRBRE0iydn63wwx42Js');
    // The test, not the code under test, decides to trust the embedded certificate (PROVENANCE.md).
    const signature = find(assertion, NS.ds, 'Signature');
    const certText = find(signature, NS.ds, 'X509Certificate').textContent ?? '';
    const cert = new crypto.X509Certificate(Buffer.from(certText.replace(/\s+/g, ''), 'base64'));
    const verified = await verifyElement(assertion, { trusted: [cert] });
    expect(verified.element).toBe(assertion);
    expect(verified.signatureAlgorithm).toBe('http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256');
  });

  it('R-CRY-08: our keys are tried in order (retiring key after the active one) and only the right curve is used', async () => {
    const keys = [euKey('test-rsa'), euKey('test-ec-nist'), euKey('test-ec')];
    const nist = await decryptElement(encryptedAssertionOf(NIST_VECTOR), { keys });
    const brainpool = await decryptElement(encryptedAssertionOf(BRAINPOOL_VECTOR), { keys });
    const rsa = await decryptElement(encryptedAssertionOf(RSA_VECTOR), { keys });
    expect(excC14n(nist)).toBe(expected);
    expect(excC14n(rsa)).toBe(expected);
    expect(brainpool.localName).toBe('Assertion');
  });

  it('R-CRY-07: the EU vector is refused (ENC_ALG_NOT_ALLOWED) when rsa-oaep-mgf1p is switched off', async () => {
    const refused = decryptElement(encryptedAssertionOf(RSA_VECTOR), { keys: [euKey('test-rsa')], allowRsaOaepMgf1p: false });
    expect(await reasonOf(refused)).toBe('ENC_ALG_NOT_ALLOWED');
  });

  it('R-CRY-06: a vector for another key of ours is DECRYPT_FAILED, not a crash', async () => {
    expect(await reasonOf(decryptElement(encryptedAssertionOf(RSA_VECTOR), { keys: [euKey('test-ec')] }))).toBe('DECRYPT_FAILED');
  });
});

describe('ConcatKDF (R-CRY-08, XML-Enc 1.1 §5.4.1)', () => {
  it('R-CRY-08: a "0000" bit string contributes one zero octet and the output is SHA-256(counter ‖ Z ‖ OtherInfo)', () => {
    const z = Buffer.alloc(32, 7);
    const otherInfo = Buffer.concat(['0000', '0000', '0000'].map(concatKdfParam));
    expect(otherInfo).toEqual(Buffer.from([0, 0, 0]));
    const manual = crypto.createHash('sha256').update(Buffer.from([0, 0, 0, 1])).update(z).update(otherInfo).digest();
    expect(concatKdf('sha256', z, otherInfo, 32)).toEqual(manual);
    const long = concatKdf('sha256', z, otherInfo, 48);
    expect(long.subarray(0, 32)).toEqual(manual);
    const second = crypto.createHash('sha256').update(Buffer.from([0, 0, 0, 2])).update(z).update(otherInfo).digest();
    expect(long.subarray(32)).toEqual(second.subarray(0, 16));
  });

  it('ATK-37: a ConcatKDF bit string with padding bits or odd hex is ENC_FORMAT', () => {
    expect(() => concatKdfParam('0300')).toThrow(/ENC_FORMAT/);
    expect(() => concatKdfParam('000')).toThrow(/ENC_FORMAT/);
    expect(concatKdfParam(null)).toEqual(Buffer.alloc(0));
  });
});
