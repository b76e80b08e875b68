/**
 * Interop with a 1.2-era foreign Connector against the real node: Debian's Lasso 2.8.1 on
 * libxmlsec1 1.2.37 (connector.py). Lasso signs only RSA PKCS#1 v1.5 (rsa-sha256), which the
 * eIDAS profile forbids (R-CRY-03): the node accepts it only from a peer the operator named in
 * crypto.legacyPeers. Two Lasso peers are registered with the node:
 *  - `lasso-legacy`: metadata signed rsa-sha256 by xmlsec1, named in crypto.legacyPeers;
 *  - `lasso`: metadata signed ecdsa-sha256 by xmlsec1 (so the registry accepts it without any
 *    exception), not named: its rsa-sha256 AuthnRequest must be refused at the SSO endpoint.
 * The node keeps its RSA development keys, so it signs with RSA-PSS, which Lasso cannot verify:
 * what Lasso checks of the Response is the decryption (AES-256-GCM + rsa-oaep-mgf1p, the only
 * methods its metadata lists) and the assertion it parses. The RSA-PSS signatures are checked
 * by our core here; xmlsec1/pysaml2 check the node's (ECDSA) signatures in
 * test/flows/pysaml2-connector.test.ts.
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { verifyPolicyFor } from '../../../src/config/crypto-policy.ts';
import { checkedCertificate } from '../../../src/metadata/peers/certificates.ts';
import { MetadataRefusal, verifyPeerMetadata } from '../../../src/metadata/peers/index.ts';
import { childElements, onlyChild, strictText } from '../../../src/saml/dom.ts';
import { ENC, NS, SIG } from '../../../src/saml/namespaces.ts';
import { MESSAGE_LIMITS, parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { describeWithPeer } from '../../helpers/peers.ts';
import { FlowBrowser } from '../../flows/support/browser.ts';
import { freePort, openTestDb, startTestNode, workspace, type TestDb, type TestNode, type Workspace } from '../../flows/support/node.ts';
import { decide, franceConnectToConsent, onlyForm } from '../../flows/support/walk.ts';
import { createLassoConnector, type LassoConnector } from './peer.ts';

const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const NATURAL_TYPE = (name: string) => `{${NS.eidasNatural}}${name}Type`;
const MDS = ['PersonIdentifier', 'CurrentFamilyName', 'CurrentGivenName', 'DateOfBirth'];

describeWithPeer(['lasso', 'xmlsec1'], 'the node and a 1.2-era Lasso Connector (rsa-sha256 only)', () => {
  let ws: Workspace;
  let testDb: TestDb;
  let t: TestNode;
  let legacy: LassoConnector;
  let unnamed: LassoConnector;
  let metadataServer: http.Server;

  beforeAll(async () => {
    ws = await workspace('lasso');
    const documents = new Map<string, string>();
    metadataServer = http.createServer((req, res) => {
      const body = documents.get(req.url ?? '');
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body);
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
    legacy = createLassoConnector({ entityId: `${origin}/lasso-legacy/metadata`, acsUrl: `${origin}/lasso-legacy/acs`, metadataSignature: 'rsa-sha256' });
    unnamed = createLassoConnector({ entityId: `${origin}/lasso/metadata`, acsUrl: `${origin}/lasso/acs`, metadataSignature: 'ecdsa-sha256' });
    for (const peer of [legacy, unnamed]) documents.set(new URL(peer.entityId).pathname, peer.metadata());

    testDb = await openTestDb('pglite');
    const list = [legacy, unnamed].map((p) => ({ country: 'XF', role: 'connector', metadataUrl: p.entityId, trustAnchors: [p.files.metadataCert] }));
    const crypto = { legacyPeers: [{ entityId: legacy.entityId, allow: ['rsa-sha256'] }] };
    t = await startTestNode(ws, testDb.db, { port: await freePort(), overrides: { peers: { list }, crypto } });
    const accepted = (p: LassoConnector) => t.lines.some((l) => l.event === 'peer.metadata.accepted' && l.entityId === p.entityId);
    await vi.waitFor(() => expect(accepted(legacy) && accepted(unnamed)).toBe(true), { timeout: 20_000 });
    // Lasso loads the node's metadata as fetched: it cannot verify its RSA-PSS signature.
    const nodeMetadata = await (await fetch(`${t.base}/proxy-service/metadata`)).text();
    for (const peer of [legacy, unnamed]) peer.setIdpMetadata(nodeMetadata);
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await testDb?.close();
    await new Promise<void>((resolve) => (metadataServer ? metadataServer.close(() => resolve()) : resolve()));
    legacy?.cleanup();
    unnamed?.cleanup();
    ws?.cleanup();
  });

  const rejections = () => t.lines.filter((l) => l.event === 'eidas.request.rejected');

  it('R-CRY-03, R-MD-14: its xmlsec1 rsa-sha256 metadata is refused by the registry, and accepted under the crypto.legacyPeers exception', async () => {
    const trust = (policy: { minRsaBits: number; allowLegacyRsaSha256: boolean }) => ({
      entityId: legacy.entityId, role: 'connector' as const, country: 'XF', anchors: [checkedCertificate(legacy.certs.metadata)], policy,
    });
    const bytes = Buffer.from(legacy.metadata());
    const refused = await verifyPeerMetadata(bytes, trust({ minRsaBits: 3072, allowLegacyRsaSha256: false }), new Date()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MetadataRefusal);
    expect(refused).toMatchObject({ reason: 'SIG_ALG_NOT_ALLOWED', stage: 'signature' });
    const policy = verifyPolicyFor(t.config, legacy.entityId);
    expect(policy).toEqual({ minRsaBits: 3072, allowLegacyRsaSha256: true });
    const { descriptor } = await verifyPeerMetadata(bytes, trust(policy), new Date());
    expect(descriptor.encryptionMethods).toEqual([ENC.AES256_GCM, ENC.RSA_OAEP_MGF1P]);
    expect(t.lines.some((l) => l.event === 'crypto.legacy_peer' && String(l.msg).includes(legacy.entityId))).toBe(true);
    expect(t.lines.some((l) => l.event === 'peer.metadata.accepted' && l.entityId === legacy.entityId)).toBe(true);
  });

  it('R-MSG-06/13/15/21: Lasso builds the eIDAS AuthnRequest (Samlp2Extensions.any, minimum substantial, ForceAuthn) and signs it rsa-sha256', async () => {
    const req = legacy.authnRequest({ relayState: 'rs-shape' });
    expect(req).toMatchObject({ method: 'POST', url: `${t.base}/proxy-service/sso`, fields: { RelayState: 'rs-shape' } });
    const xml = Buffer.from(req.fields.SAMLRequest!, 'base64');
    await expect(verifyXml(xml, { trusted: [legacy.certs.signing] })).rejects.toMatchObject({ reason: 'SIG_ALG_NOT_ALLOWED' });
    const verified = await verifyXml(xml, { trusted: [legacy.certs.signing], allowLegacyRsaSha256: true });
    expect(verified.signatureAlgorithm).toBe(SIG.RSA_SHA256);
    const el = verified.element;
    expect([el.getAttribute('ID'), el.getAttribute('Destination'), el.getAttribute('ForceAuthn')]).toEqual([req.id, req.url, 'true']);
    expect(strictText(onlyChild(el, NS.saml, 'Issuer'))).toBe(legacy.entityId);
    const ext = onlyChild(el, NS.samlp, 'Extensions');
    expect(strictText(onlyChild(ext, NS.eidas, 'SPType'))).toBe('public');
    const attrs = childElements(onlyChild(ext, NS.eidas, 'RequestedAttributes'), NS.eidas, 'RequestedAttribute');
    expect(attrs.filter((a) => a.getAttribute('isRequired') === 'true').map((a) => a.getAttribute('Name')!.split('/').pop())).toEqual(MDS);
    const ctx = onlyChild(el, NS.samlp, 'RequestedAuthnContext');
    expect(ctx.getAttribute('Comparison')).toBe('minimum');
    expect(strictText(onlyChild(ctx, NS.saml, 'AuthnContextClassRef'))).toBe(SUBSTANTIAL);
  });

  it('R-CRY-03, R-MSG-06: the rsa-sha256 AuthnRequest of a Lasso peer not named in crypto.legacyPeers is refused: PS-400, nothing sent', async () => {
    const req = unnamed.authnRequest({ relayState: 'rs-unnamed' });
    const before = rejections().length;
    const res = await new FlowBrowser().request(req.url, { form: req.fields });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(html).not.toContain('SAMLResponse');
    expect(rejections().slice(before)).toEqual([expect.objectContaining({ reason: 'SIG_ALG_NOT_ALLOWED' })]);
    expect(rejections().slice(before)[0]).not.toHaveProperty('issuer');
  });

  /** The named legacy peer's request through FranceConnect (login_hint) and consent: the auto-posted SAMLResponse. */
  let legacyFlow: Promise<{ id: string; samlResponse: string }> | undefined;
  const legacyResponse = () => (legacyFlow ??= (async () => {
    const browser = new FlowBrowser();
    const req = legacy.authnRequest({ relayState: 'rs-legacy' });
    const sso = await browser.request(req.url, { form: req.fields });
    const consent = await franceConnectToConsent(browser, sso, 'angela-dubois');
    expect(new URL(consent.url).pathname).toBe('/proxy-service/consent');
    const form = onlyForm(await decide(browser, consent, 'accept'));
    expect(form.action).toBe(legacy.acsUrl);
    expect(form.fields.RelayState).toBe('rs-legacy');
    return { id: req.id, samlResponse: form.fields.SAMLResponse! };
  })());

  it('R-CRY-03 (crypto.legacyPeers): the named Lasso peer\'s rsa-sha256 AuthnRequest is accepted → FranceConnect → consent → a Response to its ACS', async () => {
    const before = rejections().length;
    const { samlResponse } = await legacyResponse();
    expect(rejections().slice(before)).toEqual([]);
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(xml).toContain('EncryptedAssertion');
  });

  it('R-RSP-02/06/11/12/14, R-ATT-02/03, R-CRY-05/06: Lasso decrypts; signatures checked by xmlsec1/our core elsewhere (AES-256-GCM + rsa-oaep-mgf1p as its metadata lists; PersonIdentifier, LoA, eIDAS-typed attributes)', async () => {
    const { id, samlResponse } = await legacyResponse();
    const verdict = legacy.readResponse(samlResponse, id, 'ignore');
    if (!verdict.ok) throw new Error(verdict.failure);
    const r = verdict.reading;
    expect(r.signatures).toBe('not checked by Lasso (Response signature removed)');
    expect(r.wire).toEqual({ response_signature: [SIG.RSA_PSS_SHA256], data_encryption: [ENC.AES256_GCM], key_transport: [ENC.RSA_OAEP_MGF1P] });
    const nodeEntity = `${t.base}/proxy-service/metadata`;
    expect(r).toMatchObject({
      issuer: nodeEntity, assertion_issuer: nodeEntity, destination: legacy.acsUrl, in_response_to: id,
      status: 'urn:oasis:names:tc:SAML:2.0:status:Success', audience: [legacy.entityId], conditions: 'valid', loa: SUBSTANTIAL,
      name_id: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: expect.stringMatching(/^FR\/XF\/[0-9a-f]{64}$/) },
    });
    expect(r.attributes).toMatchObject({ PersonIdentifier: [r.name_id.value], FamilyName: ['DUBOIS'], FirstName: ['Angela Claire Louise'], DateOfBirth: ['1962-08-24'] });
    expect(r.value_types).toMatchObject({
      PersonIdentifier: [NATURAL_TYPE('PersonIdentifier')], FamilyName: [NATURAL_TYPE('CurrentFamilyName')],
      FirstName: [NATURAL_TYPE('CurrentGivenName')], DateOfBirth: [NATURAL_TYPE('DateOfBirth')],
    });
  });

  it('R-RSP-02, R-CRY-05: one ciphertext byte changed (AES-GCM tag) → Lasso decrypts nothing and reads no assertion', async () => {
    const { id, samlResponse } = await legacyResponse();
    const doc = parseXml(Buffer.from(samlResponse, 'base64'), MESSAGE_LIMITS);
    const data = onlyChild(onlyChild(doc.documentElement, NS.saml, 'EncryptedAssertion'), NS.xenc, 'EncryptedData');
    const value = onlyChild(onlyChild(data, NS.xenc, 'CipherData'), NS.xenc, 'CipherValue');
    const bytes = Buffer.from(strictText(value), 'base64');
    bytes[20] = bytes[20]! ^ 0x01; // past the 12-byte IV: ciphertext
    value.textContent = bytes.toString('base64');
    const verdict = legacy.readResponse(Buffer.from(serializeXml(doc)).toString('base64'), id, 'ignore');
    expect(verdict).toEqual({ ok: false, failure: 'FAIL Refused: processAuthnResponseMsg: ProfileMissingAssertionError (-427)' });
  });

  it('R-CRY-03: the node signs this legacy peer\'s Response with RSA-PSS, never rsa-sha256: our core verifies it, Lasso with its check forced cannot', async () => {
    const { id, samlResponse } = await legacyResponse();
    const signingCert = new X509Certificate(readFileSync(join(ws.keysDir, 'message-signing.cert.pem')));
    const verified = await verifyXml(Buffer.from(samlResponse, 'base64'), { trusted: [signingCert] });
    expect(verified.signatureAlgorithm).toBe(SIG.RSA_PSS_SHA256);
    const verdict = legacy.readResponse(samlResponse, id, 'force');
    expect(verdict.ok).toBe(false);
    // xmlsec1 1.2 has no sha256-rsa-MGF1 transform: Lasso's -111, whatever the key.
    expect(verdict).toMatchObject({ failure: 'FAIL Refused: processAuthnResponseMsg: DsSignatureVerificationFailedError (-111)' });
  });
});
