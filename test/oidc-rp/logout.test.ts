/**
 * RP-initiated logout toward FranceConnect (franceconnect.md §3.2, fact 10): the end_session URL
 * carries the id_token FranceConnect signed (the inner JWS when the id_token came encrypted to
 * us: FranceConnect cannot open a JWE made for our key), our pre-registered
 * post_logout_redirect_uri and the flow's state; the mock's end_session (oidc-provider, as
 * FranceConnect's core) accepts that hint and sends the browser back with the state.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcRp, type VerifiedLogin } from '../../src/back/oidc-rp/index.ts';
import { memoryReplayGuard, reasonOf, rsaEncryptionKey, startHarness, type Harness } from './support/harness.ts';

const STATE = 'logout-state-0123456789abcdefghijklmnopqrstu';

/** The mock's end_session as a browser runs it: GET, its auto-submitted form, then the redirect. */
async function endSession(url: URL): Promise<Response> {
  const first = await fetch(url, { redirect: 'manual' });
  const html = await first.text();
  const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (first.status !== 200 || !action) return new Response(html, { status: first.status });
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  return fetch(new URL(action, url), { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

describe('FranceConnect+ logout (encrypted id_token)', () => {
  let h: Harness;
  let login: VerifiedLogin;
  beforeAll(async () => {
    h = await startHarness({ rp: { encryption: { privateKey: rsaEncryptionKey(), alg: 'RSA-OAEP', enc: 'A256GCM' } } });
    const { callback, secrets } = await h.login('angela-dubois');
    login = await h.rp.finishLogin(callback, secrets);
  }, 60_000);
  afterAll(() => h?.close());

  const postLogout = () => `${h.server.base}/proxy-service/franceconnect/logout-callback`;

  it('the registration asks FranceConnect to register our post_logout_redirect_uri', async () => {
    expect((await h.rp.registration()).postLogoutRedirectUris).toEqual([postLogout()]);
  });

  it('franceconnect.md §3.2: end_session URL = discovered endpoint + id_token_hint (FranceConnect\'s signed JWS, verifiable with its key) + post_logout_redirect_uri + state', async () => {
    const url = await h.rp.logoutUrl({ idTokenHint: login.idTokenHint, state: STATE });
    expect(`${url.origin}${url.pathname}`).toBe(`${h.mock.issuer}/session/end`);
    expect([...url.searchParams.keys()].sort()).toEqual(['id_token_hint', 'post_logout_redirect_uri', 'state']);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(postLogout());
    expect(url.searchParams.get('state')).toBe(STATE);
    const hint = url.searchParams.get('id_token_hint')!;
    expect(hint.split('.')).toHaveLength(3);
    const jwks = (await (await fetch(`${h.mock.issuer}/jwks`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(hint, createLocalJWKSet(jwks), { issuer: h.mock.issuer, audience: 'pont-eidas-test' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe(login.sub);
  });

  it('the mock\'s end_session accepts the hint and sends the browser back to the registered URI with the state', async () => {
    const back = await endSession(await h.rp.logoutUrl({ idTokenHint: login.idTokenHint, state: STATE }));
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(postLogout());
    expect(location.searchParams.get('state')).toBe(STATE);
  });

  it('the mock refuses a hint whose signature is not its own (the test above proves something)', async () => {
    const [header, payload] = login.idTokenHint.split('.');
    const forged = await h.rp.logoutUrl({ idTokenHint: `${header}.${payload}.${'A'.repeat(86)}`, state: STATE });
    const answer = await endSession(forged);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
  });

  it('OIDC_LOGOUT: an encrypted token (JWE) as hint, a short state, or no post_logout_redirect_uri configured', async () => {
    expect(await reasonOf(h.rp.logoutUrl({ idTokenHint: 'a.b.c.d.e', state: STATE }))).toBe('OIDC_LOGOUT');
    expect(await reasonOf(h.rp.logoutUrl({ idTokenHint: login.idTokenHint, state: 'short' }))).toBe('OIDC_LOGOUT');
    const bare = createOidcRp({
      platform: 'franceconnect-plus', issuer: h.mock.issuer, clientId: 'pont-eidas-test', clientSecret: 's'.repeat(40),
      redirectUri: h.redirectUri, signingAlg: 'ES256', replay: memoryReplayGuard(), allowHttp: true,
    });
    expect(await reasonOf(bare.logoutUrl({ idTokenHint: login.idTokenHint, state: STATE }))).toBe('OIDC_LOGOUT');
    expect((await bare.registration()).postLogoutRedirectUris).toBeUndefined();
  });
});
