/**
 * What the RP expects of each FranceConnect platform (franceconnect.md §3). The platforms,
 * their acr values and signature algorithms, and the scopes with the claims they release are
 * the shared tables of src/pivot/tables.ts; this file adds the JWE algorithms the RP decrypts,
 * the rank of an acr, and the names the RP's public API has always used for the shared types.
 */
import { FC_ACRS, type FcAcr, type FcPlatformName, type FcSigningAlg } from '../../pivot/index.ts';

export type { FcScope } from '../../pivot/index.ts';
export type Acr = FcAcr;
export type FcPlatform = FcPlatformName;
export type SigningAlg = FcSigningAlg;

export const KEY_MANAGEMENT_ALGS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES'] as const;
export type KeyManagementAlg = (typeof KEY_MANAGEMENT_ALGS)[number];
export const CONTENT_ENCRYPTION_ALGS = ['A256GCM'] as const;
export type ContentEncryptionAlg = (typeof CONTENT_ENCRYPTION_ALGS)[number];

/** 0 for eidas1 up to 2 for eidas3: FC_ACRS is ordered lowest first. */
export function acrRank(acr: Acr): number {
  return FC_ACRS.indexOf(acr);
}
