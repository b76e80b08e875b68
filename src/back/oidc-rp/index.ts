/** The OIDC relying party toward FranceConnect / FranceConnect+ (proxy-service side). */
export { createOidcRp, type LoginRequest, type LogoutRequest, type OidcRp, type StartedLogin } from './rp.ts';
export { OidcRpError, OIDC_RP_REASONS, isOidcRpError, type OidcRpOutcome, type OidcRpReason, type OpErrorInfo } from './errors.ts';
export { parseLoginSecrets, type LoginSecrets, type OidcRpOptions, type ReplayGuard, type RpEncryption } from './options.ts';
export type { VerifiedLogin } from './result.ts';
export type { PivotClaims } from './identity.ts';
export type { RpRegistration } from './keys.ts';
/** The FranceConnect tables themselves (platforms, acr values, scopes → claims) are src/pivot's. */
export {
  CONTENT_ENCRYPTION_ALGS,
  KEY_MANAGEMENT_ALGS,
  acrRank,
  type Acr,
  type ContentEncryptionAlg,
  type FcPlatform,
  type FcScope,
  type KeyManagementAlg,
  type SigningAlg,
} from './platform.ts';
export { FRANCECONNECT_CALLBACK_PATH, FRANCECONNECT_JWKS_PATH, FRANCECONNECT_LOGOUT_CALLBACK_PATH, oidcRpOptionsFromConfig } from './from-config.ts';
