/**
 * Our OIDC relying party toward FranceConnect (DESIGN §1 proxy service, steps 3–4), on
 * openid-client. `startLogin` gives the authorization URL and the secrets the flow keeps;
 * `finishLogin` checks the callback (state, iss, FranceConnect errors), makes state and nonce
 * single-use, exchanges the code with the PKCE verifier, verifies id_token and userinfo
 * (intercept.ts) and returns the verified pivot identity, or throws an OidcRpError.
 */
import * as client from 'openid-client';
import { FC_PLATFORMS, isFcAcr, isFcScope, type FranceConnectPlatform } from '../../pivot/index.ts';
import { callbackParams, callbackUrl, checkIssParameter, checkState, requireCode, throwIfOpError, type CallbackInput } from './callback.ts';
import { fromClientError } from './client-errors.ts';
import { discover, type Discovered } from './discovery.ts';
import { rpError } from './errors.ts';
import { limitedFetch } from './http.ts';
import { pivotIdentity } from './identity.ts';
import { verifyingFetch, type LoginCapture } from './intercept.ts';
import { publicEncryptionJwk, type RpRegistration } from './keys.ts';
import { checkOptions, parseLoginSecrets, type LoginSecrets, type OidcRpOptions } from './options.ts';
import type { Acr, FcScope } from './platform.ts';
import type { VerifiedLogin } from './result.ts';

export interface LoginRequest {
  /** acr_values to send; each must be offered by the platform (FranceConnect+: eidas2, eidas3). */
  acrValues: readonly Acr[];
  /** FranceConnect scopes; `openid` is always added. */
  scopes: readonly FcScope[];
  /** Optional parameters passed as they are. */
  loginHint?: string;
  uiLocales?: string;
}

export interface StartedLogin {
  url: URL;
  secrets: LoginSecrets;
}

export interface LogoutRequest {
  /** VerifiedLogin.idTokenHint: the signed id_token FranceConnect issued for this login. */
  idTokenHint: string;
  /** A fresh random value of the flow (at least 22 characters), checked on the way back. */
  state: string;
}

export interface OidcRp {
  readonly issuer: string;
  startLogin(request: LoginRequest): Promise<StartedLogin>;
  finishLogin(callback: CallbackInput, secrets: unknown): Promise<VerifiedLogin>;
  /**
   * FranceConnect's end_session URL (RP-initiated logout): id_token_hint, our registered
   * post_logout_redirect_uri and the flow's state. OIDC_LOGOUT when the OP has no
   * end_session_endpoint or no post_logout_redirect_uri is configured.
   */
  logoutUrl(request: LogoutRequest): Promise<URL>;
  /** Our public encryption key, to publish at the jwks URL registered with FranceConnect. */
  publicJwks(): Promise<{ keys: Record<string, unknown>[] }>;
  /** What FranceConnect (or the mock) must know about this client. */
  registration(): Promise<RpRegistration>;
}

const DEFAULTS = { httpTimeoutMs: 5000, maxResponseBytes: 256 * 1024, jwksCacheMaxAgeMs: 600_000, clockToleranceSeconds: 10, replayTtlMs: 3_600_000 };
const ID_TOKEN_MAX_AGE_SECONDS = 300;

