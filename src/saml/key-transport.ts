/**
 * RSA-OAEP key transport (R-CRY-07): `xmlenc11#rsa-oaep` with one SHA-2 hash for both the OAEP
 * digest and MGF1, or `xmlenc#rsa-oaep-mgf1p` (SHA-1 / MGF1-SHA1) for 1.2-era peers. Mixed
 * digests (e.g. SHA-256 with MGF1-SHA1) are refused by the allowlist, so one hash always serves
 * both, which is what node:crypto and WebCrypto implement natively (no hand-rolled padding).
 *
 * Decryption runs through WebCrypto `subtle.decrypt`, which is asynchronous and runs on the
 * libuv threadpool: an RSA private-key operation never blocks the event loop (DESIGN §12).
 * Node 20 has no asynchronous privateDecrypt. The CryptoKey is imported once per KeyObject and hash.
 */
import crypto, { type KeyObject, type webcrypto } from 'node:crypto';
import { refuse } from './errors.ts';
import type { HashName } from './enc-algorithms.ts';

const WEBCRYPTO_HASH: Record<HashName, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** Minimum RSA modulus we encrypt to (R-CRY-07). */
export const MIN_RSA_BITS = 3072;

const importedKeys = new WeakMap<KeyObject, Map<HashName, Promise<webcrypto.CryptoKey>>>();

/** OAEP-encrypts the content-encryption key to the recipient's RSA public key. */
export function rsaOaepEncrypt(publicKey: KeyObject, hash: HashName, cek: Buffer): Buffer {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) refuse('ENC_ALG_NOT_ALLOWED', `RSA key of ${bits} bits (R-CRY-07 needs ${MIN_RSA_BITS})`);
  return crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, cek);
}

/** The RSA modulus size in bytes: an EncryptedKey CipherValue of another length cannot be for this key. */
export function rsaModulusBytes(privateKey: KeyObject): number {
  return Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/** Imports `privateKey` into WebCrypto once per hash; the promise is cached against the KeyObject. */
function webCryptoKey(privateKey: KeyObject, hash: HashName): Promise<webcrypto.CryptoKey> {
  let perHash = importedKeys.get(privateKey);
  if (!perHash) {
    perHash = new Map();
    importedKeys.set(privateKey, perHash);
  }
  let imported = perHash.get(hash);
  if (!imported) {
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    imported = crypto.webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: WEBCRYPTO_HASH[hash] }, false, [
      'decrypt',
    ]);
    perHash.set(hash, imported);
  }
  return imported;
}

/**
 * OAEP-decrypts an EncryptedKey CipherValue. Every failure (wrong key, bad padding, wrong length)
 * is the same DECRYPT_FAILED, with no detail (ATK-33: no padding oracle).
 */
export async function rsaOaepDecrypt(privateKey: KeyObject, hash: HashName, label: Buffer | undefined, wrapped: Buffer): Promise<Buffer> {
  if (wrapped.length !== rsaModulusBytes(privateKey)) refuse('DECRYPT_FAILED');
  try {
    const key = await webCryptoKey(privateKey, hash);
    const params: webcrypto.RsaOaepParams = label && label.length > 0 ? { name: 'RSA-OAEP', label } : { name: 'RSA-OAEP' };
    const cek = await crypto.webcrypto.subtle.decrypt(params, key, wrapped);
    return Buffer.from(cek);
  } catch {
    return refuse('DECRYPT_FAILED');
  }
}
