/**
 * attacks.md §E on the token side, with the mock FranceConnect made to misbehave: nonce
 * (ATK-60), id_token iss (ATK-62), acr downgrade (ATK-63), alg confusion (ATK-64), claim gaps
 * (ATK-65) and a malformed pivot identity. Each test asserts the reason code.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Misbehaviour } from '../../src/mock/franceconnect/index.ts';
import { reasonOf, rsaEncryptionKey, startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => h.mock.misbehave(undefined));

async function reasonWith(m: Misbehaviour, request: Parameters<Harness['login']>[1] = {}): Promise<string> {
  h.mock.misbehave(m);
  const { callback, secrets } = await h.login('angela-dubois', request);
  return reasonOf(h.rp.finishLogin(callback, secrets));
}

describe('ATK-60 nonce', () => {
  it('ATK-60: an id_token carrying another nonce is refused (OIDC_NONCE)', async () => {
    expect(await reasonWith({ idToken: { claims: { nonce: 'n'.repeat(43) } } })).toBe('OIDC_NONCE');
  });

  it('ATK-60: an id_token without nonce is refused (OIDC_NONCE)', async () => {
    expect(await reasonWith({ idToken: { claims: { nonce: null } } })).toBe('OIDC_NONCE');
  });

  it('ATK-60: a nonce already used by a finished login is refused in a new one (OIDC_NONCE)', async () => {
    const first = await h.login('angela-dubois');
    await h.rp.finishLogin(first.callback, first.secrets);
    const second = await h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['identite_pivot'] });
    const url = new URL(second.url);
    url.searchParams.set('nonce', first.secrets.nonce);
    url.searchParams.set('login_hint', 'angela-dubois');
    const callback = await h.browse(url);
    expect(await reasonOf(h.rp.finishLogin(callback, { ...second.secrets, nonce: first.secrets.nonce }))).toBe('OIDC_NONCE');
  });
});

describe('ATK-62 issuer in the id_token', () => {
  it.each([
    ['a trailing slash', (iss: string) => `${iss}/`],
    ['another case', (iss: string) => iss.toUpperCase()],
    ['the real FranceConnect+', () => 'https://auth.franceconnect.gouv.fr/api/v2'],
  ])('ATK-62: an id_token iss differing by %s is refused (OIDC_ISSUER)', async (_name, change) => {
    expect(await reasonWith({ idToken: { claims: { iss: change(h.mock.issuer) } } })).toBe('OIDC_ISSUER');
  });
});

describe('ATK-63 acr downgrade', () => {
  it('ATK-63: asked eidas2, FranceConnect returns eidas1: refused, outcome loa-not-met (OIDC_ACR)', async () => {
    h.mock.misbehave({ acr: 'eidas1' });
    const { callback, secrets } = await h.login('angela-dubois', { acrValues: ['eidas2'] });
    const error = await h.rp.finishLogin(callback, secrets).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'OIDC_ACR', outcome: 'loa-not-met' });
  });

  it('ATK-63: asked eidas3, FranceConnect returns eidas2 (OIDC_ACR)', async () => {
    expect(await reasonWith({ acr: 'eidas2' }, { acrValues: ['eidas3'] })).toBe('OIDC_ACR');
  });

  it.each([
    ['missing', null],
    ['with a trailing space', 'eidas2 '],
    ['upper case', 'EIDAS2'],
    ['as an array', ['eidas2']],
    ['unknown', 'eidas4'],
  ])('ATK-63: an acr %s is refused (OIDC_ACR)', async (_name, acr) => {
    expect(await reasonWith({ idToken: { claims: { acr } } })).toBe('OIDC_ACR');
  });

  it('ATK-63: an acr present only in userinfo does not count (OIDC_ACR)', async () => {
    expect(await reasonWith({ idToken: { claims: { acr: null } }, userinfo: { claims: { acr: 'eidas3' } } })).toBe('OIDC_ACR');
  });

  it('ATK-63: asked eidas2 and eidas3, eidas2 is accepted and reported as eidas2', async () => {
    h.mock.misbehave({ acr: 'eidas2' });
    const { callback, secrets } = await h.login('angela-dubois', { acrValues: ['eidas2', 'eidas3'] });
    expect((await h.rp.finishLogin(callback, secrets)).acr).toBe('eidas2');
  });
});

describe('ATK-64 signature and alg confusion (ES256 pinned)', () => {
  it.each([
    ['alg none', 'none'],
    ["HS256 keyed with the OP's public key", 'hs256-public-key'],
    ['HS256 keyed with our client secret', 'hs256-client-secret'],
    ['ES256 by a key the OP does not publish, under its kid', 'foreign-key'],
  ] as const)('ATK-64: an id_token signed with %s is refused (OIDC_ALG)', async (_name, sign) => {
    expect(await reasonWith({ idToken: { sign } })).toBe('OIDC_ALG');
  });

  it.each([
    ['alg none', 'none'],
    ['HS256 keyed with our client secret', 'hs256-client-secret'],
  ] as const)('ATK-64: a userinfo signed with %s is refused (OIDC_ALG)', async (_name, sign) => {
    expect(await reasonWith({ userinfo: { sign } })).toBe('OIDC_ALG');
  });
});

describe('ATK-65 claim validation', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['aud naming another client', { aud: 'another-client' }],
    ['aud listing us and another client without azp', { aud: ['pont-eidas-test', 'another-client'] }],
    ['azp naming another client', { azp: 'another-client' }],
    ['exp in the past', { exp: now() - 3600 }],
    ['iat in the far future', { iat: now() + 3600, exp: now() + 7200 }],
    ['iat an hour ago', { iat: now() - 3600 }],
    ['sub as a number', { sub: 12345 }],
  ])('ATK-65: an id_token with %s is refused (OIDC_CLAIMS)', async (_name, claims) => {
    expect(await reasonWith({ idToken: { claims } })).toBe('OIDC_CLAIMS');
  });

  it('ATK-65: a userinfo naming another sub than the id_token is refused (OIDC_CLAIMS)', async () => {
    expect(await reasonWith({ userinfo: { claims: { sub: 'someone-else-entirely' } } })).toBe('OIDC_CLAIMS');
  });

  it('ATK-65: a userinfo for another audience is refused (OIDC_CLAIMS)', async () => {
    expect(await reasonWith({ userinfo: { claims: { aud: 'another-client' } } })).toBe('OIDC_CLAIMS');
  });

  it('ATK-65: a signed userinfo without aud is refused (OIDC_CLAIMS)', async () => {
    expect(await reasonWith({ userinfo: { claims: { aud: null } } })).toBe('OIDC_CLAIMS');
  });

  it.each([
    ['without iss', null],
    ['from another OP', 'https://auth.franceconnect.gouv.fr/api/v2'],
  ])('ATK-62: a signed userinfo %s is refused (OIDC_ISSUER)', async (_name, iss) => {
    expect(await reasonWith({ userinfo: { claims: { iss } } })).toBe('OIDC_ISSUER');
  });
});

describe('pivot identity', () => {
  it.each([
    ['a requested claim missing', { given_name: null }],
    ['a birthdate in another format', { birthdate: '24/08/1962' }],
    ['a gender outside male/female', { gender: 'M' }],
    ['a name with a control character', { family_name: 'DUBOIS\u0000' }],
    ['a commune code that is not COG', { birthplace: '7510' }],
    ['an empty birthplace for a birth in France', { birthplace: '' }],
  ])('a userinfo with %s is refused (OIDC_IDENTITY)', async (_name, claims) => {
    expect(await reasonWith({ userinfo: { claims } })).toBe('OIDC_IDENTITY');
  });
});

describe('ATK-64 inside JWE (RSA-OAEP + A256GCM configured)', () => {
  let enc: Harness;
  beforeAll(async () => {
    enc = await startHarness({ rp: { encryption: { privateKey: rsaEncryptionKey(), alg: 'RSA-OAEP', enc: 'A256GCM' } } });
  });
  afterAll(() => enc.close());

  it('ATK-64: an encrypted id_token holding an alg none JWS is refused (OIDC_ALG)', async () => {
    enc.mock.misbehave({ idToken: { sign: 'none' } });
    const { callback, secrets } = await enc.login('angela-dubois');
    expect(await reasonOf(enc.rp.finishLogin(callback, secrets))).toBe('OIDC_ALG');
  });

  it('ATK-63: an encrypted id_token with a lower acr is refused (OIDC_ACR)', async () => {
    enc.mock.misbehave({ acr: 'eidas2' });
    const { callback, secrets } = await enc.login('angela-dubois', { acrValues: ['eidas3'] });
    expect(await reasonOf(enc.rp.finishLogin(callback, secrets))).toBe('OIDC_ACR');
  });
});
