/**
 * Round trip (R-CRY-03, ATK-18/19): whatever values we put in an element, signing it,
 * serialising, parsing again and verifying gives back exactly the same values from the
 * verified element — for non-Latin scripts, astral characters and XML special characters.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCertificate, loadPrivateKey } from '../../../src/saml/keys.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signElement } from '../../../src/saml/sign.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { childElements, onlyChild } from '../../../src/saml/dom.ts';
import { NS } from '../../../src/saml/namespaces.ts';

const KEYS = new URL('../../fixtures/keys/dsig/', import.meta.url);
const SIGNERS = ['p256', 'rsa-3072', 'brainpoolP256r1'].map((name) => ({
  name,
  key: loadPrivateKey(readFileSync(new URL(`${name}.key.pem`, KEYS))),
  cert: loadCertificate(readFileSync(new URL(`${name}.cert.pem`, KEYS))),
}));

const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const piece = fc.oneof(
  fc.constantFrom('<', '>', '&', '"', "'", '&amp;', ']]>', '-->', '<!--', '\t', '\n', '\r', '\r\n', ' ', '  '),
  fc.constantFrom('Ελληνικά', 'кириллица', 'עברית', 'العربية', '中文字符', 'ひらがな', '한국어', 'Ñandú', 'Øre', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '😀👍🏽'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const value = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('').replace(XML_ILLEGAL, ''));

const TEMPLATE =
  `<saml:Assertion xmlns:saml="${NS.saml}" ID="_a1" Version="2.0">` +
  '<saml:Issuer>https://proxy.example.fr/metadata</saml:Issuer><saml:AttributeStatement/></saml:Assertion>';

function buildAssertion(values: Array<{ name: string; text: string }>): Document {
  const doc = parseXml(TEMPLATE);
  const statement = onlyChild(doc.documentElement, NS.saml, 'AttributeStatement');
  for (const v of values) {
    const attribute = doc.createElementNS(NS.saml, 'saml:Attribute');
    attribute.setAttribute('Name', v.name);
    const av = doc.createElementNS(NS.saml, 'saml:AttributeValue');
    av.appendChild(doc.createTextNode(v.text));
    attribute.appendChild(av);
    statement.appendChild(attribute);
  }
  return doc;
}

function readValues(assertion: Element): Array<{ name: string; text: string }> {
  const statement = onlyChild(assertion, NS.saml, 'AttributeStatement');
  return childElements(statement, NS.saml, 'Attribute').map((a) => ({
    name: a.getAttribute('Name') ?? '',
    text: onlyChild(a, NS.saml, 'AttributeValue').textContent ?? '',
  }));
}

describe('R-CRY-03 property: sign → serialise → parse → verify gives back the same values', () => {
  it('holds for random attribute names and values (100 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: value, text: value }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...SIGNERS),
        async (values, signer) => {
          const doc = buildAssertion(values);
          await signElement(doc.documentElement, { key: signer.key, certificate: signer.cert });
          const verified = await verifyXml(serializeXml(doc), { trusted: [signer.cert] });
          expect(readValues(verified.element)).toEqual(values);
        },
      ),
      { numRuns: 100 },
    );
  });
});
