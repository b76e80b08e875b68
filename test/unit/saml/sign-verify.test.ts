import { readFileSync } from 'node:fs';
import { constants, sign as cryptoSign, type KeyObject, type SignKeyObjectInput, type X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCertificate, loadPrivateKey } from '../../../src/saml/keys.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signElement, signXml } from '../../../src/saml/sign.ts';
import { verifyElement, verifyXml, type VerifyOptions } from '../../../src/saml/verify.ts';
import { canonicalize } from '../../../src/saml/c14n.ts';
import { childElements, onlyChild } from '../../../src/saml/dom.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { DIGEST, NS, SIG } from '../../../src/saml/namespaces.ts';

const KEYS = new URL('../../fixtures/keys/dsig/', import.meta.url);
type Pair = { key: KeyObject; cert: X509Certificate };
const pair = (name: string): Pair => ({
  key: loadPrivateKey(readFileSync(new URL(`${name}.key.pem`, KEYS))),
  cert: loadCertificate(readFileSync(new URL(`${name}.cert.pem`, KEYS))),
});

const REQUEST =
  '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0">' +
  '<saml:Issuer>https://connector.example.eu/metadata</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>';

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

let p256: Pair, rsa: Pair, evil: Pair;
beforeAll(() => {
  p256 = pair('p256');
  rsa = pair('rsa-3072');
  evil = pair('evil-p256');
});

/** Re-signs a (modified) SignedInfo with a valid value, so that only policy can refuse it. */
function resign(doc: Document, params: SignKeyObjectInput, hash = 'sha256', element = doc.documentElement): string {
  const sig = onlyChild(element, NS.ds, 'Signature');
  const value = cryptoSign(hash, canonicalize(childElements(sig, NS.ds, 'SignedInfo')[0]!), params);
  onlyChild(sig, NS.ds, 'SignatureValue').textContent = value.toString('base64');
  return serializeXml(doc);
}
const ecdsa = (key: KeyObject): SignKeyObjectInput => ({ key, dsaEncoding: 'ieee-p1363' });
const pss = (key: KeyObject): SignKeyObjectInput => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });

async function signedDoc(signer: Pair = p256, xml = REQUEST): Promise<Document> {
  return parseXml(await signXml(xml, { key: signer.key, certificate: signer.cert }));
}

describe('R-CRY-03 / R-CRY-04: sign then verify, every allowed algorithm and curve', () => {
  it.each([
    ['rsa-3072', 'rsa-pss-sha256', DIGEST.SHA256],
    ['rsa-3072', 'rsa-pss-sha384', DIGEST.SHA384],
    ['rsa-3072', 'rsa-pss-sha512', DIGEST.SHA512],
    ['p256', 'ecdsa-sha256', DIGEST.SHA256],
    ['p384', 'ecdsa-sha384', DIGEST.SHA384],
    ['p521', 'ecdsa-sha512', DIGEST.SHA512],
    ['brainpoolP256r1', 'ecdsa-sha256', DIGEST.SHA256],
    ['brainpoolP384r1', 'ecdsa-sha384', DIGEST.SHA256],
    ['brainpoolP512r1', 'ecdsa-sha512', DIGEST.SHA512],
  ])('%s with %s', async (name, algorithm, digest) => {
    const { key, cert } = pair(name);
    const xml = await signXml(REQUEST, { key, certificate: cert, algorithm, digest });
    const verified = await verifyXml(xml, { trusted: [cert] });
    expect(verified.id).toBe('_req1');
    expect(verified.signatureAlgorithm).toMatch(new RegExp(algorithm.split('-').pop()!));
    expect(verified.digestAlgorithm).toBe(digest);
    expect(verified.key.equals(cert.publicKey)).toBe(true);
    expect(verified.element.localName).toBe('AuthnRequest');
  });

  it('returns the very node that was digested, and leaves the DOM untouched', async () => {
    const doc = await signedDoc();
    const before = serializeXml(doc);
    const verified = await verifyElement(doc.documentElement, { trusted: [p256.cert] });
    expect(verified.element).toBe(doc.documentElement);
    expect(serializeXml(doc)).toBe(before);
  });

  it('defaults: RSA → RSA-PSS SHA-256, digest SHA-256, Signature after saml:Issuer, KeyInfo only with a certificate', async () => {
    const doc = parseXml(REQUEST);
    const sig = await signElement(doc.documentElement, { key: rsa.key });
    expect((sig.previousSibling as Element).localName).toBe('Issuer');
    expect(childElements(sig, NS.ds, 'KeyInfo')).toHaveLength(0);
    const xml = serializeXml(doc);
    expect(xml).toContain(SIG.RSA_PSS_SHA256);
    expect(xml).toContain(`DigestMethod Algorithm="${DIGEST.SHA256}"`);
    const noIssuer = parseXml('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="m"><md:Extensions/></md:EntityDescriptor>');
    const first = await signElement(noIssuer.documentElement, { key: p256.key, certificate: p256.cert });
    expect(noIssuer.documentElement.firstChild).toBe(first);
    expect(childElements(first, NS.ds, 'KeyInfo')).toHaveLength(1);
  });

  it('signs and verifies a nested element (an Assertion inside a Response) by its own ID', async () => {
    const doc = parseXml(
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1">' +
        '<saml:Assertion ID="a1"><saml:Issuer>x</saml:Issuer><saml:Subject><saml:NameID>中文 &lt;&amp;&gt;</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>',
    );
    const assertion = onlyChild(doc.documentElement, NS.saml, 'Assertion');
    await signElement(assertion, { key: p256.key });
    const reparsed = parseXml(serializeXml(doc));
    const verified = await verifyElement(onlyChild(reparsed.documentElement, NS.saml, 'Assertion'), { trusted: [p256.cert] });
    expect(verified.id).toBe('a1');
    expect(await reasonOf(verifyElement(reparsed.documentElement, { trusted: [p256.cert] }))).toBe('SIG_MISSING');
  });
});

