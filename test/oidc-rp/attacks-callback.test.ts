/**
 * attacks.md §E on the callback side: state (ATK-59), code and PKCE (ATK-61), issuer mix-up
 * (ATK-62) and FranceConnect's error answers. Each test asserts the reason code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcRpError, createOidcRp } from '../../src/back/oidc-rp/index.ts';
import { TestBrowser } from '../mock/support/browser.ts';
import { memoryReplayGuard, reasonOf, startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

function without(url: URL, name: string): URL {
  const copy = new URL(url);
  copy.searchParams.delete(name);
  return copy;
}

function withParam(url: URL, name: string, value: string): URL {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}

describe('ATK-59 state', () => {
  it('ATK-59: a callback without state is refused (OIDC_STATE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    expect(await reasonOf(h.rp.finishLogin(without(callback, 'state'), secrets))).toBe('OIDC_STATE');
  });

  it("ATK-59: the attacker's own callback delivered into the victim's flow is refused (OIDC_STATE)", async () => {
    const attacker = await h.login('jean-martin');
    const victim = await h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['identite_pivot'] });
    expect(await reasonOf(h.rp.finishLogin(attacker.callback, victim.secrets))).toBe('OIDC_STATE');
  });

  it('ATK-59: a state used once is refused the second time (OIDC_STATE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    await h.rp.finishLogin(callback, secrets);
    expect(await reasonOf(h.rp.finishLogin(callback, secrets))).toBe('OIDC_STATE');
  });

  it('ATK-59: a repeated state parameter (parameter pollution) is refused (OIDC_STATE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    const polluted = new URL(callback);
    polluted.searchParams.append('state', 'attacker-state-attacker-state');
    expect(await reasonOf(h.rp.finishLogin(polluted, secrets))).toBe('OIDC_STATE');
    const asQuery = { ...Object.fromEntries(callback.searchParams), state: [secrets.state, secrets.state] };
    expect(await reasonOf(h.rp.finishLogin(asQuery, secrets))).toBe('OIDC_STATE');
  });

  it('ATK-59: stored secrets that are not a login of ours are refused (OIDC_STATE)', async () => {
    const { callback } = await h.login('angela-dubois');
    expect(await reasonOf(h.rp.finishLogin(callback, { state: 'x' }))).toBe('OIDC_STATE');
  });
});

describe('ATK-61 code and PKCE', () => {
  it('ATK-61: a callback without code is refused (OIDC_CODE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    expect(await reasonOf(h.rp.finishLogin(without(callback, 'code'), secrets))).toBe('OIDC_CODE');
  });

  it('ATK-61: a code redeemed twice is refused by FranceConnect, even if the state record were lost (OIDC_CODE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    await h.rp.finishLogin(callback, secrets);
    h.replay.seen.clear();
    expect(await reasonOf(h.rp.finishLogin(callback, secrets))).toBe('OIDC_CODE');
  });

  it('ATK-61: a wrong PKCE verifier makes the token endpoint refuse the code (OIDC_CODE)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    const wrong = { ...secrets, codeVerifier: 'A'.repeat(43) };
    expect(await reasonOf(h.rp.finishLogin(callback, wrong))).toBe('OIDC_CODE');
  });

  it("ATK-61: a code stolen from another flow and injected with the victim's state is refused (OIDC_CODE)", async () => {
    const stolen = await h.login('jean-martin');
    const victim = await h.login('angela-dubois');
    const injected = withParam(victim.callback, 'code', stolen.callback.searchParams.get('code')!);
    expect(await reasonOf(h.rp.finishLogin(injected, victim.secrets))).toBe('OIDC_CODE');
  });
});

describe('ATK-62 issuer mix-up', () => {
  it('ATK-62: a callback whose iss is another OP is refused (OIDC_ISSUER)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    expect(await reasonOf(h.rp.finishLogin(withParam(callback, 'iss', `${h.mock.issuer}/`), secrets))).toBe('OIDC_ISSUER');
  });

  it('ATK-62: a callback without iss, from an OP that announces it (RFC 9207), is refused (OIDC_ISSUER)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    expect(await reasonOf(h.rp.finishLogin(without(callback, 'iss'), secrets))).toBe('OIDC_ISSUER');
  });

  it('ATK-62: a login started with another OP cannot be finished here (OIDC_ISSUER)', async () => {
    const { callback, secrets } = await h.login('angela-dubois');
    const other = { ...secrets, issuer: 'https://auth.franceconnect.gouv.fr/api/v2' };
    expect(await reasonOf(h.rp.finishLogin(callback, other))).toBe('OIDC_ISSUER');
  });
});

describe("FranceConnect's error answers", () => {
  it('the citizen cancels on the picking page: access_denied comes back (OIDC_ACCESS_DENIED, outcome cancelled)', async () => {
    const { url, secrets } = await h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['identite_pivot'] });
    const browser = new TestBrowser();
    const { last } = await browser.navigate(url.href, h.redirectUri);
    expect(last.status).toBe(200);
    const action = /action="([^"]*\/abort)"/.exec(await last.text())?.[1];
    const cancel = await browser.request(new URL(action!, h.mock.issuer).href, { form: {} });
    const { stoppedAt } = await browser.follow(cancel, h.redirectUri);
    expect(stoppedAt?.searchParams.get('error')).toBe('access_denied');
    const error = await h.rp.finishLogin(stoppedAt!, secrets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OidcRpError);
    expect(error).toMatchObject({ reason: 'OIDC_ACCESS_DENIED', outcome: 'cancelled', opError: { error: 'access_denied' } });
  });

  it('another OAuth error with the right state is typed, its code and description kept clean (OIDC_OP_ERROR)', async () => {
    const { secrets } = await h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['identite_pivot'] });
    const params = { state: secrets.state, iss: h.mock.issuer, error: 'server_error<script>', error_description: 'down\r\nfor maintenance' };
    const error = await h.rp.finishLogin(params, secrets).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'OIDC_OP_ERROR', outcome: 'failed', opError: { error: 'server_errorscript', description: 'downfor maintenance' } });
  });

  it('ATK-59: an error answer carrying another state is refused as such (OIDC_STATE)', async () => {
    const { secrets } = await h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['identite_pivot'] });
    const params = { state: 'someone-elses-state-0000000', iss: h.mock.issuer, error: 'access_denied' };
    expect(await reasonOf(h.rp.finishLogin(params, secrets))).toBe('OIDC_STATE');
  });
});

describe('configurations that would weaken verification are refused (OIDC_CONFIG)', () => {
  const base = {
    platform: 'franceconnect-plus' as const,
    issuer: 'https://auth.franceconnect.gouv.fr/api/v2',
    clientId: 'c',
    clientSecret: 's'.repeat(40),
    redirectUri: 'https://pont.example/proxy-service/franceconnect/callback',
    signingAlg: 'ES256' as const,
    replay: memoryReplayGuard(),
  };

  it.each([
    ['HS256 on FranceConnect+', { signingAlg: 'HS256' as const }],
    ['HS256 with a short secret on FranceConnect', { platform: 'franceconnect' as const, signingAlg: 'HS256' as const, clientSecret: 'short' }],
    ['an http issuer without allowHttp', { issuer: 'http://auth.example/api/v2' }],
    ['a redirect URI with a query', { redirectUri: 'https://pont.example/cb?x=1' }],
  ])('ATK-64: %s', (_name, change) => {
    expect(() => createOidcRp({ ...base, ...change })).toThrow(expect.objectContaining({ reason: 'OIDC_CONFIG' }));
  });
});
