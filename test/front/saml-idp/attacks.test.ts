/**
 * attacks.md section D against the SSO endpoint over HTTP (PS and OUT items, outcomes of §0.2):
 * each attack ends with one clear answer — a citizen page with nothing sent (PS-400) or a signed
 * error Response to the metadata ACS (PS-ERR) — its reason code in the log, no cookie, and
 * nothing handed to the flow (no session).
 */
import { deflateRawSync } from 'node:zlib';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { SIG } from '../../../src/saml/namespaces.ts';
import { STATUS } from '../../../src/front/saml-idp/index.ts';
import { readErrorResponse, testApp, type TestApp } from './support/http.ts';
import {
  ACS_DE,
  DE,
  G_REQ,
  KEYS,
  NS,
  connectorParse,
  connectorSerialize,
  edited,
  fixture,
  form,
  kid,
  postBody,
  redirectQuery,
  signedRequest,
  world,
  type World,
} from './support/world.ts';

const SSO = '/proxy-service/sso';
let w: World;
let t: TestApp;
beforeEach(() => {
  w = world();
  t = testApp(w);
});

const post = (body: string, type = 'application/x-www-form-urlencoded') => request(t.app).post(SSO).type(type).send(body);

/** PS-400: the page, the reason, nothing sent, no session. */
function expectRefused(res: request.Response, reason: string, status = 400): void {
  expect(res.status).toBe(status);
  expect(t.rejections()).toEqual([reason]);
  expect(res.text).not.toContain('SAMLResponse');
  expect(res.text).toMatch(/Code d’assistance|Support code/);
  const code = t.lines.find((l) => l.event === 'eidas.request.rejected')!.supportCode as string;
  expect(res.text).toContain(`<span class="pont-support-code">${code}</span>`);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['content-security-policy']).not.toMatch(/form-action (?!'self')/);
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(res.headers.location).toBeUndefined();
  expect(t.handed).toHaveLength(0);
}