export function createOidcRp(options: OidcRpOptions): OidcRp {
  checkOptions(options);
  const o = { ...DEFAULTS, allowHttp: false, now: () => Math.floor(Date.now() / 1000), ...options };
  const http = limitedFetch({ timeoutMs: o.httpTimeoutMs, maxBytes: o.maxResponseBytes });
  const rules: FranceConnectPlatform = FC_PLATFORMS[o.platform];
  let discovered: Promise<Discovered> | undefined;

  function server(): Promise<Discovered> {
    const { issuer, clientId, signingAlg, allowHttp, httpTimeoutMs: timeoutMs, jwksCacheMaxAgeMs } = o;
    discovered ??= discover({ issuer, clientId, signingAlg, allowHttp, timeoutMs, jwksCacheMaxAgeMs, fetch: http }).catch((e: unknown) => {
      discovered = undefined; // retried on the next login
      throw e;
    });
    return discovered;
  }

  function checkRequest(r: LoginRequest): void {
    if (r.acrValues.length === 0 || !r.acrValues.every((a) => isFcAcr(a) && rules.acrValues.includes(a))) {
      throw rpError('OIDC_REQUEST', `acr_values must be among ${rules.acrValues.join(', ')}`);
    }
    if (!r.scopes.every(isFcScope)) throw rpError('OIDC_REQUEST', 'unknown FranceConnect scope');
  }

  async function startLogin(r: LoginRequest): Promise<StartedLogin> {
    checkRequest(r);
    const d = await server();
    const config = new client.Configuration(d.server, o.clientId);
    if (o.allowHttp) client.allowInsecureRequests(config);
    const scopes = [...new Set<FcScope>(['openid', ...r.scopes])];
    const secrets: LoginSecrets = {
      issuer: o.issuer,
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      acrValues: [...r.acrValues],
      scopes,
    };
    const params: Record<string, string> = {
      response_type: 'code',
      redirect_uri: o.redirectUri,
      scope: scopes.join(' '),
      state: secrets.state,
      nonce: secrets.nonce,
      acr_values: secrets.acrValues.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
      code_challenge_method: 'S256',
      ...(r.loginHint ? { login_hint: r.loginHint } : {}),
      ...(r.uiLocales ? { ui_locales: r.uiLocales } : {}),
    };
    return { url: client.buildAuthorizationUrl(config, params), secrets };
  }

  async function consumeOnce(kind: 'state' | 'nonce', value: string): Promise<void> {
    const first = await o.replay.markSeen(`oidc-rp:${kind}:${o.issuer}`, value, new Date(Date.now() + o.replayTtlMs));
    if (!first) throw rpError(kind === 'state' ? 'OIDC_STATE' : 'OIDC_NONCE', `${kind} already used`);
  }

  function loginConfiguration(d: Discovered, s: LoginSecrets, capture: LoginCapture): client.Configuration {
    const config = new client.Configuration(
      d.server,
      o.clientId,
      { id_token_signed_response_alg: o.signingAlg, userinfo_signed_response_alg: o.signingAlg },
      client.ClientSecretPost(o.clientSecret),
    );
    if (o.allowHttp) client.allowInsecureRequests(config);
    config.timeout = Math.ceil(o.httpTimeoutMs / 1000);
    const signature = o.signingAlg === 'HS256' || !d.jwks
      ? { alg: o.signingAlg, key: new TextEncoder().encode(o.clientSecret) }
      : { alg: o.signingAlg, key: d.jwks };
    const idToken = {
      issuer: o.issuer,
      clientId: o.clientId,
      nonce: s.nonce,
      platformAcrs: rules.acrValues,
      requestedAcrs: s.acrValues,
      clockToleranceSeconds: o.clockToleranceSeconds,
      maxAgeSeconds: ID_TOKEN_MAX_AGE_SECONDS,
    };
    const decryption = o.encryption ? { key: o.encryption.privateKey, alg: o.encryption.alg, enc: o.encryption.enc } : undefined;
    const intercept = { tokenEndpoint: d.tokenEndpoint, userinfoEndpoint: d.userinfoEndpoint, signature, decryption, idToken, now: o.now };
    config[client.customFetch] = verifyingFetch(http, intercept, capture);
    return config;
  }

  async function finishLogin(callback: CallbackInput, stored: unknown): Promise<VerifiedLogin> {
    const s = parseLoginSecrets(stored);
    if (s.issuer !== o.issuer) throw rpError('OIDC_ISSUER', 'login was started with another OP');
    const params = callbackParams(callback);
    checkState(params, s.state);
    const d = await server();
    checkIssParameter(params, o.issuer, d.issParameter);
    await consumeOnce('state', s.state);
    throwIfOpError(params);
    requireCode(params);
    const capture: LoginCapture = {};
    const config = loginConfiguration(d, s, capture);
    let tokens: client.TokenEndpointResponse;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl(o.redirectUri, params), {
        pkceCodeVerifier: s.codeVerifier,
        expectedState: s.state,
        expectedNonce: s.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw fromClientError(e, 'token');
    }
    const idToken = capture.idToken;
    if (!idToken) throw rpError('OIDC_PROTOCOL', 'no verified id_token');
    await consumeOnce('nonce', s.nonce);
    try {
      await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    } catch (e) {
      throw fromClientError(e, 'userinfo');
    }
    if (!capture.userinfo) throw rpError('OIDC_PROTOCOL', 'no verified userinfo');
    if (!capture.idTokenJws) throw rpError('OIDC_PROTOCOL', 'no verified id_token');
    return { issuer: o.issuer, ...idToken, claims: pivotIdentity(capture.userinfo, s.scopes), idTokenHint: capture.idTokenJws };
  }

  async function logoutUrl(r: LogoutRequest): Promise<URL> {
    if (!o.postLogoutRedirectUri) throw rpError('OIDC_LOGOUT', 'no post_logout_redirect_uri is configured');
    if (r.idTokenHint.split('.').length !== 3) throw rpError('OIDC_LOGOUT', 'id_token_hint must be the signed id_token (compact JWS)');
    if (!/^[A-Za-z0-9_-]{22,512}$/.test(r.state)) throw rpError('OIDC_LOGOUT', 'logout state must be 22 to 512 URL-safe characters');
    const d = await server();
    if (!d.endSessionEndpoint) throw rpError('OIDC_LOGOUT', 'the OP announces no end_session_endpoint');
    const url = new URL(d.endSessionEndpoint);
    url.searchParams.set('id_token_hint', r.idTokenHint);
    url.searchParams.set('post_logout_redirect_uri', o.postLogoutRedirectUri);
    url.searchParams.set('state', r.state);
    return url;
  }

  return {
    issuer: o.issuer,
    startLogin,
    finishLogin,
    logoutUrl,
    publicJwks: async () => ({ keys: o.encryption ? [await publicEncryptionJwk(o.encryption)] : [] }),
    registration: async () => ({
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      redirectUris: [o.redirectUri],
      ...(o.postLogoutRedirectUri ? { postLogoutRedirectUris: [o.postLogoutRedirectUri] } : {}),
      signingAlg: o.signingAlg,
      ...(o.encryption ? { encryption: { publicJwk: await publicEncryptionJwk(o.encryption), alg: o.encryption.alg, enc: o.encryption.enc } } : {}),
    }),
  };
}
