/**
 * Properties of encrypt → decrypt (R-CRY-05..09, ATK-35): any text, including non-Latin
 * scripts and XML-special characters, comes back unchanged; IVs and CEKs never repeat.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptElement } from '../../../src/saml/decrypt.ts';
import { encryptElement } from '../../../src/saml/encrypt.ts';
import { emittedDataAlgorithm, encryptGcm, GCM_IV_BYTES } from '../../../src/saml/enc-algorithms.ts';
import { ENC, NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { euCert, euKey, find } from './enc-fixtures.ts';

/** XML 1.0 characters (no lone surrogates, no C0 controls but TAB/LF/CR), with the special ones over-represented. */
const xmlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", ']]>', '\t', '\n', '\r', ' ', 'é', 'ß', 'Ł', 'Ω', 'Д', 'ж', 'ع', 'ש', '中', '文', '😀', '\u00a0'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
}).map((s) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));

function assertionWith(name: string, value: string): Document {
  const doc = parseXml(
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">' +
      '<saml:Assertion ID="_p"><saml:AttributeValue/></saml:Assertion></samlp:Response>',
  );
  const value_ = find(doc, NS.saml, 'AttributeValue');
  value_.setAttribute('FriendlyName', name);
  value_.appendChild(doc.createTextNode(value));
  return doc;
}

async function roundTrip(name: string, value: string, recipient: crypto.X509Certificate, key: crypto.KeyObject): Promise<Element> {
  const doc = assertionWith(name, value);
  await encryptElement(find(doc, NS.saml, 'Assertion'), { recipient });
  const received = find(parseXml(serializeXml(doc)), NS.saml, 'EncryptedAssertion');
  return find(await decryptElement(received, { keys: [key] }), NS.saml, 'AttributeValue');
}

describe('encrypt → decrypt is the identity', () => {
  it('R-CRY-08: any text and attribute value (non-Latin, XML-special) survives ECDH-ES brainpoolP256r1 + AES-256-GCM', async () => {
    const cert = euCert('test-ec');
    const key = euKey('test-ec');
    await fc.assert(
      fc.asyncProperty(xmlText, xmlText, async (name, value) => {
        const back = await roundTrip(name, value, cert, key);
        expect(back.getAttribute('FriendlyName')).toBe(name);
        expect(back.textContent).toBe(value);
      }),
      { numRuns: 60 },
    );
  });

  it('R-CRY-07: any text survives RSA-OAEP (SHA-256/MGF1-SHA256) + AES-256-GCM', async () => {
    const cert = euCert('test-rsa');
    const key = euKey('test-rsa');
    await fc.assert(
      fc.asyncProperty(xmlText, async (value) => {
        expect((await roundTrip('n', value, cert, key)).textContent).toBe(value);
      }),
      { numRuns: 15 },
    );
  });
});

describe('fresh randomness per message (R-CRY-05, R-CRY-09, ATK-35)', () => {
  it('ATK-35: 10^4 content encryptions never repeat an IV, and each is 12 bytes', () => {
    const alg = emittedDataAlgorithm(ENC.AES256_GCM);
    const key = crypto.randomBytes(32);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const iv = encryptGcm(alg, key, Buffer.from('x')).subarray(0, GCM_IV_BYTES);
      expect(iv.length).toBe(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(10_000);
  });

  it('R-CRY-05: encrypting the same Assertion twice gives different ciphertexts and different wrapped keys', async () => {
    const values = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const doc = assertionWith('n', 'same');
      const replacement = await encryptElement(find(doc, NS.saml, 'Assertion'), { recipient: euCert('test-ec-nist') });
      for (const cv of Array.from(replacement.getElementsByTagNameNS(NS.xenc, 'CipherValue'))) values.add(cv.textContent!);
    }
    expect(values.size).toBe(40);
  });
});
