/**
 * Attacks on XML Encryption, part 1 (attacks.md §C): algorithm games and AES-GCM misuse,
 * ATK-31..35. Each asserts the reason code, and where the defence is "before any key
 * operation", that no decipher, ECDH or RSA private-key operation ran.
 */
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptElement } from '../../../src/saml/decrypt.ts';
import { ENC, NS } from '../../../src/saml/namespaces.ts';
import { serializeXml } from '../../../src/saml/parser.ts';
import {
  encryptedResponse,
  euCert,
  euKey,
  find,
  inEncryptedAssertion,
  messageOf,
  plainResponse,
  reasonOf,
  spyKeyOperations,
  thirdPartyEncrypt,
} from './enc-fixtures.ts';

const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const CBC = [`${XENC}aes128-cbc`, `${XENC}aes256-cbc`, `${XENC}tripledes-cbc`];
const RSA_1_5 = `${XENC}rsa-1_5`;
const keys = [euKey('test-rsa')];
const assertionXml = serializeXml(plainResponse().assertion);

let spy: ReturnType<typeof spyKeyOperations>;
beforeEach(() => {
  spy = spyKeyOperations();
});
afterEach(() => spy.restore());

const dataMethod = (enc: Element) => find(enc, NS.xenc, 'EncryptionMethod', 0);
const keyMethod = (enc: Element) => find(find(enc, NS.xenc, 'EncryptedKey'), NS.xenc, 'EncryptionMethod');
const dataCipherValue = (enc: Element) => find(enc, NS.xenc, 'CipherValue', 1);

function mutateCipherValue(cv: Element, change: (b: Buffer) => Buffer): void {
  cv.textContent = change(Buffer.from(cv.textContent!.replace(/\s+/g, ''), 'base64')).toString('base64');
}
function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  c[at < 0 ? c.length + at : at]! ^= 0x01;
  return c;
}

describe('ATK-31: CBC padding/format oracle on EncryptedData', () => {
  for (const alg of CBC) {
    it(`ATK-31: ${alg.split('#')[1]} and its bit-flipped variants are ENC_ALG_NOT_ALLOWED with one message, before any decryption`, async () => {
      const messages = new Set<string>();
      for (const mutation of [(b: Buffer) => b, (b: Buffer) => flip(b, 0), (b: Buffer) => flip(b, -1), (b: Buffer) => flip(b, -17)]) {
        const encrypted = inEncryptedAssertion(await thirdPartyEncrypt(assertionXml, alg, ENC.RSA_OAEP_MGF1P));
        mutateCipherValue(dataCipherValue(encrypted), mutation);
        const refused = decryptElement(encrypted, { keys });
        expect(await reasonOf(refused)).toBe('ENC_ALG_NOT_ALLOWED');
        messages.add(await messageOf(decryptElement(encrypted, { keys })));
      }
      expect(messages.size).toBe(1);
      spy.expectNone();
    });
  }
});

describe('ATK-32: backwards-compatibility attack on a legitimate AES-GCM message', () => {
  it('ATK-32: EncryptionMethod rewritten from aes256-gcm to aes256-cbc is ENC_ALG_NOT_ALLOWED and no decipher or private-key operation runs', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa'), keyTransport: ENC.RSA_OAEP_MGF1P });
    dataMethod(encrypted).setAttribute('Algorithm', `${XENC}aes256-cbc`);
    expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_ALG_NOT_ALLOWED');
    spy.expectNone();
  });

  it('ATK-32: EncryptedKey method rewritten from rsa-oaep-mgf1p to rsa-1_5 is ENC_ALG_NOT_ALLOWED and no RSA private-key operation runs', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa'), keyTransport: ENC.RSA_OAEP_MGF1P });
    const method = keyMethod(encrypted);
    method.setAttribute('Algorithm', RSA_1_5);
    while (method.firstChild) method.removeChild(method.firstChild);
    expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_ALG_NOT_ALLOWED');
    spy.expectNone();
  });
});

