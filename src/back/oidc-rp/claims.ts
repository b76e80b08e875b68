/**
 * The claim checks of a verified id_token and userinfo (OIDC Core §3.1.3.7 and §5.3.2,
 * attacks.md ATK-60, 62, 63, 65). Every claim is type-checked; comparisons are exact (no
 * trimming, no case folding, no trailing-slash tolerance).
 */
import { isFcAcr } from '../../pivot/index.ts';
import { sameString } from './equal.ts';
import { rpError } from './errors.ts';
import { acrRank, type Acr } from './platform.ts';

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  /** acr values the platform may return. */
  platformAcrs: readonly Acr[];
  /** acr_values sent in the authorization request; the lowest is the floor. */
  requestedAcrs: readonly Acr[];
  clockToleranceSeconds: number;
  /** An id_token issued longer ago than this is refused. */
  maxAgeSeconds: number;
  nowSeconds: number;
}

export interface VerifiedIdToken {
  sub: string;
  acr: Acr;
  amr?: string[];
  authTime?: number;
}

const SUB_SHAPE = /^[\x21-\x7e]{1,255}$/;

function checkIssuer(iss: unknown, issuer: string): void {
  if (typeof iss !== 'string' || iss !== issuer) throw rpError('OIDC_ISSUER', 'iss is not the configured OP');
}

function checkAudience(p: Record<string, unknown>, clientId: string): void {
  const aud = p.aud;
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
  if (!list || !list.includes(clientId)) throw rpError('OIDC_CLAIMS', 'aud does not name this client');
  if (list.length > 1 && p.azp === undefined) throw rpError('OIDC_CLAIMS', 'aud has several values and no azp');
  if (p.azp !== undefined && p.azp !== clientId) throw rpError('OIDC_CLAIMS', 'azp is not this client');
}

function checkTimes(p: Record<string, unknown>, e: Pick<IdTokenExpectations, 'clockToleranceSeconds' | 'nowSeconds'>, maxAge?: number): void {
  const { nowSeconds: now, clockToleranceSeconds: tol } = e;
  if (typeof p.exp !== 'number' || !(p.exp > now - tol)) throw rpError('OIDC_CLAIMS', 'exp missing or in the past');
  if (typeof p.iat !== 'number' || p.iat > now + tol) throw rpError('OIDC_CLAIMS', 'iat missing or in the future');
  if (maxAge !== undefined && p.iat < now - maxAge - tol) throw rpError('OIDC_CLAIMS', 'token issued too long ago');
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || p.nbf > now + tol)) throw rpError('OIDC_CLAIMS', 'nbf in the future');
}

function checkSub(sub: unknown): string {
  if (typeof sub !== 'string' || !SUB_SHAPE.test(sub)) throw rpError('OIDC_CLAIMS', 'sub missing or not a printable ASCII string');
  return sub;
}

function checkNonce(nonce: unknown, expected: string): void {
  if (typeof nonce !== 'string' || !sameString(nonce, expected)) throw rpError('OIDC_NONCE', 'nonce missing or not the one sent');
}

/** ATK-63: a known acr of this platform, not below the lowest level asked. */
export function checkAcr(acr: unknown, platformAcrs: readonly Acr[], requested: readonly Acr[]): Acr {
  if (!isFcAcr(acr) || !platformAcrs.includes(acr)) throw rpError('OIDC_ACR', 'acr missing or not offered by this platform');
  const floor = Math.min(...requested.map(acrRank));
  if (acrRank(acr) < floor) throw rpError('OIDC_ACR', 'acr below the level asked');
  return acr;
}

function optionalExtras(p: Record<string, unknown>): Pick<VerifiedIdToken, 'amr' | 'authTime'> {
  const out: Pick<VerifiedIdToken, 'amr' | 'authTime'> = {};
  if (p.amr !== undefined) {
    if (!Array.isArray(p.amr) || !p.amr.every((v) => typeof v === 'string')) throw rpError('OIDC_CLAIMS', 'amr is not a list of strings');
    out.amr = [...(p.amr as string[])];
  }
  if (p.auth_time !== undefined) {
    if (typeof p.auth_time !== 'number') throw rpError('OIDC_CLAIMS', 'auth_time is not a number');
    out.authTime = p.auth_time;
  }
  return out;
}

export function checkIdTokenClaims(p: Record<string, unknown>, e: IdTokenExpectations): VerifiedIdToken {
  checkIssuer(p.iss, e.issuer);
  checkAudience(p, e.clientId);
  checkTimes(p, e, e.maxAgeSeconds);
  const sub = checkSub(p.sub);
  checkNonce(p.nonce, e.nonce);
  const acr = checkAcr(p.acr, e.platformAcrs, e.requestedAcrs);
  return { sub, acr, ...optionalExtras(p) };
}

export interface UserinfoExpectations {
  issuer: string;
  clientId: string;
  /** The id_token's sub: userinfo must name the same person (§5.3.2). */
  sub: string;
  clockToleranceSeconds: number;
  nowSeconds: number;
}

/** A signed userinfo always names its OP and this client (§5.3.2; FranceConnect's JWT does). */
export function checkUserinfoClaims(p: Record<string, unknown>, e: UserinfoExpectations): Record<string, unknown> {
  checkIssuer(p.iss, e.issuer);
  checkAudience(p, e.clientId);
  if (p.exp !== undefined && (typeof p.exp !== 'number' || !(p.exp > e.nowSeconds - e.clockToleranceSeconds))) {
    throw rpError('OIDC_CLAIMS', 'userinfo exp in the past');
  }
  if (checkSub(p.sub) !== e.sub) throw rpError('OIDC_CLAIMS', 'userinfo sub is not the id_token sub');
  return p;
}
