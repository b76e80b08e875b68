/**
 * What the RP expects of each FranceConnect platform (franceconnect.md §3): the acr values it
 * may return, ranked, the signature algorithms it may be pinned to, and the scopes it knows
 * with the claims they release. FranceConnect+ returns eidas2/eidas3 only; FranceConnect
 * (low) only eidas1 and is the only platform where HS256 (keyed with the client secret) may
 * be configured.
 */
export const FC_PLATFORMS = ['franceconnect-plus', 'franceconnect'] as const;
export type FcPlatform = (typeof FC_PLATFORMS)[number];

export const ACR_VALUES = ['eidas1', 'eidas2', 'eidas3'] as const;
export type Acr = (typeof ACR_VALUES)[number];

export const SIGNING_ALGS = ['ES256', 'RS256', 'HS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export const KEY_MANAGEMENT_ALGS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES'] as const;
export type KeyManagementAlg = (typeof KEY_MANAGEMENT_ALGS)[number];
export const CONTENT_ENCRYPTION_ALGS = ['A256GCM'] as const;
export type ContentEncryptionAlg = (typeof CONTENT_ENCRYPTION_ALGS)[number];

const RANK: Readonly<Record<Acr, number>> = { eidas1: 1, eidas2: 2, eidas3: 3 };

export interface PlatformRules {
  acrValues: readonly Acr[];
  signingAlgs: readonly SigningAlg[];
}

export const PLATFORM_RULES: Readonly<Record<FcPlatform, PlatformRules>> = {
  'franceconnect-plus': { acrValues: ['eidas2', 'eidas3'], signingAlgs: ['ES256', 'RS256'] },
  franceconnect: { acrValues: ['eidas1'], signingAlgs: ['ES256', 'RS256', 'HS256'] },
};

export function acrRank(acr: Acr): number {
  return RANK[acr];
}

export function isAcr(value: unknown): value is Acr {
  return typeof value === 'string' && (ACR_VALUES as readonly string[]).includes(value);
}

/** FranceConnect v2 scopes → the pivot claims they release. */
export const SCOPE_CLAIMS = {
  openid: [],
  profile: ['family_name', 'given_name', 'preferred_username', 'gender', 'birthdate'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  preferred_username: ['preferred_username'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email'],
} as const satisfies Record<string, readonly string[]>;

export type FcScope = keyof typeof SCOPE_CLAIMS;
export const FC_SCOPES = Object.keys(SCOPE_CLAIMS) as FcScope[];

export function isFcScope(value: unknown): value is FcScope {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SCOPE_CLAIMS, value);
}
