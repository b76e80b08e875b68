/**
 * Opens FranceConnect's tokens with the algorithms of the configuration, never those a token
 * header names: JWE decrypted with exactly the configured key-management and content
 * algorithms (no compression, no PBES2), then the JWS verified with the PINNED algorithm and
 * its one key source (the OP's JWKS for ES256/RS256, the client secret only for HS256).
 */
import type { KeyObject } from 'node:crypto';
import { compactDecrypt, compactVerify, decodeProtectedHeader, errors, type JWTVerifyGetKey } from 'jose';
import { OidcRpError, rpError } from './errors.ts';
import type { ContentEncryptionAlg, KeyManagementAlg, SigningAlg } from './platform.ts';

/** Compact tokens larger than this are refused before any parsing (ATK-67). */
export const MAX_TOKEN_CHARS = 32_768;

export interface Decryption {
  key: KeyObject | CryptoKey;
  alg: KeyManagementAlg;
  enc: ContentEncryptionAlg;
}

export interface SignatureCheck {
  alg: SigningAlg;
  /** The OP's JWKS (ES256/RS256) or the client secret bytes (HS256). */
  key: JWTVerifyGetKey | Uint8Array;
}

function header(token: string, onError: OidcRpError): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw onError;
  }
}

function checkSize(token: string): void {
  if (token.length > MAX_TOKEN_CHARS) throw rpError('JOSE_LIMIT', 'token larger than allowed');
}

/** Returns the nested compact JWS of a JWE, refusing anything but the configured algorithms. */
export async function decryptToken(token: string, d: Decryption): Promise<string> {
  checkSize(token);
  if (token.split('.').length !== 5) throw rpError('OIDC_DECRYPT', 'token expected encrypted (JWE) and is not');
  const h = header(token, rpError('OIDC_DECRYPT', 'malformed JWE header'));
  if (h.zip !== undefined) throw rpError('JOSE_LIMIT', 'compressed JWE refused');
  if (typeof h.alg === 'string' && h.alg.startsWith('PBES2')) throw rpError('JOSE_LIMIT', 'password-based JWE refused');
  if (h.alg !== d.alg || h.enc !== d.enc) throw rpError('OIDC_ALG', 'JWE algorithms are not the configured ones');
  if (h.crit !== undefined) throw rpError('OIDC_ALG', 'JWE crit header refused');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(token, d.key, {
      keyManagementAlgorithms: [d.alg],
      contentEncryptionAlgorithms: [d.enc],
      maxDecompressedLength: 0,
    }));
  } catch {
    throw rpError('OIDC_DECRYPT', 'JWE could not be decrypted');
  }
  const nested = new TextDecoder('utf-8', { fatal: false }).decode(plaintext);
  if (nested.split('.').length !== 3) throw rpError('OIDC_ALG', 'encrypted token does not hold a signed JWS');
  return nested;
}

/** Verifies a compact JWS with the pinned algorithm and returns its JSON payload. */
export async function verifySignedToken(jws: string, check: SignatureCheck): Promise<Record<string, unknown>> {
  checkSize(jws);
  if (jws.split('.').length !== 3) throw rpError('OIDC_ALG', 'token is not a compact JWS');
  const h = header(jws, rpError('OIDC_ALG', 'malformed JWS header'));
  if (h.alg !== check.alg) throw rpError('OIDC_ALG', 'JWS algorithm is not the pinned one');
  if (h.crit !== undefined) throw rpError('OIDC_ALG', 'JWS crit header refused');
  let payload: Uint8Array;
  try {
    ({ payload } = await verifyWithKey(jws, check));
  } catch (e) {
    throw joseFailure(e);
  }
  return parsePayload(payload);
}

function verifyWithKey(jws: string, check: SignatureCheck) {
  const options = { algorithms: [check.alg] };
  return check.key instanceof Uint8Array ? compactVerify(jws, check.key, options) : compactVerify(jws, check.key, options);
}

function joseFailure(e: unknown): OidcRpError {
  if (e instanceof OidcRpError) return e;
  if (e instanceof errors.JWKSTimeout) return rpError('OIDC_UNAVAILABLE', 'JWKS not fetched in time');
  if (e instanceof errors.JOSEAlgNotAllowed) return rpError('OIDC_ALG', 'JWS algorithm is not the pinned one');
  if (e instanceof errors.JWKSNoMatchingKey) return rpError('OIDC_ALG', 'no key of the OP matches the JWS');
  if (e instanceof errors.JWSSignatureVerificationFailed) return rpError('OIDC_ALG', 'JWS signature does not verify');
  return rpError('OIDC_ALG', 'JWS could not be verified');
}

function parsePayload(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw rpError('OIDC_CLAIMS', 'token payload is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw rpError('OIDC_CLAIMS', 'token payload is not a JSON object');
  return value as Record<string, unknown>;
}
