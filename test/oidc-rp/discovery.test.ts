/**
 * Discovery and transport: an OP whose discovery would make the login weaker than configured
 * is refused (no PKCE S256, pinned alg not offered, another issuer), and a slow or huge OP
 * answer ends the login (ATK-67) instead of hanging it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcRp, type OidcRpOptions } from '../../src/back/oidc-rp/index.ts';
import { limitedFetch } from '../../src/back/oidc-rp/http.ts';
import { startServer, type TestServer } from '../mock/support/server.ts';
import { memoryReplayGuard, reasonOf } from './support/harness.ts';

let server: TestServer;
const documents = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  server = await startServer();
  server.app.get('/op/:name/.well-known/openid-configuration', (req, res) => {
    const doc = documents.get(req.params.name);
    if (doc) res.json(doc);
    else res.status(404).end();
  });
  server.app.get('/slow/.well-known/openid-configuration', () => undefined); // never answers
  server.app.get('/huge', (_req, res) => {
    res.type('json').send(`{"x":"${'a'.repeat(300_000)}"}`);
  });
});
afterAll(() => server.close());

function goodDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['ES256'],
    code_challenge_methods_supported: ['S256'],
  };
}

function rpFor(issuer: string, extra: Partial<OidcRpOptions> = {}) {
  return createOidcRp({
    platform: 'franceconnect-plus',
    issuer,
    clientId: 'c',
    clientSecret: 's'.repeat(40),
    redirectUri: `${server.base}/cb`,
    signingAlg: 'ES256',
    replay: memoryReplayGuard(),
    allowHttp: true,
    httpTimeoutMs: 300,
    ...extra,
  });
}

function serve(name: string, change: Record<string, unknown>): string {
  const issuer = `${server.base}/op/${name}`;
  documents.set(name, { ...goodDocument(issuer), ...change });
  return issuer;
}

const request = { acrValues: ['eidas2' as const], scopes: ['identite_pivot' as const] };

describe('discovery', () => {
  it('franceconnect.md §3.2: an OP announcing no end_session_endpoint → logoutUrl refuses (OIDC_LOGOUT), it never makes up a URL', async () => {
    const issuer = serve('no-end-session', {});
    const rp = rpFor(issuer, { postLogoutRedirectUri: `${server.base}/logout-callback` });
    expect(await reasonOf(rp.logoutUrl({ idTokenHint: 'h.p.s', state: 'x'.repeat(43) }))).toBe('OIDC_LOGOUT');
    const announced = serve('with-end-session', { end_session_endpoint: `${server.base}/op/with-end-session/session/end` });
    const url = await rpFor(announced, { postLogoutRedirectUri: `${server.base}/logout-callback` }).logoutUrl({ idTokenHint: 'h.p.s', state: 'x'.repeat(43) });
    expect(`${url.origin}${url.pathname}`).toBe(`${server.base}/op/with-end-session/session/end`);
  });

  it('a complete discovery document lets a login start', async () => {
    const url = (await rpFor(serve('good', {})).startLogin(request)).url;
    expect(url.href.startsWith(`${server.base}/op/good/authorize?`)).toBe(true);
  });

  it.each([
    ['no PKCE S256 (ATK-61 downgrade)', { code_challenge_methods_supported: ['plain'] }],
    ['the pinned ES256 not offered', { id_token_signing_alg_values_supported: ['RS256'] }],
    ['no userinfo endpoint', { userinfo_endpoint: undefined }],
  ])('an OP with %s is refused (OIDC_DISCOVERY)', async (name, change) => {
    const rp = rpFor(serve(name.replace(/\W+/g, '-'), change));
    expect(await reasonOf(rp.startLogin(request))).toBe('OIDC_DISCOVERY');
  });

  it('ATK-62: a discovery document naming another issuer is refused (OIDC_DISCOVERY)', async () => {
    const issuer = serve('mixup', {});
    documents.set('mixup', goodDocument('https://auth.franceconnect.gouv.fr/api/v2'));
    expect(await reasonOf(rpFor(issuer).startLogin(request))).toBe('OIDC_DISCOVERY');
  });

  it('ATK-67: an OP that does not answer ends the login in time (OIDC_UNAVAILABLE), and a later login tries again', async () => {
    const rp = rpFor(`${server.base}/slow`);
    expect(await reasonOf(rp.startLogin(request))).toBe('OIDC_UNAVAILABLE');
    expect(await reasonOf(rp.startLogin(request))).toBe('OIDC_UNAVAILABLE');
  });

  it('an OP nobody listens at is unavailable (OIDC_UNAVAILABLE)', async () => {
    expect(await reasonOf(rpFor('http://127.0.0.1:9/op').startLogin(request))).toBe('OIDC_UNAVAILABLE');
  });
});

describe('transport limits', () => {
  it('ATK-67: an answer larger than the cap is refused (JOSE_LIMIT)', async () => {
    const capped = limitedFetch({ timeoutMs: 2000, maxBytes: 64 * 1024 });
    expect(await reasonOf(capped(`${server.base}/huge`))).toBe('JOSE_LIMIT');
  });
});
