/**
 * The `franceconnect` configuration area and the RP options built from it: FranceConnect+
 * with ES256 and encryption by default, the mock in development, HS256 only on the low
 * platform, and production naming a real https provider, a secret and a key (ATK-62, ATK-64).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { MASK, maskSecrets } from '../../src/config/mask.ts';
import { franceConnectIssuer, usesMockFranceConnect } from '../../src/config/areas/franceconnect.ts';
import { FRANCECONNECT_CALLBACK_PATH, oidcRpOptionsFromConfig } from '../../src/back/oidc-rp/index.ts';
import { memoryReplayGuard, reasonOf } from './support/harness.ts';

function issuesOf(env: Record<string, string>): Array<{ path: string; message: string }> {
  try {
    loadConfig({ env });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  return [];
}

const PROD = { PONT_ENVIRONMENT: 'production', PONT_SERVER__PUBLIC_BASE_URL: 'https://eidas.example.fr' };
const dir = mkdtempSync(join(tmpdir(), 'pont-fc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rsaKeyFile = join(dir, 'fc-enc.key.pem');
writeFileSync(rsaKeyFile, generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const ecKeyFile = join(dir, 'fc-enc-ec.key.pem');
writeFileSync(ecKeyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));

describe('franceconnect configuration', () => {
  it('defaults to FranceConnect+, ES256, JWE RSA-OAEP + A256GCM, and the mock in development', () => {
    const c = loadConfig({ env: {} });
    expect(c.franceconnect).toMatchObject({ platform: 'franceconnect-plus', signingAlg: 'ES256', encryption: { enabled: true, keyAlg: 'RSA-OAEP', contentAlg: 'A256GCM' } });
    expect(usesMockFranceConnect(c)).toBe(true);
    expect(franceConnectIssuer(c)).toBe('http://localhost:8080/mock/franceconnect/api/v2');
  });

  it('ATK-64: HS256 is refused on FranceConnect+, in any environment', () => {
    expect(issuesOf({ PONT_FRANCECONNECT__SIGNING_ALG: 'HS256' })).toEqual([
      { path: 'franceconnect.signingAlg', message: 'HS256 is only allowed on the franceconnect platform' },
    ]);
    expect(issuesOf({ PONT_FRANCECONNECT__SIGNING_ALG: 'HS256', PONT_FRANCECONNECT__PLATFORM: 'franceconnect' })).toEqual([]);
  });

  it('production needs an issuer, a client secret and an encryption key file', () => {
    expect(issuesOf(PROD).map((i) => i.path)).toEqual(['franceconnect.issuer', 'franceconnect.clientSecret', 'franceconnect.encryption.keyFile']);
  });

  it.each([
    ['an http issuer', 'http://fc.example.fr/api/v2', 'must be an https URL in production'],
    ['the mock', 'https://eidas.example.fr/mock/franceconnect/api/v2', 'the mock is never used in production'],
  ])('ATK-62: production refuses %s as issuer', (_name, issuer, message) => {
    const env = { ...PROD, PONT_FRANCECONNECT__ISSUER: issuer, PONT_FRANCECONNECT__CLIENT_SECRET: 's', PONT_FRANCECONNECT__ENCRYPTION__KEY_FILE: rsaKeyFile };
    expect(issuesOf(env)).toEqual([{ path: 'franceconnect.issuer', message }]);
  });

  it('masks the client secret', () => {
    const c = loadConfig({ env: { PONT_FRANCECONNECT__CLIENT_SECRET: 'very-secret-value' } });
    expect((maskSecrets(c) as { franceconnect: { clientSecret: string } }).franceconnect.clientSecret).toBe(MASK);
  });
});

describe('RP options from the configuration', () => {
  it('development: the mock issuer, our callback under the base URL, a random secret and a fresh key', async () => {
    const o = await oidcRpOptionsFromConfig(loadConfig({ env: {} }), { replay: memoryReplayGuard() });
    expect(o).toMatchObject({ issuer: 'http://localhost:8080/mock/franceconnect/api/v2', allowHttp: true, signingAlg: 'ES256', platform: 'franceconnect-plus' });
    expect(o.redirectUri).toBe(`http://localhost:8080${FRANCECONNECT_CALLBACK_PATH}`);
    expect(o.clientSecret.length).toBeGreaterThanOrEqual(32);
    expect(o.encryption?.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('production: the configured provider, the key file, no plain HTTP', async () => {
    const env = { ...PROD, PONT_FRANCECONNECT__ISSUER: 'https://fc.example.fr/api/v2', PONT_FRANCECONNECT__CLIENT_SECRET: 's3cret', PONT_FRANCECONNECT__ENCRYPTION__KEY_FILE: rsaKeyFile };
    const o = await oidcRpOptionsFromConfig(loadConfig({ env }), { replay: memoryReplayGuard() });
    expect(o).toMatchObject({ issuer: 'https://fc.example.fr/api/v2', clientSecret: 's3cret', allowHttp: false, redirectUri: `https://eidas.example.fr${FRANCECONNECT_CALLBACK_PATH}` });
    expect(o.encryption?.alg).toBe('RSA-OAEP');
  });

  it('a key file that does not fit the algorithm is refused (OIDC_CONFIG)', async () => {
    const env = { PONT_FRANCECONNECT__ENCRYPTION__KEY_FILE: ecKeyFile };
    expect(await reasonOf(oidcRpOptionsFromConfig(loadConfig({ env }), { replay: memoryReplayGuard() }))).toBe('OIDC_CONFIG');
    const ecdh = { ...env, PONT_FRANCECONNECT__ENCRYPTION__KEY_ALG: 'ECDH-ES' };
    expect((await oidcRpOptionsFromConfig(loadConfig({ env: ecdh }), { replay: memoryReplayGuard() })).encryption?.alg).toBe('ECDH-ES');
  });
});
