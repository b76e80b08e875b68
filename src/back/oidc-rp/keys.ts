/**
 * Our encryption key as FranceConnect sees it: the public JWK (with `use: enc`, the `alg` it
 * must use and a thumbprint `kid`) to publish at the jwks URL registered with FranceConnect.
 */
import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { RpEncryption } from './options.ts';
import type { ContentEncryptionAlg, KeyManagementAlg, SigningAlg } from './platform.ts';

export async function publicEncryptionJwk(e: RpEncryption): Promise<JWK & Record<string, unknown>> {
  const jwk = await exportJWK(createPublicKey(e.privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, use: 'enc', alg: e.alg };
}

/** The client registration FranceConnect holds for us (the mock takes it as it is). */
export interface RpRegistration {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Where FranceConnect may send the browser back after end_session (registered in advance). */
  postLogoutRedirectUris?: string[];
  signingAlg: SigningAlg;
  encryption?: { publicJwk: JWK; alg: KeyManagementAlg; enc: ContentEncryptionAlg };
}