describe('ATK-33: RSA PKCS#1 v1.5 and weak OAEP parameters', () => {
  it('ATK-33: an rsa-1_5 EncryptedKey (built by xml-encryption) is ENC_ALG_NOT_ALLOWED before any RSA operation', async () => {
    const encrypted = inEncryptedAssertion(await thirdPartyEncrypt(assertionXml, ENC.AES256_GCM, RSA_1_5));
    expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_ALG_NOT_ALLOWED');
    spy.expectNone();
  });

  const SHA1 = ENC.SHA1;
  const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
  const MD5 = 'http://www.w3.org/2001/04/xmldsig-more#md5';
  const cases: Array<[string, string, Array<[string, string]>]> = [
    ['xmlenc11#rsa-oaep with a SHA-1 digest', ENC.RSA_OAEP, [['DigestMethod', SHA1], ['MGF', ENC.MGF1_SHA256]]],
    ['xmlenc11#rsa-oaep without MGF (MGF1-SHA1 implied)', ENC.RSA_OAEP, [['DigestMethod', SHA256]]],
    ['xmlenc11#rsa-oaep with mgf1sha1', ENC.RSA_OAEP, [['DigestMethod', SHA256], ['MGF', 'http://www.w3.org/2009/xmlenc11#mgf1sha1']]],
    ['xmlenc11#rsa-oaep with MGF1 and digest differing', ENC.RSA_OAEP, [['DigestMethod', SHA256], ['MGF', ENC.MGF1_SHA512]]],
    ['xmlenc11#rsa-oaep without DigestMethod (SHA-1 implied)', ENC.RSA_OAEP, [['MGF', ENC.MGF1_SHA256]]],
    ['rsa-oaep-mgf1p with a SHA-256 digest (MGF1-SHA1 fixed)', ENC.RSA_OAEP_MGF1P, [['DigestMethod', SHA256]]],
    ['rsa-oaep-mgf1p with an MD5 digest', ENC.RSA_OAEP_MGF1P, [['DigestMethod', MD5]]],
    ['an unknown key transport URI', 'urn:example:rsa-raw', []],
  ];
  for (const [name, algorithm, params] of cases) {
    it(`ATK-33: ${name} is ENC_ALG_NOT_ALLOWED before any RSA operation`, async () => {
      const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
      const method = keyMethod(encrypted);
      method.setAttribute('Algorithm', algorithm);
      while (method.firstChild) method.removeChild(method.firstChild);
      for (const [local, uri] of params) {
        const ns = local === 'MGF' ? NS.xenc11 : NS.ds;
        const el = method.ownerDocument.createElementNS(ns, local === 'MGF' ? 'xenc11:MGF' : 'ds:DigestMethod');
        el.setAttribute('Algorithm', uri);
        method.appendChild(el);
      }
      expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_ALG_NOT_ALLOWED');
      spy.expectNone();
    });
  }

  it('ATK-33: an OAEP failure and a GCM tag failure give the same DECRYPT_FAILED message (no padding oracle)', async () => {
    const a = await encryptedResponse({ recipient: euCert('test-rsa') });
    mutateCipherValue(find(a.encrypted, NS.xenc, 'CipherValue', 0), (b) => flip(b, 5));
    const b = await encryptedResponse({ recipient: euCert('test-rsa') });
    mutateCipherValue(dataCipherValue(b.encrypted), (v) => flip(v, -3));
    expect(await reasonOf(decryptElement(a.encrypted, { keys }))).toBe('DECRYPT_FAILED');
    expect(spy.spies.subtleDecrypt).toHaveBeenCalled(); // the spies do see RSA operations
    expect(await messageOf(decryptElement(a.encrypted, { keys }))).toBe(await messageOf(decryptElement(b.encrypted, { keys })));
    expect(spy.spies.createDecipheriv).toHaveBeenCalled(); // ... and deciphers
  });
});

