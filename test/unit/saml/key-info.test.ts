/**
 * ds:KeyInfo is outside the digest (enveloped transform), so the verifier reads its shape
 * strictly: only X509Data (X509Certificate, X509IssuerSerial, X509SubjectName, X509SKI),
 * KeyName, KeyValue (RSAKeyValue, ds11:ECKeyValue) and ds11:DEREncodedKeyValue, with
 * text-only leaves (R-SEC-01, ATK-06, ATK-15, ATK-16, ATK-18, ATK-27). Each case replaces the
 * KeyInfo of a genuine signature after signing, so the signature itself stays valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onlyChild } from '../../../src/saml/dom.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { loadCertificate, loadPrivateKey } from '../../../src/saml/keys.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signXml } from '../../../src/saml/sign.ts';
import { verifyXml } from '../../../src/saml/verify.ts';

const KEYS = new URL('../../fixtures/keys/dsig/', import.meta.url);
const key = loadPrivateKey(readFileSync(new URL('p256.key.pem', KEYS)));
const certificate = loadCertificate(readFileSync(new URL('p256.cert.pem', KEYS)));
const CERT = certificate.raw.toString('base64');
const SPKI = certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const REQUEST =
  `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_req1" Version="2.0">` +
  '<saml:Issuer>https://connector.example.eu/metadata</saml:Issuer></samlp:AuthnRequest>';
const DS = `xmlns:ds="${NS.ds}"`;
const DS11 = `xmlns:ds11="${NS.ds11}"`;
const x509 = (inner: string) => `<ds:X509Data>${inner}</ds:X509Data>`;
const cert = `<ds:X509Certificate>${CERT}</ds:X509Certificate>`;
const ASSERTION = `<saml:Assertion xmlns:saml="${NS.saml}" ID="_victim" Version="2.0"><saml:Subject><saml:NameID>XX/FR/999999</saml:NameID></saml:Subject></saml:Assertion>`;

let signed: string | undefined;
/** The signed request with its KeyInfo content replaced by `inner`. */
async function withKeyInfo(inner: string): Promise<string> {
  signed ??= await signXml(REQUEST, { key, certificate });
  const doc = parseXml(signed);
  const signature = onlyChild(doc.documentElement, NS.ds, 'Signature');
  signature.removeChild(onlyChild(signature, NS.ds, 'KeyInfo'));
  const keyInfo = parseXml(`<ds:KeyInfo ${DS} ${DS11}>${inner}</ds:KeyInfo>`).documentElement;
  signature.appendChild(doc.importNode(keyInfo, true));
  return serializeXml(doc);
}

