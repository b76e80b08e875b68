/**
 * openid-client's errors → our reason codes. Our own checks (intercept.ts) come back as the
 * `cause` of openid-client's wrapper and are returned as they are; the rest is openid-client
 * acting as the second net or the token endpoint refusing the code. Nothing of the original
 * error (which may hold claims) is kept.
 */
import { AuthorizationResponseError, ClientError, ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { OidcRpError, rpError } from './errors.ts';

export type Stage = 'discovery' | 'token' | 'userinfo';

function ownCause(e: unknown): OidcRpError | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof OidcRpError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function comparedClaim(e: ClientError): unknown {
  const inner = e.cause as { cause?: { claim?: unknown; attribute?: unknown } } | undefined;
  return inner?.cause?.claim ?? inner?.cause?.attribute;
}

function fromClientErrorCode(e: ClientError, stage: Stage): OidcRpError {
  switch (e.code) {
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return rpError('OIDC_UNAVAILABLE', 'FranceConnect did not answer in time');
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
      const claim = comparedClaim(e);
      if (claim === 'iss') return rpError('OIDC_ISSUER', 'iss is not the configured OP');
      if (claim === 'nonce') return rpError('OIDC_NONCE', 'nonce missing or not the one sent');
      return rpError('OIDC_CLAIMS', 'a token claim does not have the expected value');
    }
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      if (stage === 'discovery') return rpError('OIDC_DISCOVERY', 'discovery issuer is not the configured OP');
      return rpError('OIDC_CLAIMS', 'userinfo sub is not the id_token sub');
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return rpError('OIDC_CLAIMS', 'a token time claim is out of bounds');
    default:
      return rpError(stage === 'discovery' ? 'OIDC_DISCOVERY' : 'OIDC_PROTOCOL', `unexpected answer at the ${stage} step`);
  }
}

export function fromClientError(e: unknown, stage: Stage): OidcRpError {
  const own = ownCause(e);
  if (own) return own;
  if (e instanceof ResponseBodyError) {
    // A token-endpoint refusal ends the login; never retried with another code (ATK-61).
    if (stage === 'token') return rpError('OIDC_CODE', `token endpoint refused the code (${e.error === 'invalid_grant' ? 'invalid_grant' : 'error'})`);
    return rpError('OIDC_PROTOCOL', `FranceConnect refused the ${stage} request`);
  }
  if (e instanceof WWWAuthenticateChallengeError) return rpError('OIDC_PROTOCOL', `FranceConnect refused the ${stage} request`);
  if (e instanceof AuthorizationResponseError) return rpError('OIDC_OP_ERROR', 'FranceConnect answered an error');
  if (e instanceof ClientError) return fromClientErrorCode(e, stage);
  return rpError(stage === 'discovery' ? 'OIDC_DISCOVERY' : 'OIDC_PROTOCOL', `unexpected failure at the ${stage} step`);
}