describe('ATK-34: attacker-encrypted assertions', () => {
  it('ATK-34: encryption gives no authenticity: an Assertion anyone encrypted to our public certificate decrypts, so callers decrypt only what a verified signature covers', async () => {
    const forged = assertionXml.replace('CA/CA/12345', 'CA/CA/VICTIM');
    const encrypted = inEncryptedAssertion(await thirdPartyEncrypt(forged, ENC.AES256_GCM, ENC.RSA_OAEP_MGF1P));
    const assertion = await decryptElement(encrypted, { keys });
    expect(serializeXml(assertion)).toContain('CA/CA/VICTIM');
  });

  it('ATK-34(d): a refused message never reaches a decipher or private-key operation (refusal happens on structure and algorithms first)', async () => {
    const attacker = inEncryptedAssertion(await thirdPartyEncrypt(assertionXml, `${XENC}aes256-cbc`, RSA_1_5));
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
    encrypted.insertBefore(encrypted.ownerDocument.importNode(find(attacker, NS.xenc, 'EncryptedData'), true), encrypted.firstChild);
    expect(await reasonOf(decryptElement(attacker, { keys }))).toBe('ENC_ALG_NOT_ALLOWED');
    expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_FORMAT');
    spy.expectNone();
  });
});

describe('ATK-35: AES-GCM misuse', () => {
  const layouts: Array<[string, (v: Buffer) => Buffer]> = [
    ['shorter than IV + tag', (v) => v.subarray(0, 20)],
    ['IV and tag only (empty ciphertext)', (v) => Buffer.concat([v.subarray(0, 12), v.subarray(v.length - 16)])],
    ['IV, one byte and a 4-byte tag', (v) => Buffer.concat([v.subarray(0, 13), v.subarray(v.length - 4)])],
    ['IV, one byte and an 8-byte tag', (v) => Buffer.concat([v.subarray(0, 13), v.subarray(v.length - 8)])],
  ];
  for (const [name, change] of layouts) {
    it(`ATK-35: a CipherValue made of ${name} is ENC_FORMAT before any decipher`, async () => {
      const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
      mutateCipherValue(dataCipherValue(encrypted), change);
      expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_FORMAT');
      spy.expectNone();
    });
  }

  it('ATK-35: a CipherValue that is not base64 is ENC_FORMAT', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
    dataCipherValue(encrypted).textContent = 'not*base64!';
    expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('ENC_FORMAT');
    spy.expectNone();
  });

  const longer: Array<[string, (v: Buffer) => Buffer]> = [
    ['a truncated 4-byte tag', (v) => v.subarray(0, v.length - 12)],
    ['the tag removed and the ciphertext shifted', (v) => Buffer.concat([v.subarray(0, 12), v.subarray(28)])],
    ['a 16-byte IV', (v) => Buffer.concat([v.subarray(0, 12), Buffer.alloc(4), v.subarray(12)])],
  ];
  for (const [name, change] of longer) {
    it(`ATK-35: ${name} is the uniform DECRYPT_FAILED (tag pinned to 16 bytes, IV to 12)`, async () => {
      const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
      const wrongKey = await messageOf(decryptElement(encrypted, { keys: [euKey('test-ec')] }));
      mutateCipherValue(dataCipherValue(encrypted), change);
      expect(await reasonOf(decryptElement(encrypted, { keys }))).toBe('DECRYPT_FAILED');
      expect(await messageOf(decryptElement(encrypted, { keys }))).toBe(wrongKey);
    });
  }

  it('ATK-35: what we send is IV(12) ‖ ciphertext ‖ tag(16), readable by plain node:crypto', async () => {
    const { encrypted } = await encryptedResponse({ recipient: euCert('test-rsa') });
    const wrapped = Buffer.from(find(encrypted, NS.xenc, 'CipherValue', 0).textContent!, 'base64');
    const cek = crypto.privateDecrypt({ key: euKey('test-rsa'), oaepHash: 'sha256' }, wrapped);
    const value = Buffer.from(dataCipherValue(encrypted).textContent!, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', cek, value.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(value.subarray(value.length - 16));
    const plain = Buffer.concat([decipher.update(value.subarray(12, value.length - 16)), decipher.final()]).toString();
    expect(plain.startsWith('<saml2:Assertion')).toBe(true);
  });
});
