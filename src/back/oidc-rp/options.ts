/**
 * How the RP is set up (one FranceConnect platform, one client registration) and the secrets
 * one login keeps in its flow state between the redirect and the callback. Options that would
 * weaken verification are refused at construction (OIDC_CONFIG): HS256 anywhere but on the
 * FranceConnect (low) platform with a client secret, plain HTTP unless asked for development.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { FC_ACRS, FC_PLATFORMS, FC_SCOPES, type FranceConnectPlatform } from '../../pivot/index.ts';
import { rpError } from './errors.ts';
import type { Acr, ContentEncryptionAlg, FcPlatform, FcScope, KeyManagementAlg, SigningAlg } from './platform.ts';

/** What the RP needs to make state and nonce single-use; src/storage's ReplayStore fits. */
export interface ReplayGuard {
  /** True the first time (issuer, id) is seen before `expiresAt`; false on a replay. */
  markSeen(issuer: string, id: string, expiresAt: Date): Promise<boolean>;
}

export interface RpEncryption {
  /** Our private key FranceConnect encrypts to (RSA ≥ 2048 for RSA-OAEP*, P-256 for ECDH-ES). */
  privateKey: KeyObject;
  alg: KeyManagementAlg;
  enc: ContentEncryptionAlg;
}

export interface OidcRpOptions {
  platform: FcPlatform;
  issuer: string;
  clientId: string;
  /** client_secret_post; also the HMAC key when signingAlg is HS256. */
  clientSecret: string;
  redirectUri: string;
  /** Our registered post_logout_redirect_uri (RP-initiated logout); without it logoutUrl refuses. */
  postLogoutRedirectUri?: string;
  /** The PINNED id_token and userinfo signature algorithm (FranceConnect+: ES256). */
  signingAlg: SigningAlg;
  /** When set, id_token and userinfo must be JWE (FranceConnect+ always encrypts). */
  encryption?: RpEncryption;
  replay: ReplayGuard;
  /** Allow http:// endpoints (development with the mock only). */
  allowHttp?: boolean;
  /** Per HTTP call to FranceConnect (default 5000). */
  httpTimeoutMs?: number;
  /** Largest answer body accepted (default 256 KiB). */
  maxResponseBytes?: number;
  /** How long the OP's JWKS is cached (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Clock skew tolerated on exp/iat/nbf (default 10 s). */
  clockToleranceSeconds?: number;
  /** How long a used state/nonce is remembered (default 1 hour, above the 30-minute flow cap). */
  replayTtlMs?: number;
  /** Seconds since the epoch (tests). */
  now?: () => number;
}

export function checkOptions(o: OidcRpOptions): void {
  if (!Object.hasOwn(FC_PLATFORMS, o.platform)) throw rpError('OIDC_CONFIG', 'unknown FranceConnect platform');
  const rules: FranceConnectPlatform = FC_PLATFORMS[o.platform];
  if (!rules.signingAlgs.includes(o.signingAlg)) throw rpError('OIDC_CONFIG', `${o.signingAlg} is not allowed on ${o.platform}`);
  if (!o.clientId || !o.clientSecret) throw rpError('OIDC_CONFIG', 'clientId and clientSecret are required');
  if (o.signingAlg === 'HS256' && Buffer.byteLength(o.clientSecret) < 32) throw rpError('OIDC_CONFIG', 'HS256 needs a client secret of at least 32 bytes');
  const urls = [['issuer', o.issuer], ['redirectUri', o.redirectUri], ['postLogoutRedirectUri', o.postLogoutRedirectUri]] as const;
  for (const [name, value] of urls) {
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw rpError('OIDC_CONFIG', `${name} is not a URL`);
    }
    if (url.protocol !== 'https:' && !(o.allowHttp && url.protocol === 'http:')) throw rpError('OIDC_CONFIG', `${name} must be https`);
    if (url.hash || (name !== 'issuer' && url.search)) throw rpError('OIDC_CONFIG', `${name} must have no query or fragment`);
  }
}

const secretsSchema = z.strictObject({
  issuer: z.string().min(1),
  state: z.string().min(22).max(512),
  nonce: z.string().min(22).max(512),
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  acrValues: z.array(z.enum(FC_ACRS)).min(1),
  scopes: z.array(z.enum(FC_SCOPES as [FcScope, ...FcScope[]])).min(1),
});

/** What a login keeps in its flow state (JSON) until the callback; never sent to the browser. */
export interface LoginSecrets {
  issuer: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  acrValues: Acr[];
  scopes: FcScope[];
}

/** Reads the secrets back from stored JSON; anything malformed fails as OIDC_STATE. */
export function parseLoginSecrets(value: unknown): LoginSecrets {
  const parsed = secretsSchema.safeParse(value);
  if (!parsed.success) throw rpError('OIDC_STATE', 'stored login secrets are malformed');
  return parsed.data as LoginSecrets;
}
