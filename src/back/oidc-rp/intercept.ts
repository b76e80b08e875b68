/**
 * Our own token checks run on the raw answers of the token and userinfo endpoints, inside the
 * fetch openid-client uses for one login, BEFORE openid-client reads them: the JWE is opened
 * with the configured algorithms only, the JWS verified with the pinned algorithm, every
 * claim checked (claims.ts). openid-client then receives the verified inner JWS and runs its
 * own checks (state, nonce, iss, aud, userinfo sub) as a second net. A failure here is thrown
 * as an OidcRpError, which openid-client hands back as the cause of its error.
 */
import { checkIdTokenClaims, checkUserinfoClaims, type IdTokenExpectations, type VerifiedIdToken } from './claims.ts';
import { rpError } from './errors.ts';
import type { FetchLike } from './http.ts';
import { decryptToken, verifySignedToken, type Decryption, type SignatureCheck } from './jose-verify.ts';

export interface LoginCapture {
  idToken?: VerifiedIdToken;
  /** The verified compact JWS of the id_token (the inner JWS when it came encrypted to us). */
  idTokenJws?: string;
  userinfo?: Record<string, unknown>;
}

export interface InterceptOptions {
  tokenEndpoint: string;
  userinfoEndpoint: string;
  signature: SignatureCheck;
  /** Set when FranceConnect must encrypt (JWE) id_token and userinfo. */
  decryption?: Decryption | undefined;
  idToken: Omit<IdTokenExpectations, 'nowSeconds'>;
  now: () => number;
}

function sameEndpoint(input: string | URL | Request, endpoint: string): boolean {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return new URL(href).href === new URL(endpoint).href;
}

async function openToken(raw: string, o: InterceptOptions): Promise<{ jws: string; payload: Record<string, unknown> }> {
  if (!o.decryption && raw.split('.').length === 5) throw rpError('OIDC_DECRYPT', 'token is encrypted but no decryption is configured');
  const jws = o.decryption ? await decryptToken(raw, o.decryption) : raw;
  return { jws, payload: await verifySignedToken(jws, o.signature) };
}

async function onTokenResponse(res: Response, o: InterceptOptions, capture: LoginCapture): Promise<Response> {
  if (res.status !== 200) return res;
  let body: Record<string, unknown>;
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    throw rpError('OIDC_PROTOCOL', 'token response is not JSON');
  }
  if (typeof body.id_token !== 'string') throw rpError('OIDC_PROTOCOL', 'token response has no id_token');
  const { jws, payload } = await openToken(body.id_token, o);
  capture.idToken = checkIdTokenClaims(payload, { ...o.idToken, nowSeconds: o.now() });
  capture.idTokenJws = jws;
  return Response.json({ ...body, id_token: jws }, { status: 200, headers: { 'cache-control': 'no-store' } });
}

async function onUserinfoResponse(res: Response, o: InterceptOptions, capture: LoginCapture): Promise<Response> {
  if (res.status !== 200) return res;
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/jwt') throw rpError('OIDC_CLAIMS', 'userinfo is not a signed JWT');
  const sub = capture.idToken?.sub;
  if (!sub) throw rpError('OIDC_PROTOCOL', 'userinfo read before a verified id_token');
  const { jws, payload } = await openToken((await res.text()).trim(), o);
  const { issuer, clientId, clockToleranceSeconds } = o.idToken;
  capture.userinfo = checkUserinfoClaims(payload, { issuer, clientId, sub, clockToleranceSeconds, nowSeconds: o.now() });
  return new Response(jws, { status: 200, headers: { 'content-type': 'application/jwt' } });
}

/** A fetch for one login that verifies the token and userinfo answers into `capture`. */
export function verifyingFetch(base: FetchLike, o: InterceptOptions, capture: LoginCapture): FetchLike {
  return async (input, init) => {
    const res = await base(input, init);
    if (sameEndpoint(input, o.tokenEndpoint)) return onTokenResponse(res, o, capture);
    if (sameEndpoint(input, o.userinfoEndpoint)) return onUserinfoResponse(res, o, capture);
    return res;
  };
}
