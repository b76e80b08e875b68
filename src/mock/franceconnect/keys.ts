/**
 * The mock's signing keys, fresh at each start (it is a development tool): one P-256 key for
 * ES256 (what FranceConnect+ uses) and, when a client is registered with RS256, one RSA-3072 key.
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface MockSigningKey {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
  /** SPKI PEM of the public key (what an attacker can download and misuse as an HMAC secret). */
  publicPem: string;
}

async function makeKey(alg: 'ES256' | 'RS256'): Promise<MockSigningKey> {
  const pair = await generateKeyPair(alg, alg === 'RS256' ? { extractable: true, modulusLength: 3072 } : { extractable: true });
  const kid = `mock-fc-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg, use: 'sig' };
  const publicJwk = { ...(await exportJWK(pair.publicKey)) };
  const publicPem = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const privateKey = (await importJWK(privateJwk, alg)) as CryptoKey;
  return { alg, kid, privateJwk, privateKey, publicPem };
}

export interface MockSigningKeys {
  es256: MockSigningKey;
  /** Only made when a client is registered with RS256 (RSA key generation is slow). */
  rs256?: MockSigningKey | undefined;
}

export async function generateMockSigningKeys(withRsa: boolean): Promise<MockSigningKeys> {
  const [es256, rs256] = await Promise.all([makeKey('ES256'), withRsa ? makeKey('RS256') : undefined]);
  return { es256, rs256 };
}
