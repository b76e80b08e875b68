/**
 * The mock FranceConnect behaves like FranceConnect+ v2 as franceconnect.md §3 describes, seen
 * from a plain HTTP client (no RP code): discovery, FranceConnect's authorize rules, the
 * citizen-picking page (accessible, no JavaScript, escaped), pairwise subjects, ES256 tokens
 * and JWE when the client registers it.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { compactDecrypt, decodeJwt, decodeProtectedHeader, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockFranceConnect, type MockClient, type MockFranceConnect } from '../../src/mock/franceconnect/index.ts';
import { TestBrowser } from './support/browser.ts';
import { mountMock, startServer, type TestServer } from './support/server.ts';

let server: TestServer;
let mock: MockFranceConnect;
let low: MockFranceConnect;
const encKey = generateKeyPairSync('rsa', { modulusLength: 3072 });
const secret = randomBytes(32).toString('base64url');
let callback: string;
let otherCallback: string;

beforeAll(async () => {
  server = await startServer();
  callback = `${server.base}/rp/callback`;
  otherCallback = 'http://other-sp.localhost/callback';
  const clients: MockClient[] = [
    { clientId: 'plain', clientSecret: secret, redirectUris: [callback] },
    { clientId: 'other', clientSecret: secret, redirectUris: [otherCallback] },
    {
      clientId: 'encrypted',
      clientSecret: secret,
      redirectUris: [callback],
      encryption: { publicJwk: await exportJWK(encKey.publicKey), alg: 'RSA-OAEP' },
    },
  ];
  mock = await mountMock(server, clients);
  low = await mountMock(server, clients.slice(0, 1), { platform: 'franceconnect' }, '/mock/fc-low/api/v2');
});
afterAll(() => server.close());

function authorizeUrl(m: MockFranceConnect, params: Record<string, string | undefined>) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${m.issuer}/authorize`);
  const all: Record<string, string | undefined> = {
    client_id: 'plain',
    response_type: 'code',
    redirect_uri: callback,
    scope: 'openid identite_pivot',
    state: randomBytes(24).toString('base64url'),
    nonce: randomBytes(24).toString('base64url'),
    acr_values: 'eidas2',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return { url, verifier, state: all.state };
}

async function redeem(m: MockFranceConnect, code: string, verifier: string, clientId = 'plain', redirectUri = callback) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId, client_secret: secret });
  const res = await fetch(`${m.issuer}/token`, { method: 'POST', body });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

async function codeFor(m: MockFranceConnect, params: Record<string, string | undefined>, stopAt = callback) {
  const a = authorizeUrl(m, params);
  const { stoppedAt } = await new TestBrowser().navigate(a.url.href, stopAt);
  return { ...a, back: stoppedAt! };
}

describe('discovery', () => {
  it('FranceConnect+: acr eidas2/eidas3, pairwise subjects, PKCE S256, ES256, JWE algorithms, code flow only', async () => {
    const d = await (await fetch(`${mock.issuer}/.well-known/openid-configuration`)).json();
    expect(d).toMatchObject({
      issuer: mock.issuer,
      acr_values_supported: ['eidas2', 'eidas3'],
      subject_types_supported: ['pairwise'],
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      authorization_endpoint: `${mock.issuer}/authorize`,
      jwks_uri: `${mock.issuer}/jwks`,
    });
    expect(d.id_token_signing_alg_values_supported).toContain('ES256');
    expect(d.id_token_encryption_alg_values_supported).toEqual(expect.arrayContaining(['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES']));
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'identite_pivot', 'birth', 'profile', 'given_name', 'birthcountry']));
  });

  it('FranceConnect (low): eidas1 only', async () => {
    const d = await (await fetch(`${low.issuer}/.well-known/openid-configuration`)).json();
    expect(d.acr_values_supported).toEqual(['eidas1']);
  });

  it('refuses to be built for production', async () => {
    await expect(createMockFranceConnect({ issuer: 'https://x.example/mock', environment: 'production', clients: [] })).rejects.toThrow(/production/);
  });
});

describe("FranceConnect's authorize rules", () => {
  it('a nonce shorter than 22 characters gets a 400 page and no redirect', async () => {
    const res = await fetch(authorizeUrl(mock, { nonce: 'short-nonce' }).url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('nonce');
  });

  it('a request without state gets a 400 page and no redirect', async () => {
    const res = await fetch(authorizeUrl(mock, { state: undefined }).url, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('a request without PKCE is answered invalid_request', async () => {
    const { back } = await codeFor(mock, { code_challenge: undefined, code_challenge_method: undefined, login_hint: 'jean-martin' });
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it.each([
    ['a path suffix', (u: string) => `${u}.evil.example`],
    ['a dot segment', (u: string) => `${u}/../evil`],
    ['userinfo in the authority', (u: string) => u.replace('http://', 'http://evil.example@')],
    ['another port', (u: string) => u.replace(/:\d+\//, ':1/')],
    ['an added query', (u: string) => `${u}?next=evil`],
    ['an encoded slash', (u: string) => u.replace('/rp/', '/rp%2F')],
  ])('ATK-66: a redirect_uri with %s gets a 400 page and no redirect', async (_name, change) => {
    const res = await fetch(authorizeUrl(mock, { redirect_uri: change(callback), login_hint: 'jean-martin' }).url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('FranceConnect+ refuses eidas1 with invalid_request', async () => {
    const { back } = await codeFor(mock, { acr_values: 'eidas1', login_hint: 'jean-martin' });
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('without acr_values, FranceConnect+ logs in at eidas3', async () => {
    const { back, verifier } = await codeFor(mock, { acr_values: undefined, login_hint: 'jean-martin' });
    const { json } = await redeem(mock, back.searchParams.get('code')!, verifier);
    expect(decodeJwt(json.id_token!).acr).toBe('eidas3');
  });
});

describe('the citizen-picking page', () => {
  it('lists every test citizen in an accessible form that works without JavaScript, with names escaped', async () => {
    const browser = new TestBrowser();
    const { last } = await browser.navigate(authorizeUrl(mock, {}).url.href, callback);
    const html = await last.text();
    expect(last.status).toBe(200);
    expect(html).toContain('<html lang="fr">');
    expect(html).not.toContain('<script');
    expect(html).toMatch(/<form method="post" action="[^"]+\/login">/);
    expect(html).toContain('<legend>');
    for (const c of mock.citizens) expect(html).toContain(`value="${c.id}"`);
    expect((html.match(/<label for="citoyen-\d+"><input type="radio" id="citoyen-\d+" name="citizen"/g) ?? []).length).toBe(mock.citizens.length);
    expect(html).toContain('Zoé &quot;Zaza&quot; &lt;b&gt;');
    expect(html).not.toContain('<b>');
  });

  it('picking a citizen with the form comes back to the client with a code and the state', async () => {
    const browser = new TestBrowser();
    const a = authorizeUrl(mock, {});
    const { last } = await browser.navigate(a.url.href, callback);
    const action = /action="([^"]+\/login)"/.exec(await last.text())![1]!;
    const posted = await browser.request(new URL(action, mock.issuer).href, { form: { citizen: 'fatou-diallo' } });
    const { stoppedAt } = await browser.follow(posted, callback);
    expect(stoppedAt?.searchParams.get('state')).toBe(a.state);
    const { json } = await redeem(mock, stoppedAt!.searchParams.get('code')!, a.verifier);
    const userinfo = await fetch(`${mock.issuer}/userinfo`, { headers: { authorization: `Bearer ${json.access_token}` } });
    expect(decodeJwt(await userinfo.text())).toMatchObject({ family_name: 'DIALLO', birthplace: '', birthcountry: '99341' });
  });

  it('an unknown login_hint shows the page with a notice', async () => {
    const { last } = await new TestBrowser().navigate(authorizeUrl(mock, { login_hint: 'nobody<x>' }).url.href, callback);
    const html = await last.text();
    expect(html).toContain('role="status"');
    expect(html).toContain('nobody&lt;x&gt;');
  });
});

describe("FranceConnect keeps no citizen session (franceconnect.md §3.1, §3.2)", () => {
  it('§3.2 no session, forced prompt=login: a second login in the same browser re-authenticates, with the citizen and acr now asked', async () => {
    const browser = new TestBrowser();
    const first = authorizeUrl(mock, { acr_values: 'eidas2', login_hint: 'jean-martin' });
    const back1 = (await browser.navigate(first.url.href, callback)).stoppedAt!;
    const sub1 = decodeJwt((await redeem(mock, back1.searchParams.get('code')!, first.verifier)).json.id_token!).sub;
    const second = authorizeUrl(mock, { acr_values: 'eidas3', login_hint: 'angela-dubois' });
    const { stoppedAt } = await browser.navigate(second.url.href, callback);
    expect(browser.hops.slice(-3).some((h) => h.url.includes('/interaction/'))).toBe(true);
    const claims = decodeJwt((await redeem(mock, stoppedAt!.searchParams.get('code')!, second.verifier)).json.id_token!);
    expect(claims.acr).toBe('eidas3');
    expect(claims.sub).not.toBe(sub1);
  });
});

describe('tokens', () => {
  it('id_token signed ES256 with a published key; sub pairwise (64 hex + v1), different per client sector', async () => {
    const a = await codeFor(mock, { login_hint: 'angela-dubois' });
    const tokens = (await redeem(mock, a.back.searchParams.get('code')!, a.verifier)).json;
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    const sub = decodeJwt(tokens.id_token!).sub!;
    expect(sub).toMatch(/^[0-9a-f]{64}v1$/);
    const b = await codeFor(mock, { client_id: 'other', redirect_uri: otherCallback, login_hint: 'angela-dubois' }, otherCallback);
    const other = (await redeem(mock, b.back.searchParams.get('code')!, b.verifier, 'other', otherCallback)).json;
    expect(decodeJwt(other.id_token!).sub).not.toBe(sub);
  });

  it('a code is single-use and bound to its PKCE verifier', async () => {
    const a = await codeFor(mock, { login_hint: 'jean-martin' });
    const code = a.back.searchParams.get('code')!;
    expect((await redeem(mock, code, 'A'.repeat(43))).json.error).toBe('invalid_grant');
    const b = await codeFor(mock, { login_hint: 'jean-martin' });
    const code2 = b.back.searchParams.get('code')!;
    expect((await redeem(mock, code2, b.verifier)).status).toBe(200);
    expect((await redeem(mock, code2, b.verifier)).json.error).toBe('invalid_grant');
  });

  it('id_token and userinfo are JWE (RSA-OAEP + A256GCM) holding an ES256 JWS when the client registers encryption', async () => {
    const a = await codeFor(mock, { client_id: 'encrypted', login_hint: 'helene-lefevre', scope: 'openid preferred_username' });
    const { json } = await redeem(mock, a.back.searchParams.get('code')!, a.verifier, 'encrypted');
    expect(decodeProtectedHeader(json.id_token!)).toMatchObject({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    const inner = new TextDecoder().decode((await compactDecrypt(json.id_token!, encKey.privateKey)).plaintext);
    expect(decodeProtectedHeader(inner).alg).toBe('ES256');
    const userinfo = await (await fetch(`${mock.issuer}/userinfo`, { headers: { authorization: `Bearer ${json.access_token}` } })).text();
    const claims = decodeJwt(new TextDecoder().decode((await compactDecrypt(userinfo, encKey.privateKey)).plaintext));
    expect(claims.preferred_username).toBe('MARCHAND');
  });
});
