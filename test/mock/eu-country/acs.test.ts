/**
 * Mock EU country ACS and demo pages: the node's Response (built here with the XML core, as the
 * node builds it) is verified, decrypted and checked before anything is shown (R-RSP).
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ENC, SIG } from '../../../src/saml/namespaces.ts';
import { buildNodeResponse, dsigKey, NODE_KEYS, proxyServiceMetadata, type NodeResponseOptions } from './fake-node.ts';
import { BASE, NODE_METADATA_URL, NODE_SSO_URL, NOW, harness, postToAcs, startPostLogin, type Harness } from './setup.ts';

const ACS = `${BASE}/mock/eu/connector/acs`;
const RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
const REQUEST_DENIED = 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied';

async function answer(h: Harness, requestId: string, overrides: Partial<NodeResponseOptions> = {}): Promise<string> {
  return buildNodeResponse({
    issuer: NODE_METADATA_URL,
    destination: ACS,
    inResponseTo: requestId,
    audience: h.mock.entityId,
    now: NOW,
    encryption: { recipient: h.mock.keys.encryption.certificate },
    ...overrides,
  });
}

function errorCode(html: string): string | undefined {
  return /id="error-code">([^<]*)</.exec(html)?.[1];
}

describe('mock EU country ACS: success and refusal pages (R-RSP)', async () => {
  const h = await harness();

  it('R-RSP-01/02/14: shows the verified attributes and the LoA of a signed Response with an xmlenc11 rsa-oaep + AES-256-GCM assertion', async () => {
    const { requestId, relayState } = await startPostLogin(h);
    const res = await postToAcs(h, await answer(h, requestId, { loa: 'http://eidas.europa.eu/LoA/high' }), relayState);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>You are logged in</h1>');
    expect(res.text).toContain('<strong id="loa">High</strong>');
    expect(res.text).toContain('FR/XE/7f3c9a1e0b2d4f6a8c0e2b4d6f8a0c2e');
    expect(res.text).toContain('D&#39;Artagnan-Lefèvre');
    expect(res.text).toContain('1980-06-24');
  });

  it('R-CRY-07: reads a 1.2-era encryption (rsa-oaep-mgf1p, AES-128-GCM) and an RSA-PSS signed Response', async () => {
    const { requestId, relayState } = await startPostLogin(h);
    h.setNodeMetadata(await proxyServiceMetadata({ entityId: NODE_METADATA_URL, ssoUrl: NODE_SSO_URL, validUntil: new Date(NOW.getTime() + 3_600_000), signingCerts: [NODE_KEYS.rsa.cert, NODE_KEYS.signing.cert] }));
    const xml = await answer(h, requestId, {
      signing: { key: NODE_KEYS.rsa.key, cert: NODE_KEYS.rsa.cert, algorithm: SIG.RSA_PSS_SHA256 },
      encryption: { recipient: h.mock.keys.encryption.certificate, keyTransport: ENC.RSA_OAEP_MGF1P, dataAlgorithm: ENC.AES128_GCM },
    });
    const res = await postToAcs(h, xml, relayState);
    expect(res.text).toContain('<h1>You are logged in</h1>');
  });

  it('R-RSP-09: a signed RequestDenied Response shows the refusal page with its status', async () => {
    const { requestId, relayState } = await startPostLogin(h);
    const xml = await answer(h, requestId, { status: { code: RESPONDER, subCode: REQUEST_DENIED, message: 'Citizen consent not given.' } });
    const res = await postToAcs(h, xml, relayState);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Login cancelled</h1>');
    expect(res.text).toContain(`id="sub-status">${REQUEST_DENIED}<`);
    expect(res.text).toContain('Citizen consent not given.');
  });
});

describe('mock EU country ACS: what it refuses', async () => {
  const h = await harness();

  it('R-RSP-17: a Response replayed a second time finds no pending request (RESPONSE_UNSOLICITED)', async () => {
    const { requestId, relayState } = await startPostLogin(h);
    const xml = await answer(h, requestId);
    expect((await postToAcs(h, xml, relayState)).text).toContain('You are logged in');
    const again = await postToAcs(h, xml, relayState);
    expect(again.status).toBe(400);
    expect(errorCode(again.text)).toBe('RESPONSE_UNSOLICITED');
  });

  it('R-RSP-17: InResponseTo of another request is refused (RESPONSE_UNSOLICITED)', async () => {
    const first = await startPostLogin(h);
    const second = await startPostLogin(h);
    const res = await postToAcs(h, await answer(h, first.requestId), second.relayState);
    expect(errorCode(res.text)).toBe('RESPONSE_UNSOLICITED');
  });

  const cases: Array<[string, Partial<NodeResponseOptions>, string]> = [
    ['R-RSP-12: Audience of another connector', { audience: 'https://connector.example.eu/metadata' }, 'RESPONSE_MISMATCH'],
    ['R-RSP-05: Destination other than our ACS', { destination: 'https://connector.example.eu/acs' }, 'RESPONSE_MISMATCH'],
    ['R-RSP-06: Issuer other than the node', { issuer: 'https://proxy.example.eu/metadata' }, 'RESPONSE_MISMATCH'],
    ['R-RSP-15: LoA low when substantial was requested', { loa: 'http://eidas.europa.eu/LoA/low' }, 'LOA_TOO_LOW'],
    ['R-RSP-13: Response issued an hour ago', { now: new Date(NOW.getTime() - 3_600_000) }, 'RESPONSE_EXPIRED'],
    ['R-RSP-16: Response signed by a key the node metadata does not list', { signing: { key: dsigKey('evil-p256').key, cert: dsigKey('evil-p256').cert } }, 'KEY_UNTRUSTED'],
  ];
  for (const [title, overrides, code] of cases) {
    it(`${title} is refused (${code})`, async () => {
      const { requestId, relayState } = await startPostLogin(h);
      const res = await postToAcs(h, await answer(h, requestId, overrides), relayState);
      expect(res.status).toBe(400);
      expect(errorCode(res.text)).toBe(code);
      expect(res.text).not.toContain('FR/XE/');
    });
  }

  it('R-RSP-16: a Response whose signature was altered is refused (DIGEST_MISMATCH)', async () => {
    const { requestId, relayState } = await startPostLogin(h);
    const xml = (await answer(h, requestId)).replace(`Destination="${ACS}"`, `Destination="${ACS}" Consent="urn:oasis:names:tc:SAML:2.0:consent:obtained"`);
    expect(errorCode((await postToAcs(h, xml, relayState)).text)).toBe('DIGEST_MISMATCH');
  });

  it('R-MD: node metadata signed by a key other than the trust anchor is never used (NODE_METADATA, 502)', async () => {
    const h2 = await harness();
    h2.setNodeMetadata(await proxyServiceMetadata({ entityId: NODE_METADATA_URL, ssoUrl: NODE_SSO_URL, validUntil: new Date(NOW.getTime() + 3_600_000), metadataKey: dsigKey('evil-p256') }));
    const res = await request(h2.app).post('/demo/eu/login').type('form').send({ country: 'FR', binding: 'post' });
    expect(res.status).toBe(502);
    expect(errorCode(res.text)).toBe('NODE_METADATA');
    expect(res.text).not.toContain('SAMLRequest');
  });
});
