/**
 * Every way a FranceConnect login can fail, as one typed error with a reason code (attacks.md
 * §E names most of them). Messages and details never hold a token, a claim value or anything
 * about the citizen: they name the check that failed. `outcome` tells the flow how to answer
 * the eIDAS requester: `loa-not-met` → NoAuthnContext, `cancelled` → the citizen gave up at
 * FranceConnect, `failed` → AuthnFailed.
 */
export const OIDC_RP_REASONS = [
  /** state missing, mismatched or already used (ATK-59). */
  'OIDC_STATE',
  /** id_token nonce missing, mismatched or already used (ATK-60). */
  'OIDC_NONCE',
  /** code missing, refused by the token endpoint (replayed, wrong PKCE verifier…) (ATK-61). */
  'OIDC_CODE',
  /** iss of the callback or a token is not the configured OP, or the login was started with another OP (ATK-62). */
  'OIDC_ISSUER',
  /** acr missing, unknown to the platform, or below the level asked (ATK-63). */
  'OIDC_ACR',
  /** JWS/JWE algorithm not the pinned one, or the signature does not verify (ATK-64). */
  'OIDC_ALG',
  /** aud, azp, time claims, sub type, userinfo sub ≠ id_token sub, unsigned userinfo (ATK-65). */
  'OIDC_CLAIMS',
  /** A token was expected encrypted and was not, or could not be decrypted. */
  'OIDC_DECRYPT',
  /** JOSE abuse: compression, PBES2, oversized token or response (ATK-67). */
  'JOSE_LIMIT',
  /** The pivot identity is incomplete or malformed (a requested claim missing, a bad format). */
  'OIDC_IDENTITY',
  /** FranceConnect answered error=access_denied (the citizen cancelled). */
  'OIDC_ACCESS_DENIED',
  /** FranceConnect answered another OAuth error on the callback. */
  'OIDC_OP_ERROR',
  /** FranceConnect answered something the protocol does not allow (no id_token, bad status…). */
  'OIDC_PROTOCOL',
  /** FranceConnect could not be reached in time. */
  'OIDC_UNAVAILABLE',
  /** The discovery document is unusable (issuer mismatch, no PKCE S256, pinned alg not offered…). */
  'OIDC_DISCOVERY',
  /** The RP is configured in a way that is not allowed (HS256 on FranceConnect+, no secret…). */
  'OIDC_CONFIG',
  /** startLogin was asked for something the platform does not offer (acr, scope). */
  'OIDC_REQUEST',
  /** RP-initiated logout impossible: the OP announces no end_session_endpoint, no post_logout_redirect_uri is set, or the hint or state is unusable. */
  'OIDC_LOGOUT',
] as const;

export type OidcRpReason = (typeof OIDC_RP_REASONS)[number];
export type OidcRpOutcome = 'loa-not-met' | 'cancelled' | 'failed';

export interface OpErrorInfo {
  /** The OAuth `error` code, reduced to [A-Za-z0-9_.-] and 64 characters. */
  error: string;
  /** The `error_description`, reduced to printable ASCII and 200 characters. */
  description?: string;
}

export class OidcRpError extends Error {
  override readonly name = 'OidcRpError';
  readonly outcome: OidcRpOutcome;

  constructor(
    readonly reason: OidcRpReason,
    detail: string,
    /** Set for OIDC_ACCESS_DENIED and OIDC_OP_ERROR. */
    readonly opError?: OpErrorInfo,
  ) {
    super(`${reason}: ${detail}`);
    this.outcome = reason === 'OIDC_ACR' ? 'loa-not-met' : reason === 'OIDC_ACCESS_DENIED' ? 'cancelled' : 'failed';
  }
}

export function rpError(reason: OidcRpReason, detail: string): OidcRpError {
  return new OidcRpError(reason, detail);
}

export function isOidcRpError(e: unknown, reason?: OidcRpReason): e is OidcRpError {
  return e instanceof OidcRpError && (reason === undefined || e.reason === reason);
}