describe('PS-400: the requester cannot be authenticated, nothing is sent anywhere', () => {
  it('ATK-38: a replayed AuthnRequest is refused (REPLAY); the first one alone reached the flow', async () => {
    const body = postBody(await signedRequest());
    expect((await post(body)).status).toBe(200);
    const replay = await post(body);
    expect(replay.status).toBe(400);
    expect(t.rejections()).toEqual(['REPLAY']);
    expect(t.handed).toHaveLength(1);
    expect(replay.text).not.toContain('SAMLResponse');
  });

  it('ATK-38: 10 concurrent posts of one request: exactly one reaches the flow', async () => {
    const body = postBody(await signedRequest());
    const results = await Promise.all(Array.from({ length: 10 }, () => post(body)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(t.handed).toHaveLength(1);
    expect(t.rejections()).toEqual(Array(9).fill('REPLAY'));
  });

  it('ATK-46 / R-MSG-05: an unknown issuer is refused (ISSUER)', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => (kid(root, NS.saml, 'Issuer').textContent = 'https://unknown.example/md')), KEYS.evil);
    expectRefused(await post(postBody(xml)), 'ISSUER');
  });

  it('ATK-48 / R-MSG-09: an ACS URL that is not in the connector metadata is refused (ACS)', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => root.setAttribute('AssertionConsumerServiceURL', 'https://evil.example/acs')));
    expectRefused(await post(postBody(xml)), 'ACS');
  });

  it('R-MSG-06: an unsigned request is refused (SIG_MISSING)', async () => {
    expectRefused(await post(postBody(fixture(G_REQ))), 'SIG_MISSING');
  });

  it('R-CRY-03 / ATK-25: an rsa-sha256 request from a connector not named legacy is refused (SIG_ALG_NOT_ALLOWED)', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    expectRefused(await post(postBody(fixture('authnrequest-de-signed-xmlsec1-rsa-sha256.xml'))), 'SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-50a: a Redirect without Signature is refused (REDIRECT_SIG)', async () => {
    const query = redirectQuery(fixture(G_REQ)).replace(/&Signature=.*$/, '');
    expectRefused(await request(t.app).get(`${SSO}?${query}`), 'REDIRECT_SIG');
  });

  it('ATK-51: a deflate bomb over HTTP-Redirect is refused with 413 (SIZE)', async () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024)).toString('base64');
    expect(bomb.length).toBeLessThan(16_000); // fits in a URL
    const query = form([['SAMLRequest', bomb], ['SigAlg', SIG.ECDSA_SHA256], ['Signature', 'AAAA']]);
    expectRefused(await request(t.app).get(`${SSO}?${query}`), 'SIZE', 413);
  });

  it('ATK-51: a 300 KiB POST body is refused with 413 before it is parsed (SIZE)', async () => {
    expectRefused(await post(`SAMLRequest=${'A'.repeat(300 * 1024)}`), 'SIZE', 413);
  });

  it('ATK-51: a message over 131072 bytes once decoded is refused with 413 (SIZE)', async () => {
    const big = `<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">${' '.repeat(131_100)}</saml2p:AuthnRequest>`;
    expectRefused(await post(postBody(big)), 'SIZE', 413);
  });

  it('ATK-51: a gzip-encoded body is not inflated (BINDING)', async () => {
    const res = await request(t.app).post(SSO).set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'gzip').send('x');
    expectRefused(res, 'BINDING');
  });

  it('R-MSG-29 / ATK-49: a RelayState over 80 bytes is refused (RELAYSTATE)', async () => {
    expectRefused(await post(postBody(await signedRequest(), 'r'.repeat(81))), 'RELAYSTATE');
  });

  it.each<[string, (body: string) => string, string?]>([
    ['SAMLRequest twice', (b) => `${b}&${b}`],
    ['SAMLRequest[]=', (b) => b.replace('SAMLRequest=', 'SAMLRequest[]=')],
    ['RelayState[x]=', (b) => `${b}&RelayState[x]=1`],
    ['a JSON body', (b) => JSON.stringify({ SAMLRequest: b }), 'application/json'],
    ['a multipart body', () => '--b\r\nContent-Disposition: form-data; name="SAMLRequest"\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'],
  ])('ATK-52: %s is refused (PARAM)', async (_t, pollute, type) => {
    expectRefused(await post(pollute(postBody(await signedRequest())), type), 'PARAM');
  });

  it('ATK-52: the message both in the query and in the body is refused (PARAM)', async () => {
    const body = postBody(await signedRequest());
    expectRefused(await request(t.app).post(`${SSO}?${body}`).type('form').send(body), 'PARAM');
  });

  it('ATK-07 / ATK-01: the signed request hidden in the Signature of an outer request with other Extensions is refused (SIG_SCOPE)', async () => {
    const doc = connectorParse(await signedRequest());
    const outer = doc.documentElement!;
    const inner = outer.cloneNode(true) as Element;
    inner.removeChild(kid(inner, 'http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    kid(outer, 'http://www.w3.org/2000/09/xmldsig#', 'Signature').appendChild(inner);
    outer.setAttribute('ID', '_evil-outer');
    kid(kid(outer, NS.samlp, 'Extensions'), NS.eidas, 'SPType').textContent = 'private';
    expectRefused(await post(postBody(connectorSerialize(doc))), 'SIG_SCOPE');
  });

  it('ATK-07 / ATK-02: the signed request as a detached sibling inside an outer request is refused (SIG_SCOPE)', async () => {
    const doc = connectorParse(await signedRequest());
    const outer = doc.documentElement!;
    const inner = outer.cloneNode(true) as Element;
    inner.removeChild(kid(inner, 'http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    const extensions = kid(outer, NS.samlp, 'Extensions');
    extensions.appendChild(inner); // the original, in the outer Extensions
    outer.setAttribute('ID', '_evil-outer');
    kid(extensions, NS.eidas, 'SPType').textContent = 'private';
    expectRefused(await post(postBody(connectorSerialize(doc))), 'SIG_SCOPE');
  });
});

describe('PS-ERR: authenticated but not acceptable, a signed error Response to the metadata ACS', () => {
  it('ATK-40 / R-MSG-04: a Destination for another node gets Requester/RequestDenied at the metadata ACS (DESTINATION)', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => root.setAttribute('Destination', 'https://evil.example/proxy-service/sso')));
    const res = await post(postBody(xml, 'relay-1'));
    expect(res.status).toBe(200);
    expect(t.rejections()).toEqual(['DESTINATION']);
    const error = await readErrorResponse(res.text);
    expect(error.codes).toEqual([STATUS.REQUESTER, STATUS.REQUEST_DENIED]);
    expect(error.inResponseTo).toBe('_req-de-5f0c2b7a9e1d4c3b8a6f0e2d4c6b8a01');
    expect([error.form.action, error.form.relayState]).toEqual([ACS_DE, 'relay-1']);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(t.handed).toHaveLength(0);
  });

  it('ATK-40: Host and X-Forwarded-Host do not make a foreign Destination ours (DESTINATION)', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => root.setAttribute('Destination', 'https://evil.example/proxy-service/sso')));
    await post(postBody(xml)).set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example');
    expect(t.rejections()).toEqual(['DESTINATION']);
    expect(t.handed).toHaveLength(0);
  });

  it('ATK-49: an injected RelayState is echoed escaped in the form and never followed', async () => {
    const relay = '"><script>alert(1)</script><a href="https://evil.example';
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => root.setAttribute('IsPassive', 'true')));
    const res = await post(postBody(xml, relay));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.headers.location).toBeUndefined();
    const error = await readErrorResponse(res.text);
    expect([error.form.action, error.form.relayState]).toEqual([ACS_DE, relay]);
    expect(error.codes).toEqual([STATUS.RESPONDER, STATUS.NO_PASSIVE]);
    expect(t.rejections()).toEqual(['IS_PASSIVE']);
  });

  it('ATK-48: a request signed for us but asking for a legal person gets Responder/RequestUnsupported (ATTR_LEGAL_PERSON)', async () => {
    const res = await post(postBody(await signedRequest(fixture('authnrequest-legal-person-only.xml', 'invalid'))));
    expect((await readErrorResponse(res.text)).codes).toEqual([STATUS.RESPONDER, STATUS.REQUEST_UNSUPPORTED]);
    expect(t.rejections()).toEqual(['ATTR_LEGAL_PERSON']);
  });
});

describe('ATK-56: no logout endpoint is mounted', () => {
  it.each([['/proxy-service/slo'], ['/proxy-service/logout'], [`${SSO}/slo`]])('ATK-56: %s is not a route of the IdP front', async (path) => {
    expect((await request(t.app).get(path)).status).toBe(404);
  });
});

describe('the refusal page reads the answer of a real browser', () => {
  it('ATK-49: a RelayState that looks like a URL is data, not a destination', async () => {
    const res = await post(postBody(await signedRequest(), 'https://evil.example/next'));
    expect(res.status).toBe(200);
    expect(t.handed[0]!.relayState).toBe('https://evil.example/next');
    expect(res.text).toBe('on to FranceConnect'); // the flow answers, the front never redirects on it
    expect(res.headers.location).toBeUndefined();
  });
});
