/**
 * Mock EU country, Connector side: its signed metadata, its keys, and the AuthnRequest it sends
 * to the node by HTTP-POST and HTTP-Redirect, checked with the XML core as the node will.
 */
import { verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { childElements, onlyChild, optionalChild, strictText } from '../../../src/saml/dom.ts';
import { NS, SIG } from '../../../src/saml/namespaces.ts';
import { METADATA_LIMITS, parseXml } from '../../../src/saml/parser.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { createMockEuCountry } from '../../../src/mock/eu-country/index.ts';
import { NODE_KEYS } from './fake-node.ts';
import { BASE, NODE_METADATA_URL, NODE_SSO_URL, NOW, harness, startPostLogin } from './setup.ts';

const h = await harness();
const MDS = ['PersonIdentifier', 'CurrentFamilyName', 'CurrentGivenName', 'DateOfBirth'];

describe('mock EU country metadata (R-MD)', () => {
  it('R-MD-02: serves signed metadata whose entityID is its URL, verified with the announced trust anchor', async () => {
    const res = await request(h.app).get('/mock/eu/connector/metadata');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/samlmetadata+xml');
    const verified = await verifyXml(res.text, { trusted: [h.mock.trustAnchor], limits: METADATA_LIMITS });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(verified.element.getAttribute('entityID')).toBe(`${BASE}/mock/eu/connector/metadata`);
    expect(h.mock.entityId).toBe(h.mock.metadataUrl);
    expect(new Date(verified.element.getAttribute('validUntil')!).getTime()).toBe(NOW.getTime() + 86_400_000);
  });

  it('R-MD-11/12, R-MSG-25: SPType public in the metadata, NodeCountry XE, ECDSA signing and RSA-3072 encryption keys', async () => {
    const root = (await verifyXml(await h.mock.metadata(), { trusted: [h.mock.trustAnchor], limits: METADATA_LIMITS })).element;
    expect(strictText(onlyChild(onlyChild(root, NS.md, 'Extensions'), NS.eidas, 'SPType'))).toBe('public');
    const sp = onlyChild(root, NS.md, 'SPSSODescriptor');
    expect(sp.getAttribute('AuthnRequestsSigned')).toBe('true');
    expect(strictText(onlyChild(onlyChild(sp, NS.md, 'Extensions'), NS.eidas, 'NodeCountry'))).toBe('XE');
    const uses = childElements(sp, NS.md, 'KeyDescriptor').map((k) => k.getAttribute('use'));
    expect(uses).toEqual(['signing', 'encryption']);
    expect(h.mock.keys['message-signing'].certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(h.mock.keys.encryption.certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    const enc = childElements(sp, NS.md, 'KeyDescriptor')[1]!;
    expect(childElements(enc, NS.md, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'))).toContain(
      'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    );
    const acs = onlyChild(sp, NS.md, 'AssertionConsumerService');
    expect(acs.getAttribute('Location')).toBe(`${BASE}/mock/eu/connector/acs`);
  });

  it('keys are generated on first start into keysDir (0600) and reused on the next start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mock-eu-keys-'));
    try {
      const options = { baseUrl: BASE, nodeMetadataUrl: NODE_METADATA_URL, trustAnchor: NODE_KEYS.metadata.cert, keysDir: path.join(dir, 'k') };
      const first = await createMockEuCountry(options);
      const second = await createMockEuCountry(options);
      expect(second.trustAnchorPem).toBe(first.trustAnchorPem);
      expect(statSync(path.join(dir, 'k', 'encryption.key.pem')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a country code that is not two capital letters (eidas:NodeCountry)', async () => {
    await expect(createMockEuCountry({ baseUrl: BASE, nodeMetadataUrl: NODE_METADATA_URL, trustAnchor: NODE_KEYS.metadata.cert, country: 'xe' })).rejects.toThrow(TypeError);
  });
});

describe('mock EU country AuthnRequest (R-MSG)', () => {
  it('R-MSG-06/28: HTTP-POST form to the SSO endpoint of the node metadata, request signed ECDSA and verified by the XML core', async () => {
    const { action, relayState, xml } = await startPostLogin(h);
    expect(action).toBe(NODE_SSO_URL);
    expect(Buffer.byteLength(relayState)).toBeLessThanOrEqual(80);
    const verified = await verifyXml(xml, { trusted: [h.mock.keys['message-signing'].certificate] });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(verified.element.localName).toBe('AuthnRequest');
  });

  it('R-MSG-04/05/07/08/13/15/19/21/25: the request carries every eIDAS element and nothing it must not', async () => {
    const { xml } = await startPostLogin(h, 'http://eidas.europa.eu/LoA/high');
    const req = (await verifyXml(xml, { trusted: [h.mock.keys['message-signing'].certificate] })).element;
    expect(req.getAttribute('Destination')).toBe(NODE_SSO_URL);
    expect(req.getAttribute('ForceAuthn')).toBe('true');
    expect(req.getAttribute('IsPassive')).toBe('false');
    expect(req.getAttribute('ID')).toMatch(/^_[0-9a-f]{40}$/);
    expect(req.hasAttribute('AssertionConsumerServiceURL')).toBe(false);
    expect(req.hasAttribute('ProtocolBinding')).toBe(false);
    expect(strictText(onlyChild(req, NS.saml, 'Issuer'))).toBe(h.mock.entityId);
    const ext = onlyChild(req, NS.samlp, 'Extensions');
    expect(optionalChild(ext, NS.eidas, 'SPType')).toBeUndefined();
    const requested = childElements(onlyChild(ext, NS.eidas, 'RequestedAttributes'), NS.eidas, 'RequestedAttribute');
    const required = requested.filter((a) => a.getAttribute('isRequired') === 'true').map((a) => a.getAttribute('Name')!.split('/').pop());
    expect(required).toEqual(MDS);
    expect(onlyChild(req, NS.samlp, 'NameIDPolicy').getAttribute('Format')).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    const context = onlyChild(req, NS.samlp, 'RequestedAuthnContext');
    expect(context.getAttribute('Comparison')).toBe('minimum');
    expect(strictText(onlyChild(context, NS.saml, 'AuthnContextClassRef'))).toBe('http://eidas.europa.eu/LoA/high');
  });

  it('R-MSG-25: with spTypeInMetadata=false, SPType goes into the request and not the metadata', async () => {
    const h2 = await harness({ spTypeInMetadata: false });
    const { xml } = await startPostLogin(h2);
    const ext = onlyChild(parseXml(xml).documentElement, NS.samlp, 'Extensions');
    expect(strictText(onlyChild(ext, NS.eidas, 'SPType'))).toBe('public');
    const md = parseXml(await h2.mock.metadata()).documentElement;
    expect(optionalChild(onlyChild(md, NS.md, 'Extensions'), NS.eidas, 'SPType')).toBeUndefined();
  });

  it('R-MSG-28: HTTP-Redirect deflates the request and signs the query string (SigAlg ecdsa-sha256)', async () => {
    const res = await request(h.app).post('/demo/eu/login').type('form').send({ country: 'FR', loa: 'http://eidas.europa.eu/LoA/substantial', binding: 'redirect' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(NODE_SSO_URL);
    const raw = location.search.slice(1);
    const signed = raw.slice(0, raw.indexOf('&Signature='));
    expect(signed.split('&').map((p) => p.split('=')[0])).toEqual(['SAMLRequest', 'RelayState', 'SigAlg']);
    expect(location.searchParams.get('SigAlg')).toBe(SIG.ECDSA_SHA256);
    const signature = Buffer.from(location.searchParams.get('Signature')!, 'base64');
    expect(cryptoVerify('sha256', Buffer.from(signed), h.mock.keys['message-signing'].certificate.publicKey, signature)).toBe(true);
    const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    const req = parseXml(xml).documentElement;
    expect(childElements(req, NS.ds, 'Signature')).toHaveLength(0);
    expect(req.getAttribute('Destination')).toBe(NODE_SSO_URL);
  });

  it('refuses a country other than France, and an unknown LoA, with a page and no request', async () => {
    for (const body of [{ country: 'DE', binding: 'post' }, { country: 'FR', loa: 'http://eidas.europa.eu/LoA/NotNotified/low' }]) {
      const res = await request(h.app).post('/demo/eu/login').type('form').send(body);
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="error-code">BAD_REQUEST<');
      expect(res.text).not.toContain('SAMLRequest');
    }
  });

  it('the start page is plain accessible HTML that works without JavaScript', async () => {
    const res = await request(h.app).get('/demo/eu');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<h1>Log in with your eIDAS</h1>');
    expect(res.text).toContain('<label for="country-fr">France</label>');
    expect(res.text).toContain('<form method="post" action="/demo/eu/login">');
    expect(res.text).not.toContain('<script');
  });
});