describe('R-CRY-03 / R-CRY-04: what we refuse to sign', () => {
  it.each([
    ['rsa-sha256 (PKCS#1 v1.5)', () => signXml(REQUEST, { key: rsa.key, algorithm: 'rsa-sha256' }), 'SIG_ALG_NOT_ALLOWED'],
    ['a SHA-1 digest', () => signXml(REQUEST, { key: p256.key, digest: 'http://www.w3.org/2000/09/xmldsig#sha1' }), 'SIG_ALG_NOT_ALLOWED'],
    ['a 2048-bit RSA key', () => signXml(REQUEST, { key: pair('rsa-2048').key }), 'SIG_ALG_NOT_ALLOWED'],
    ['ECDSA with an RSA key', () => signXml(REQUEST, { key: rsa.key, algorithm: 'ecdsa-sha256' }), 'KEY_INVALID'],
    ['a public key', () => signXml(REQUEST, { key: p256.cert.publicKey }), 'KEY_INVALID'],
    ['an element without ID', () => signXml('<a/>', { key: p256.key }), 'SCHEMA'],
  ])('%s', async (_n, run, reason) => {
    expect(await reasonOf(run())).toBe(reason);
  });

  it('an element that already carries a Signature', async () => {
    const doc = await signedDoc();
    expect(await reasonOf(signElement(doc.documentElement, { key: p256.key }))).toBe('SIG_STRUCTURE');
  });
});

