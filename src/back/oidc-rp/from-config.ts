/**
 * The RP's options from the node's configuration (`franceconnect` area): issuer (the mock in
 * development when none is set), our redirect URI under the public base URL, the client
 * secret (random per start in development when absent), and the encryption key (read from
 * its file, or made fresh per start in development).
 */
import { createPrivateKey, generateKeyPair as generateKeyPairCb, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { franceConnectIssuer } from '../../config/areas/franceconnect.ts';
import type { Config } from '../../config/schema.ts';
import { rpError } from './errors.ts';
import type { OidcRpOptions, ReplayGuard, RpEncryption } from './options.ts';
import type { KeyManagementAlg } from './platform.ts';

/** Routes of the proxy service toward FranceConnect (DESIGN §1: /proxy-service/...). */
export const FRANCECONNECT_CALLBACK_PATH = '/proxy-service/franceconnect/callback';
export const FRANCECONNECT_JWKS_PATH = '/proxy-service/franceconnect/jwks';
/** Our post_logout_redirect_uri: FranceConnect's end_session sends the browser back here. */
export const FRANCECONNECT_LOGOUT_CALLBACK_PATH = '/proxy-service/franceconnect/logout-callback';

const generateKeyPair = promisify(generateKeyPairCb);

function checkKey(key: KeyObject, alg: KeyManagementAlg, minRsaBits: number): KeyObject {
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'ECDH-ES') {
    if (key.asymmetricKeyType !== 'ec' || details.namedCurve !== 'prime256v1') throw rpError('OIDC_CONFIG', 'ECDH-ES needs a P-256 key');
  } else if (key.asymmetricKeyType !== 'rsa' || (details.modulusLength ?? 0) < minRsaBits) {
    throw rpError('OIDC_CONFIG', `${alg} needs an RSA key of at least ${minRsaBits} bits`);
  }
  return key;
}

async function freshKey(alg: KeyManagementAlg, minRsaBits: number): Promise<KeyObject> {
  const pair =
    alg === 'ECDH-ES'
      ? await generateKeyPair('ec', { namedCurve: 'P-256' })
      : await generateKeyPair('rsa', { modulusLength: Math.max(3072, minRsaBits) });
  return pair.privateKey;
}

function readKey(file: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(file));
  } catch {
    throw rpError('OIDC_CONFIG', `cannot read the FranceConnect encryption key ${file}`);
  }
}

async function encryptionFrom(config: Config): Promise<RpEncryption | undefined> {
  const e = config.franceconnect.encryption;
  if (!e.enabled) return undefined;
  if (!e.keyFile && config.environment === 'production') throw rpError('OIDC_CONFIG', 'franceconnect.encryption.keyFile is required');
  const key = e.keyFile ? readKey(e.keyFile) : await freshKey(e.keyAlg, config.crypto.minRsaBits);
  return { privateKey: checkKey(key, e.keyAlg, config.crypto.minRsaBits), alg: e.keyAlg, enc: e.contentAlg };
}

export async function oidcRpOptionsFromConfig(config: Config, deps: { replay: ReplayGuard }): Promise<OidcRpOptions> {
  const fc = config.franceconnect;
  const issuer = franceConnectIssuer(config);
  const production = config.environment === 'production';
  if (production && !fc.clientSecret) throw rpError('OIDC_CONFIG', 'franceconnect.clientSecret is required');
  const encryption = await encryptionFrom(config);
  return {
    platform: fc.platform,
    issuer,
    clientId: fc.clientId,
    clientSecret: fc.clientSecret ?? randomBytes(32).toString('base64url'),
    redirectUri: `${config.server.publicBaseUrl}${FRANCECONNECT_CALLBACK_PATH}`,
    postLogoutRedirectUri: `${config.server.publicBaseUrl}${FRANCECONNECT_LOGOUT_CALLBACK_PATH}`,
    signingAlg: fc.signingAlg,
    ...(encryption ? { encryption } : {}),
    replay: deps.replay,
    allowHttp: !production,
    httpTimeoutMs: fc.httpTimeoutMs,
    jwksCacheMaxAgeMs: fc.jwksCacheSeconds * 1000,
    clockToleranceSeconds: fc.clockToleranceSeconds,
  };
}