async function outcome(inner: string): Promise<string> {
  try {
    await verifyXml(await withKeyInfo(inner), { trusted: [certificate] });
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

describe('R-SEC-01: what a KeyInfo may hold (accepted, informative only)', () => {
  it.each([
    ['X509Data/X509Certificate', x509(cert)],
    ['X509Data with IssuerSerial, SubjectName, SKI and whitespace', `\n  ${x509(
      `\n <ds:X509IssuerSerial><ds:X509IssuerName>CN=p256</ds:X509IssuerName><ds:X509SerialNumber> 1234 </ds:X509SerialNumber></ds:X509IssuerSerial>` +
        `<ds:X509SubjectName>CN=p256</ds:X509SubjectName><ds:X509SKI>AAECAw==</ds:X509SKI>\n ${cert}\n`,
    )}\n`],
    ['KeyName', '<ds:KeyName>pont-signing-2026</ds:KeyName>'],
    ['KeyValue/RSAKeyValue', '<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>'],
    ['KeyValue/ds11:ECKeyValue', `<ds:KeyValue><ds11:ECKeyValue><ds11:NamedCurve URI="urn:oid:1.2.840.10045.3.1.7"/><ds11:PublicKey>BAEC</ds11:PublicKey></ds11:ECKeyValue></ds:KeyValue>`],
    ['ds11:DEREncodedKeyValue', `<ds11:DEREncodedKeyValue>${SPKI}</ds11:DEREncodedKeyValue>`],
  ])('%s', async (_name, inner) => {
    expect(await outcome(inner)).toBe('ACCEPTED');
  });
});

describe('R-SEC-01: anything else in KeyInfo → SIG_STRUCTURE', () => {
  it.each([
    ['ATK-06/18: an unsigned saml:Assertion in KeyInfo', `${x509(cert)}${ASSERTION}`],
    ['ATK-06/18: an unsigned saml:Assertion in X509Data', x509(cert + ASSERTION)],
    ['ATK-15: a SignedInfo copy in KeyInfo', `${x509(cert)}<ds:SignedInfo/>`],
    ['ATK-27: RetrievalMethod', '<ds:RetrievalMethod URI="http://127.0.0.1:9/key"/>'],
    ['a nested KeyInfo', `<ds:KeyInfo>${x509(cert)}</ds:KeyInfo>`],
    ['a foreign element', '<x:KeyHint xmlns:x="urn:x">k</x:KeyHint>'],
    ['an X509CRL', x509('<ds:X509CRL>AAAA</ds:X509CRL>')],
    ['ds11:X509Digest (not in the profile)', x509(`<ds11:X509Digest Algorithm="${NS.xenc}sha256">AAAA</ds11:X509Digest>`)],
    ['an empty KeyInfo', ''],
    ['an empty X509Data', x509('')],
    ['text in KeyInfo', `${x509(cert)}junk`],
    ['ATK-16: a comment in X509Certificate', x509(`<ds:X509Certificate>${CERT.slice(0, 8)}<!--x-->${CERT.slice(8)}</ds:X509Certificate>`)],
    ['not base64 in X509Certificate', x509('<ds:X509Certificate>not*base64</ds:X509Certificate>')],
    ['an element in KeyName', '<ds:KeyName><x/></ds:KeyName>'],
    ['X509SerialNumber that is no integer', x509('<ds:X509IssuerSerial><ds:X509IssuerName>CN=a</ds:X509IssuerName><ds:X509SerialNumber>0x1</ds:X509SerialNumber></ds:X509IssuerSerial>')],
    ['X509IssuerSerial in the wrong order', x509('<ds:X509IssuerSerial><ds:X509SerialNumber>1</ds:X509SerialNumber><ds:X509IssuerName>CN=a</ds:X509IssuerName></ds:X509IssuerSerial>')],
    ['DSAKeyValue', '<ds:KeyValue><ds:DSAKeyValue><ds:Y>AAAA</ds:Y></ds:DSAKeyValue></ds:KeyValue>'],
    ['RSAKeyValue with an extra child', `<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>AQAB</ds:Exponent>${ASSERTION}</ds:RSAKeyValue></ds:KeyValue>`],
    ['two KeyValue children', '<ds:KeyValue><ds:KeyName>a</ds:KeyName><ds:KeyName>b</ds:KeyName></ds:KeyValue>'],
    ['ECKeyValue with explicit ECParameters', '<ds:KeyValue><ds11:ECKeyValue><ds11:ECParameters/><ds11:PublicKey>BAEC</ds11:PublicKey></ds11:ECKeyValue></ds:KeyValue>'],
    ['content in NamedCurve', '<ds:KeyValue><ds11:ECKeyValue><ds11:NamedCurve URI="urn:oid:1.2.840.10045.3.1.7">x</ds11:NamedCurve><ds11:PublicKey>BAEC</ds11:PublicKey></ds11:ECKeyValue></ds:KeyValue>'],
    ['DEREncodedKeyValue that is not base64', '<ds11:DEREncodedKeyValue>*</ds11:DEREncodedKeyValue>'],
  ])('%s', async (_name, inner) => {
    expect(await outcome(inner)).toBe('SIG_STRUCTURE');
  });
});
