/**
 * Interop with an independent Connector against the real node (issue 4 "What it must show"):
 * Debian's pysaml2 7.0.1 on xmlsec1 1.2.37 (test/interop/pysaml2/connector.py) is registered as
 * a connector peer (its xmlsec1-signed metadata fetched and verified by the registry), sends
 * AuthnRequests by HTTP-POST and HTTP-Redirect, the citizen logs in at the mock FranceConnect
 * and consents, and pysaml2 validates the Response the node auto-posts: signatures, decryption
 * (AES-GCM + rsa-oaep-mgf1p, as its metadata asks), InResponseTo, Audience, Destination,
 * conditions. xmlsec1 1.2 verifies no RSA-PSS, so this node signs its messages and its metadata
 * with ECDSA P-256 keys, the one signature of the eIDAS profile that build can check.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { writePrivateFile } from '../../src/keys/files.ts';
import { generateKeyPair } from '../../src/keys/generate.ts';
import { keyFiles } from '../../src/keys/keyset.ts';
import { SIG } from '../../src/saml/namespaces.ts';
import { describeWithPeer } from '../helpers/peers.ts';
import { createPysaml2Connector, type Pysaml2Binding, type Pysaml2Connector } from '../interop/pysaml2/peer.ts';
import { FlowBrowser } from './support/browser.ts';
import { freePort, openTestDb, startTestNode, workspace, type TestDb, type TestNode, type Workspace } from './support/node.ts';
import { decide, franceConnectToConsent, onlyForm, type Page } from './support/walk.ts';

const STATUS = 'urn:oasis:names:tc:SAML:2.0:status:';

describeWithPeer(['pysaml2', 'xmlsec1'], 'the node answers an independent pysaml2 Connector', () => {
  let ws: Workspace;
  let testDb: TestDb;
  let t: TestNode;
  let peer: Pysaml2Connector;
  let metadataServer: http.Server;

  beforeAll(async () => {
    ws = await workspace('flow-pysaml2');
    // The node's message and metadata signing keys: ECDSA P-256 (xmlsec1 1.2 has no RSA-PSS).
    for (const role of ['message-signing', 'metadata-signing'] as const) {
      const ec = await generateKeyPair({ type: 'ec-p256', usage: 'signing', subject: `CN=Pont eIDAS test ${role}`, validityDays: 30 });
      const files = keyFiles(ws.keysDir, role);
      writePrivateFile(files.keyFile, ec.privateKeyPem);
      writePrivateFile(files.certFile, ec.certificatePem);
    }

    let metadata = '';
    metadataServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata));
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
    peer = createPysaml2Connector({ entityId: `${origin}/pysaml2/metadata`, acsUrl: `${origin}/pysaml2/acs`, nodeCountry: 'XF' });
    metadata = peer.metadata();

    testDb = await openTestDb('pglite');
    const peers = { list: [{ country: 'XF', role: 'connector', metadataUrl: peer.entityId, trustAnchors: [peer.files.metadataCert] }] };
    t = await startTestNode(ws, testDb.db, { port: await freePort(), overrides: { peers } });
    await vi.waitFor(() => expect(t.lines.some((l) => l.event === 'peer.metadata.accepted' && l.entityId === peer.entityId)).toBe(true), { timeout: 20_000 });
    const nodeMetadata = await (await fetch(`${t.base}/proxy-service/metadata`)).text();
    peer.setIdpMetadata(nodeMetadata, readFileSync(join(ws.keysDir, 'metadata-signing.cert.pem'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await testDb?.close();
    await new Promise<void>((resolve) => (metadataServer ? metadataServer.close(() => resolve()) : resolve()));
    peer?.cleanup();
    ws?.cleanup();
  });

  /** pysaml2's AuthnRequest through the node and FranceConnect to the consent page. */
  async function toConsent(browser: FlowBrowser, binding: Pysaml2Binding, relayState: string): Promise<{ id: string; consent: Page }> {
    const request = peer.authnRequest(binding, { relayState });
    expect(request.url.startsWith(`${t.base}/proxy-service/sso`)).toBe(true);
    const sso = request.method === 'POST' ? await browser.request(request.url, { form: request.fields }) : await browser.request(request.url);
    const consent = await franceConnectToConsent(browser, sso, 'angela-dubois');
    expect(new URL(consent.url).pathname).toBe('/proxy-service/consent');
    return { id: request.id, consent };
  }

  /** The auto-post form: to pysaml2's ACS from its metadata, RelayState echoed. */
  function postedResponse(page: Page, relayState: string): string {
    const form = onlyForm(page);
    expect(form.action).toBe(peer.acsUrl);
    expect(form.fields.RelayState).toBe(relayState);
    return form.fields.SAMLResponse!;
  }

  for (const binding of ['post', 'redirect'] as const) {
    it(`R-RSP-01/02/05/11/12/13/17, R-CRY: AuthnRequest by ${binding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect'} → pysaml2 verifies, decrypts and accepts the Response`, async () => {
      const browser = new FlowBrowser();
      const relayState = `rs-${binding}`;
      const { id, consent } = await toConsent(browser, binding, relayState);
      const samlResponse = postedResponse(await decide(browser, consent, 'accept'), relayState);
      const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
      expect(xml).toContain(SIG.ECDSA_SHA256);
      expect(xml).toContain('http://www.w3.org/2009/xmlenc11#aes256-gcm');
      expect(xml).toContain('http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p');
      const verdict = peer.checkResponse(samlResponse, id);
      expect(verdict.failure).toBeUndefined();
      expect(verdict.code).toBe(0);
      expect(verdict.report).toMatchObject({
        issuer: `${t.base}/proxy-service/metadata`,
        in_response_to: id,
        destination: peer.acsUrl,
        audience: [peer.entityId],
        loa: 'http://eidas.europa.eu/LoA/substantial',
        assertion_signed: true,
        name_id: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: expect.stringMatching(/^FR\/XF\/[0-9a-f]{64}$/) },
      });
      const attributes = verdict.report!.attributes as Record<string, string[]>;
      expect(attributes).toMatchObject({ FamilyName: ['DUBOIS'], FirstName: ['Angela Claire Louise'], DateOfBirth: ['1962-08-24'] });
      expect(attributes.PersonIdentifier).toEqual([(verdict.report!.name_id as { value: string }).value]);
      expect(attributes.PlaceOfBirth?.[0]).toContain('75107');
    });
  }

  it('R-RSP-09: consent refused → pysaml2 reads the signed Responder / RequestDenied error Response', async () => {
    const browser = new FlowBrowser();
    const { id, consent } = await toConsent(browser, 'post', 'rs-refuse');
    const verdict = peer.checkResponse(postedResponse(await decide(browser, consent, 'refuse'), 'rs-refuse'), id);
    expect(verdict.code).toBe(2);
    expect(verdict.report).toMatchObject({ status: `${STATUS}Responder`, sub_status: `${STATUS}RequestDenied`, in_response_to: id });
  });
});