describe('verification refusals name their reason', () => {
  const opts = (o: Partial<VerifyOptions> = {}): VerifyOptions => ({ trusted: [p256.cert], ...o });

  it('ATK-10: no signature → SIG_MISSING', async () => {
    expect(await reasonOf(verifyXml(REQUEST, opts()))).toBe('SIG_MISSING');
  });

  it('changed content → DIGEST_MISMATCH; changed SignatureValue → SIG_INVALID', async () => {
    const doc = await signedDoc();
    onlyChild(doc.documentElement, NS.saml, 'Issuer').textContent = 'https://evil.example';
    expect(await reasonOf(verifyXml(serializeXml(doc), opts()))).toBe('DIGEST_MISMATCH');
    const doc2 = await signedDoc();
    const sv = onlyChild(onlyChild(doc2.documentElement, NS.ds, 'Signature'), NS.ds, 'SignatureValue');
    const bytes = Buffer.from(sv.textContent!, 'base64');
    bytes[5]! ^= 1;
    sv.textContent = bytes.toString('base64');
    expect(await reasonOf(verifyXml(serializeXml(doc2), opts()))).toBe('SIG_INVALID');
  });

  it('ATK-23: a message signed by a key in KeyInfo but not trusted → KEY_UNTRUSTED; no trusted key → KEY_UNTRUSTED', async () => {
    const xml = serializeXml(await signedDoc(evil));
    expect(await reasonOf(verifyXml(xml, opts()))).toBe('KEY_UNTRUSTED');
    expect(await reasonOf(verifyXml(xml, { trusted: [] }))).toBe('KEY_UNTRUSTED');
    expect(await reasonOf(verifyXml(xml, { trusted: [rsa.cert] }))).toBe('KEY_UNTRUSTED');
  });

  it('R-CRY-04: a 2048-bit signer is refused unless minRsaBits is 2048 for this call; never below 2048', async () => {
    const weak = pair('rsa-2048');
    const doc = parseXml(await signXml(REQUEST, { key: rsa.key })); // the shape, re-signed with the weak key
    const signed = resign(doc, pss(weak.key));
    expect(await reasonOf(verifyXml(signed, { trusted: [weak.cert] }))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(await reasonOf(verifyXml(signed, { trusted: [weak.cert], minRsaBits: 2048 }))).toBe('accepted');
    expect(await reasonOf(verifyXml(signed, { trusted: [weak.cert], minRsaBits: 1024 }))).toBe('accepted');
    expect(await reasonOf(verifyXml(signed, { trusted: [weak.cert, rsa.cert] }))).toBe('SIG_INVALID');
  });

  it('ATK-25: rsa-sha256 (PKCS#1 v1.5) only with allowLegacyRsaSha256', async () => {
    const doc = parseXml(await signXml(REQUEST, { key: rsa.key }));
    const sm = onlyChild(onlyChild(onlyChild(doc.documentElement, NS.ds, 'Signature'), NS.ds, 'SignedInfo'), NS.ds, 'SignatureMethod');
    sm.setAttribute('Algorithm', SIG.RSA_SHA256);
    const xml = resign(doc, { key: rsa.key, padding: constants.RSA_PKCS1_PADDING });
    expect(await reasonOf(verifyXml(xml, { trusted: [rsa.cert] }))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(await reasonOf(verifyXml(xml, { trusted: [rsa.cert], allowLegacyRsaSha256: true }))).toBe('accepted');
  });
});

/** A valid signed request, changed by `edit`, then re-signed: only policy can refuse it. */
async function edited(edit: (sig: Element, doc: Document) => void, afterSigning = false): Promise<string> {
  const doc = await signedDoc();
  const sig = onlyChild(doc.documentElement, NS.ds, 'Signature');
  if (afterSigning) {
    edit(sig, doc);
    return serializeXml(doc);
  }
  edit(sig, doc);
  return resign(doc, ecdsa(p256.key));
}
const dsPath = (sig: Element, ...names: string[]) => names.reduce((el, n) => onlyChild(el, NS.ds, n), sig);
const add = (parent: Element, xml: string, before?: Node | null) => {
  const el = parent.ownerDocument.importNode(parseXml(xml).documentElement, true);
  parent.insertBefore(el, before ?? null);
  return el;
};
const DS = `xmlns:ds="${NS.ds}"`;

describe('R-SEC-01: the Signature shape and its scope', () => {
  const verifyP256 = (xml: string, o: Partial<VerifyOptions> = {}) => reasonOf(verifyXml(xml, { trusted: [p256.cert], ...o }));

  it.each([
    ['ATK-11: Reference URI="" without the metadata opt-in', (s: Element) => dsPath(s, 'SignedInfo', 'Reference').setAttribute('URI', ''), 'SIG_SCOPE'],
    ['ATK-11: Reference to another element', (s: Element) => dsPath(s, 'SignedInfo', 'Reference').setAttribute('URI', '#other'), 'SIG_SCOPE'],
    ['ATK-11: two References', (s: Element) => add(dsPath(s, 'SignedInfo'), `<ds:Reference ${DS} URI="#_req1"/>`), 'SIG_SCOPE'],
    ['ATK-08: ds:Object in Signature', (s: Element) => add(s, `<ds:Object ${DS}/>`), 'SIG_SCOPE'],
    ['ATK-15: two SignedInfo', (s: Element) => add(s, `<ds:SignedInfo ${DS}/>`), 'SIG_STRUCTURE'],
    ['ATK-27: an external Reference URI', (s: Element) => dsPath(s, 'SignedInfo', 'Reference').setAttribute('URI', 'http://127.0.0.1:9/x'), 'SIG_STRUCTURE'],
    ['ATK-27: an XPointer Reference URI', (s: Element) => dsPath(s, 'SignedInfo', 'Reference').setAttribute('URI', "#xpointer(id('_req1'))"), 'SIG_STRUCTURE'],
    ['ATK-16: a comment in DigestValue', (s: Element) => { const dv = dsPath(s, 'SignedInfo', 'Reference', 'DigestValue'); dv.insertBefore(s.ownerDocument.createComment('x'), dv.firstChild); }, 'SIG_STRUCTURE'],
    ['ATK-16: an element in SignatureValue', (s: Element) => add(dsPath(s, 'SignatureValue'), '<x/>'), 'SIG_STRUCTURE', true],
    ['ATK-16: garbage in DigestValue base64', (s: Element) => (dsPath(s, 'SignedInfo', 'Reference', 'DigestValue').textContent += '!'), 'SIG_STRUCTURE'],
    ['ATK-22: CanonicalizationMethod c14n#WithComments', (s: Element) => dsPath(s, 'SignedInfo', 'CanonicalizationMethod').setAttribute('Algorithm', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments'), 'SIG_ALG_NOT_ALLOWED'],
    ['ATK-22: a lone enveloped-signature transform', (s: Element) => { const t = dsPath(s, 'SignedInfo', 'Reference', 'Transforms'); t.removeChild(t.lastChild!); }, 'SIG_ALG_NOT_ALLOWED'],
    ['ATK-26: an XSLT third transform', (s: Element) => add(dsPath(s, 'SignedInfo', 'Reference', 'Transforms'), `<ds:Transform ${DS} Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>`), 'SIG_ALG_NOT_ALLOWED'],
    ['ATK-22: duplicated enveloped-signature', (s: Element) => { const t = dsPath(s, 'SignedInfo', 'Reference', 'Transforms'); t.replaceChild(t.firstChild!.cloneNode(true), t.lastChild!); }, 'SIG_ALG_NOT_ALLOWED'],
    ['ATK-25: a SHA-1 DigestMethod', (s: Element) => dsPath(s, 'SignedInfo', 'Reference', 'DigestMethod').setAttribute('Algorithm', 'http://www.w3.org/2000/09/xmldsig#sha1'), 'SIG_ALG_NOT_ALLOWED'],
  ])('%s', async (_n, edit, reason, afterSigning = false) => {
    expect(await verifyP256(await edited(edit as (s: Element) => void, afterSigning as boolean))).toBe(reason);
  });

  it('accepts whitespace inside the base64 of DigestValue and SignatureValue', async () => {
    const xml = await edited((s) => {
      const dv = dsPath(s, 'SignedInfo', 'Reference', 'DigestValue');
      dv.textContent = `\n  ${dv.textContent!.replace(/(.{8})/g, '$1\n ')}\n`;
    });
    const doc = parseXml(xml);
    const sv = dsPath(onlyChild(doc.documentElement, NS.ds, 'Signature'), 'SignatureValue');
    sv.textContent = sv.textContent!.replace(/(.{16})/g, '$1\r\n\t');
    expect(await verifyP256(serializeXml(doc))).toBe('accepted');
  });

  it('Reference URI="" only with allowWholeDocumentReference and only on the document element', async () => {
    const xml = await edited((s) => dsPath(s, 'SignedInfo', 'Reference').setAttribute('URI', ''));
    expect(await verifyP256(xml, { allowWholeDocumentReference: true })).toBe('accepted');
    const inner = parseXml(`<w xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${xml}</w>`);
    const nested = verifyElement(inner.documentElement.firstChild as Element, { trusted: [p256.cert], allowWholeDocumentReference: true });
    expect(await reasonOf(nested)).toBe('SIG_SCOPE');
  });

  it('ATK-13: the referenced ID must be unique over ID, Id, id in any namespace → DUP_ID', async () => {
    for (const decoy of ['<x Id="_req1"/>', '<x id="_req1"/>', '<p:x xmlns:p="urn:a" p:ID="_req1"/>', '<x xml:id="_req1"/>']) {
      const doc = await signedDoc();
      add(onlyChild(doc.documentElement, NS.samlp, 'NameIDPolicy'), decoy);
      expect(await verifyP256(serializeXml(doc))).toBe('DUP_ID');
    }
  });

  it('ATK-01: more than one Signature on the element → SIG_SCOPE; more than 8 in the document → XML_LIMIT', async () => {
    const doc = await signedDoc();
    const sig = onlyChild(doc.documentElement, NS.ds, 'Signature');
    doc.documentElement.appendChild(sig.cloneNode(true));
    expect(await verifyP256(serializeXml(doc))).toBe('SIG_SCOPE');
    const many = await signedDoc();
    const policy = onlyChild(many.documentElement, NS.samlp, 'NameIDPolicy');
    for (let i = 0; i < 8; i++) policy.appendChild(sig.cloneNode(true));
    expect(await verifyP256(serializeXml(many))).toBe('XML_LIMIT');
  });

  it('ATK-21: a comment inside signed text keeps the signature and textContent gives the whole value', async () => {
    const doc = await signedDoc();
    const issuer = onlyChild(doc.documentElement, NS.saml, 'Issuer');
    const text = issuer.firstChild!;
    issuer.insertBefore(doc.createComment(''), (text as Text).splitText(10));
    const verified = await verifyXml(serializeXml(doc), { trusted: [p256.cert] });
    expect(onlyChild(verified.element, NS.saml, 'Issuer').textContent).toBe('https://connector.example.eu/metadata');
  });

  it('ATK-21: a processing instruction inside signed content → XML_UNEXPECTED_NODE', async () => {
    const doc = await signedDoc(p256, REQUEST.replace('/metadata<', '<'));
    const issuer = onlyChild(doc.documentElement, NS.saml, 'Issuer');
    issuer.appendChild(doc.createProcessingInstruction('x', '/metadata'));
    expect(await verifyP256(serializeXml(doc))).toBe('XML_UNEXPECTED_NODE');
  });
});

describe('exc-c14n through xml-crypto, driven without touching the DOM', () => {
  it('InclusiveNamespaces: a listed prefix bound on an ancestor is rendered on the apex; the DOM is unchanged', () => {
    const doc = parseXml('<r xmlns:xs="urn:xs" xmlns:u="urn:unused"><a xmlns:p="urn:p" t="xs:string"><p:b/></a></r>');
    const a = doc.documentElement.firstChild as Element;
    const before = serializeXml(doc);
    expect(canonicalize(a).toString()).toBe('<a t="xs:string"><p:b xmlns:p="urn:p"></p:b></a>');
    expect(canonicalize(a, { inclusivePrefixes: ['xs'] }).toString()).toBe(
      '<a xmlns:xs="urn:xs" t="xs:string"><p:b xmlns:p="urn:p"></p:b></a>',
    );
    expect(canonicalize(a, { inclusivePrefixes: ['p'] }).toString()).toBe('<a xmlns:p="urn:p" t="xs:string"><p:b></p:b></a>');
    expect(serializeXml(doc)).toBe(before);
  });

  it('refuses an attribute xml-crypto would leave unsigned because its name starts with xmlns', () => {
    const doc = parseXml('<a/>');
    doc.documentElement.setAttribute('xmlnsfoo', 'not signed otherwise');
    expect(() => canonicalize(doc.documentElement)).toThrow(/reserved for namespace declarations/);
  });

  it('leaves the excluded node and comments out, and renders an empty text node as nothing', () => {
    const doc = parseXml('<a><b/><!--c--><d>x</d></a>');
    const a = doc.documentElement;
    a.appendChild(doc.createTextNode(''));
    expect(canonicalize(a, { exclude: a.firstChild! }).toString()).toBe('<a><d>x</d></a>');
  });
});
