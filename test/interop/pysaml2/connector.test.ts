/**
 * Interop with an independent Connector: Debian's pysaml2 7.0.1 on xmlsec1 1.2.37 (connector.py).
 * Until the node's SSO endpoint exists, each piece is checked against the XML core: the core
 * verifies what pysaml2 signs (ECDSA P-256), and pysaml2 validates a Response the core builds the
 * way the node will answer such a peer (ECDSA, AES-256-GCM + rsa-oaep-mgf1p, as its metadata asks).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childElements, onlyChild, optionalChild, strictText } from '../../../src/saml/dom.ts';
import { ENC, NS, SIG } from '../../../src/saml/namespaces.ts';
import { METADATA_LIMITS } from '../../../src/saml/parser.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { checkedCertificate } from '../../../src/metadata/peers/certificates.ts';
import { verifyPeerMetadata } from '../../../src/metadata/peers/index.ts';
import { describeWithPeer } from '../../helpers/peers.ts';
import { buildNodeResponse, dsigKey, MARIE, NODE_KEYS, proxyServiceMetadata, type NodeResponseOptions } from '../../mock/eu-country/fake-node.ts';
import { createPysaml2Connector, type Pysaml2Connector } from './peer.ts';

const NODE_MD = 'https://eidas.example.fr/proxy-service/metadata';
const NODE_SSO = 'https://eidas.example.fr/proxy-service/sso';
const ENTITY = 'https://connector.example.eu/pysaml2/metadata';
const ACS = 'https://connector.example.eu/pysaml2/acs';
const MDS = ['PersonIdentifier', 'CurrentFamilyName', 'CurrentGivenName', 'DateOfBirth'];

describeWithPeer(['pysaml2', 'xmlsec1'], 'pysaml2 test Connector against the XML core', () => {
  let peer: Pysaml2Connector;
  beforeAll(async () => {
    peer = createPysaml2Connector({ entityId: ENTITY, acsUrl: ACS });
    const md = await proxyServiceMetadata({ entityId: NODE_MD, ssoUrl: NODE_SSO, validUntil: new Date(Date.now() + 86_400_000) });
    peer.setIdpMetadata(md, NODE_KEYS.metadata.cert.toString());
  });
  afterAll(() => peer?.cleanup());

  /** What the node answers to this peer: its metadata lists rsa-oaep-mgf1p and AES-GCM only. */
  const respond = (requestId: string, o: Partial<NodeResponseOptions> = {}) =>
    buildNodeResponse({
      issuer: NODE_MD, destination: ACS, inResponseTo: requestId, audience: ENTITY, now: new Date(),
      encryption: { recipient: peer.certs.encryption, keyTransport: ENC.RSA_OAEP_MGF1P, dataAlgorithm: ENC.AES256_GCM },
      ...o,
    });

  it('R-MD: its metadata, signed by xmlsec1 with ECDSA P-256, verifies with our core and says what it can decrypt', async () => {
    const verified = await verifyXml(peer.metadata(), { trusted: [peer.certs.metadata], limits: METADATA_LIMITS });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    const root = verified.element;
    expect(root.getAttribute('entityID')).toBe(ENTITY);
    const sp = onlyChild(root, NS.md, 'SPSSODescriptor');
    expect(strictText(onlyChild(onlyChild(sp, NS.md, 'Extensions'), NS.eidas, 'NodeCountry'))).toBe('XF');
    const enc = childElements(sp, NS.md, 'KeyDescriptor').find((k) => k.getAttribute('use') === 'encryption')!;
    expect(childElements(enc, NS.md, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'))).toEqual([ENC.AES256_GCM, ENC.AES128_GCM, ENC.RSA_OAEP_MGF1P]);
    expect(optionalChild(onlyChild(root, NS.md, 'Extensions'), NS.eidas, 'SPType')).toBeUndefined();
  });

  it('R-MD-14/16: the node\'s peer registry accepts its xmlsec1-signed metadata as a connector of country XF', async () => {
    const trust = {
      entityId: ENTITY, role: 'connector' as const, country: 'XF',
      anchors: [checkedCertificate(peer.certs.metadata)], policy: { minRsaBits: 3072, allowLegacyRsaSha256: false },
    };
    const { descriptor } = await verifyPeerMetadata(Buffer.from(peer.metadata()), trust, new Date());
    expect(descriptor.assertionConsumerServices.map((a) => a.location)).toEqual([ACS]);
    expect(descriptor.encryptionMethods).toContain(ENC.RSA_OAEP_MGF1P);
  });

  it('R-MSG-06/13/15/21/25: its HTTP-POST AuthnRequest (ecdsa-sha256) verifies with our core and carries the eIDAS Extensions', async () => {
    const req = peer.authnRequest('post', { relayState: 'rs-1' });
    expect(req).toMatchObject({ method: 'POST', url: NODE_SSO, fields: { RelayState: 'rs-1' } });
    const verified = await verifyXml(Buffer.from(req.fields.SAMLRequest!, 'base64'), { trusted: [peer.certs.signing] });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    const el = verified.element;
    expect([el.getAttribute('ID'), el.getAttribute('Destination'), el.getAttribute('ForceAuthn')]).toEqual([req.id, NODE_SSO, 'true']);
    expect(req.id).toMatch(/^_[0-9a-f]{40}$/);
    expect(strictText(onlyChild(el, NS.saml, 'Issuer'))).toBe(ENTITY);
    const ext = onlyChild(el, NS.samlp, 'Extensions');
    expect(strictText(onlyChild(ext, NS.eidas, 'SPType'))).toBe('public');
    const attrs = childElements(onlyChild(ext, NS.eidas, 'RequestedAttributes'), NS.eidas, 'RequestedAttribute');
    expect(attrs.filter((a) => a.getAttribute('isRequired') === 'true').map((a) => a.getAttribute('Name')!.split('/').pop())).toEqual(MDS);
    const ctx = onlyChild(el, NS.samlp, 'RequestedAuthnContext');
    expect(ctx.getAttribute('Comparison')).toBe('minimum');
    expect(strictText(onlyChild(ctx, NS.saml, 'AuthnContextClassRef'))).toBe('http://eidas.europa.eu/LoA/substantial');
    expect(onlyChild(el, NS.samlp, 'NameIDPolicy').getAttribute('Format')).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    expect(el.hasAttribute('AssertionConsumerServiceURL')).toBe(false);
  });

  it('R-MSG-28: its HTTP-Redirect request is the EU-node habit: deflated XML with its enveloped signature, no SigAlg', async () => {
    const req = peer.authnRequest('redirect', { relayState: 'rs-2', loa: 'http://eidas.europa.eu/LoA/high' });
    const url = new URL(req.url);
    expect(`${url.origin}${url.pathname}`).toBe(NODE_SSO);
    expect([...url.searchParams.keys()].sort()).toEqual(['RelayState', 'SAMLRequest']);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64'));
    const el = (await verifyXml(xml, { trusted: [peer.certs.signing] })).element;
    expect(el.getAttribute('ID')).toBe(req.id);
  });

  it('R-MSG-06: refuses to build a request when the node metadata is not signed by the trust anchor', () => {
    const other = createPysaml2Connector({ entityId: ENTITY, acsUrl: ACS });
    try {
      other.setIdpMetadata(readFileSync(path.join(peer.dir, 'idp-metadata.xml'), 'utf8'), dsigKey('evil-p256').cert.toString());
      expect(() => other.authnRequest('post')).toThrow(/not signed by the trust anchor/);
    } finally {
      other.cleanup();
    }
  });

  it('R-RSP-01/02/11/12/14: pysaml2 verifies and decrypts our Response (ECDSA, AES-256-GCM + rsa-oaep-mgf1p)', async () => {
    const req = peer.authnRequest('post');
    const verdict = peer.checkResponse(Buffer.from(await respond(req.id)).toString('base64'), req.id);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.code).toBe(0);
    expect(verdict.report).toMatchObject({
      issuer: NODE_MD, in_response_to: req.id, destination: ACS, audience: [ENTITY],
      loa: 'http://eidas.europa.eu/LoA/substantial', assertion_signed: true,
      name_id: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: MARIE[0]!.value },
    });
    expect(verdict.report!.attributes).toEqual(Object.fromEntries(MARIE.map((a) => [a.friendlyName, [a.value]])));
  });

  it('R-RSP-09: pysaml2 reads our signed RequestDenied error Response', async () => {
    const req = peer.authnRequest('post');
    const xml = await respond(req.id, { status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder', subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied', message: 'Citizen consent not given.' } });
    const verdict = peer.checkResponse(xml, req.id);
    expect(verdict.code).toBe(2);
    expect(verdict.report).toMatchObject({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', sub_status: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied' });
  });

  const refusals: Array<[string, Partial<NodeResponseOptions>, RegExp]> = [
    ['R-RSP-12: another Audience', { audience: 'https://other.example.eu/metadata' }, /AudienceRestrictions conditions not satisfied/],
    ['R-RSP-05: another Destination', { destination: 'https://other.example.eu/acs' }, /Destination .* is not our ACS/],
    ['R-RSP-13: an assertion past its NotOnOrAfter', { now: new Date(Date.now() - 10 * 60_000) }, /ResponseLifetimeExceed/],
    ['R-RSP-16: a Response signed by an untrusted key', { signing: { key: dsigKey('evil-p256').key, cert: dsigKey('evil-p256').cert } }, /SignatureError: Failed to verify signature/],
    ['R-RSP-15: LoA low for a substantial request', { loa: 'http://eidas.europa.eu/LoA/low' }, /below the requested minimum/],
  ];
  for (const [title, overrides, reason] of refusals) {
    it(`${title} is refused by the pysaml2 Connector`, async () => {
      const req = peer.authnRequest('post');
      const verdict = peer.checkResponse(await respond(req.id, overrides), req.id);
      expect(verdict.code).toBe(1);
      expect(verdict.failure).toMatch(reason);
    });
  }

  it('R-RSP-17: a Response to another request is refused (InResponseTo)', async () => {
    const first = peer.authnRequest('post');
    const second = peer.authnRequest('post');
    const verdict = peer.checkResponse(await respond(first.id), second.id);
    expect(verdict.code).toBe(1);
    expect(verdict.failure).toMatch(/Unsolicited response/);
  });
});
