/**
 * Our RP logs test citizens in at the mock FranceConnect over real HTTP and returns their
 * verified pivot identity (DESIGN §1 proxy service steps 3–4, franceconnect.md §3).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createOidcRp, oidcRpOptionsFromConfig, type ReplayGuard } from '../../src/back/oidc-rp/index.ts';
import { franceConnectIssuer, usesMockFranceConnect } from '../../src/config/areas/franceconnect.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { ReplayStore } from '../../src/storage/index.ts';
import { createMockFranceConnect, loadCitizens } from '../../src/mock/franceconnect/index.ts';
import { TestBrowser } from '../mock/support/browser.ts';
import { startServer } from '../mock/support/server.ts';
import { memoryReplayGuard, rsaEncryptionKey, startHarness, type Harness } from './support/harness.ts';

const citizens = new Map(loadCitizens().map((c) => [c.id, c.claims]));

describe('FranceConnect+ login, signed ES256 tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each(['angela-dubois', 'jean-martin', 'fatou-diallo', 'helene-lefevre', 'kenji-tanaka'])(
    'returns the pivot identity of %s exactly as the mock holds it',
    async (id) => {
      const { callback, secrets } = await h.login(id);
      const login = await h.rp.finishLogin(callback, secrets);
      const { email: _email, ...pivot } = citizens.get(id)!;
      expect(login.claims).toEqual(pivot);
      expect(login.acr).toBe('eidas2');
      expect(login.issuer).toBe(h.mock.issuer);
      expect(login.sub).toMatch(/^[0-9a-f]{64}v1$/);
    },
  );

  it('presumed birth dates (YYYY-MM-00, YYYY-00-00) and a birth abroad (empty birthplace, 99xxx) pass as sent', async () => {
    const martin = await h.login('jean-martin');
    expect((await h.rp.finishLogin(martin.callback, martin.secrets)).claims.birthdate).toBe('1975-04-00');
    const tanaka = await h.login('kenji-tanaka');
    const claims = (await h.rp.finishLogin(tanaka.callback, tanaka.secrets)).claims;
    expect([claims.birthdate, claims.birthplace, claims.birthcountry]).toEqual(['1990-00-00', '', '99217']);
  });

  it('XML-special characters in claims pass through untouched (escaping is the SAML builder\'s job)', async () => {
    const { callback, secrets } = await h.login('zoe-xml-special');
    const { claims } = await h.rp.finishLogin(callback, secrets);
    expect(claims.given_name).toBe('Zoé "Zaza" <b>');
    expect(claims.family_name).toBe("L'ÉCUYER & FILS <FOO>");
    expect(claims.preferred_username).toBe(']]> & <![CDATA[');
  });

  it('returns eidas3 when eidas3 is asked, and only the claims of the requested scopes', async () => {
    const { callback, secrets } = await h.login('angela-dubois', { acrValues: ['eidas3'], scopes: ['given_name', 'birthdate'] });
    const login = await h.rp.finishLogin(callback, secrets);
    expect(login.acr).toBe('eidas3');
    expect(login.claims).toEqual({ given_name: 'Angela Claire Louise', birthdate: '1962-08-24' });
  });

  it('the same citizen gets the same pairwise sub on every login', async () => {
    const a = await h.login('jean-martin');
    const b = await h.login('jean-martin');
    expect((await h.rp.finishLogin(a.callback, a.secrets)).sub).toBe((await h.rp.finishLogin(b.callback, b.secrets)).sub);
  });

  it('sends state and nonce of at least 22 characters, PKCE S256 and the acr_values asked', async () => {
    const { url, secrets } = await h.rp.startLogin({ acrValues: ['eidas2', 'eidas3'], scopes: ['identite_pivot'] });
    const p = url.searchParams;
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(22);
    expect(p.get('nonce')!.length).toBeGreaterThanOrEqual(22);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).not.toContain(secrets.codeVerifier);
    expect(p.get('acr_values')).toBe('eidas2 eidas3');
    expect(p.get('scope')).toBe('openid identite_pivot');
    expect(JSON.parse(JSON.stringify(secrets))).toEqual(secrets);
  });

  it("the node's ReplayStore can serve as the RP's replay guard", () => {
    expectTypeOf<ReplayStore>().toExtend<ReplayGuard>();
  });
});

describe('FranceConnect+ login with encrypted tokens (JWE, RSA-OAEP + A256GCM)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rp: { encryption: { privateKey: rsaEncryptionKey(), alg: 'RSA-OAEP', enc: 'A256GCM' } } });
  });
  afterAll(() => h.close());

  it('decrypts and verifies id_token and userinfo', async () => {
    const { callback, secrets } = await h.login('francois-daubigne');
    const login = await h.rp.finishLogin(callback, secrets);
    expect(login.claims.family_name).toBe("D'AUBIGNÉ");
    expect(login.claims.given_name).toBe('François Éloi');
  });

  it('publishes its public encryption key (no private part) for FranceConnect', async () => {
    const { keys } = await h.rp.publicJwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'enc', alg: 'RSA-OAEP' });
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('FranceConnect+ login with encrypted tokens (JWE, ECDH-ES + A256GCM)', () => {
  let h: Harness;
  beforeAll(async () => {
    const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    h = await startHarness({ rp: { encryption: { privateKey, alg: 'ECDH-ES', enc: 'A256GCM' } } });
  });
  afterAll(() => h.close());

  it('decrypts and verifies id_token and userinfo', async () => {
    const { callback, secrets } = await h.login('pierre-santoni');
    expect((await h.rp.finishLogin(callback, secrets)).claims.birthplace).toBe('2A004');
  });
});

describe('FranceConnect (low) platform: eidas1', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rp: { platform: 'franceconnect', signingAlg: 'ES256' }, mock: { platform: 'franceconnect' } });
  });
  afterAll(() => h.close());

  it('logs in at eidas1', async () => {
    const { callback, secrets } = await h.login('marie-therese-de-la-tour', { acrValues: ['eidas1'] });
    const login = await h.rp.finishLogin(callback, secrets);
    expect(login.acr).toBe('eidas1');
    expect(login.claims.preferred_username).toBe("O'NEILL-DUPRÉ");
  });

  it('refuses to ask FranceConnect (low) for eidas2 (OIDC_REQUEST)', async () => {
    await expect(h.rp.startLogin({ acrValues: ['eidas2'], scopes: ['openid'] })).rejects.toMatchObject({ reason: 'OIDC_REQUEST' });
  });
});

describe('FranceConnect (low) platform configured for HS256 with the client secret', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rp: { platform: 'franceconnect', signingAlg: 'HS256' }, mock: { platform: 'franceconnect' } });
  });
  afterAll(() => h.close());

  it('verifies HS256 tokens keyed with the client secret', async () => {
    const { callback, secrets } = await h.login('jean-martin', { acrValues: ['eidas1'] });
    expect((await h.rp.finishLogin(callback, secrets)).claims.family_name).toBe('MARTIN');
  });
});

describe('FranceConnect+ configured for RS256', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rp: { signingAlg: 'RS256' } });
  });
  afterAll(() => h.close());

  it('verifies RS256 tokens with the RSA key of the OP JWKS', async () => {
    const { callback, secrets } = await h.login('fatou-diallo');
    expect((await h.rp.finishLogin(callback, secrets)).claims.birthcountry).toBe('99341');
  });

  it('ATK-64: an ES256 token where RS256 is pinned is refused (OIDC_ALG)', async () => {
    h.mock.misbehave({ idToken: { sign: 'foreign-key' } });
    const { callback, secrets } = await h.login('fatou-diallo');
    await expect(h.rp.finishLogin(callback, secrets)).rejects.toMatchObject({ reason: 'OIDC_ALG' });
    h.mock.misbehave(undefined);
  });
});

describe('the development wiring: default configuration, RP and mock in one app', () => {
  it('logs a citizen in with encrypted tokens, as `npm start` does', async () => {
    const server = await startServer();
    try {
      const config = loadConfig({ env: { PONT_SERVER__PUBLIC_BASE_URL: server.base } });
      expect(usesMockFranceConnect(config)).toBe(true);
      const rp = createOidcRp(await oidcRpOptionsFromConfig(config, { replay: memoryReplayGuard() }));
      const mock = await createMockFranceConnect({ issuer: franceConnectIssuer(config), environment: config.environment, clients: [await rp.registration()] });
      server.app.use(mock.mountPath, mock.router);
      const { url, secrets } = await rp.startLogin({ acrValues: ['eidas3'], scopes: ['identite_pivot'], loginHint: 'angela-dubois' });
      const { stoppedAt } = await new TestBrowser().navigate(url.href, `${server.base}/proxy-service/franceconnect/callback`);
      const login = await rp.finishLogin(stoppedAt!, secrets);
      expect([login.acr, login.claims.family_name]).toEqual(['eidas3', 'DUBOIS']);
    } finally {
      await server.close();
    }
  });
});

describe('token endpoint client authentication (franceconnect.md §1.5, §3.1)', () => {
  it('§3.1 client_secret_post: the secret goes in the form body, never in an Authorization header', async () => {
    const server = await startServer();
    const seen: Array<{ authorization?: string | undefined; body: string }> = [];
    server.app.use('/mock/franceconnect/api/v2/token', (req, _res, next) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        seen.push({ authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
      });
      next();
    });
    try {
      const rp = createOidcRp({
        platform: 'franceconnect-plus', clientId: 'pont-eidas-test', clientSecret: 's'.repeat(40), signingAlg: 'ES256', allowHttp: true,
        issuer: `${server.base}/mock/franceconnect/api/v2`, redirectUri: `${server.base}/cb`, replay: memoryReplayGuard(),
      });
      const mock = await createMockFranceConnect({ issuer: rp.issuer, environment: 'test', clients: [await rp.registration()] });
      server.app.use(mock.mountPath, mock.router);
      const { url, secrets } = await rp.startLogin({ acrValues: ['eidas2'], scopes: ['given_name'], loginHint: 'jean-martin' });
      const { stoppedAt } = await new TestBrowser().navigate(url.href, `${server.base}/cb`);
      await rp.finishLogin(stoppedAt!, secrets);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.authorization).toBeUndefined();
      expect(new URLSearchParams(seen[0]!.body).get('client_secret')).toBe('s'.repeat(40));
    } finally {
      await server.close();
    }
  });
});
