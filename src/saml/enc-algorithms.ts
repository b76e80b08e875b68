/**
 * XML-Enc algorithm allowlist (R-CRY-05..08) and the symmetric primitives behind it:
 * AES-GCM for content, AES-KW (RFC 3394) for wrapping. Every URI that is not listed here is
 * refused with ENC_ALG_NOT_ALLOWED before any key is touched (ATK-31/32/33).
 *
 * `crypto` is used through its default export on purpose: the attack tests spy on
 * `crypto.createDecipheriv` to prove that a refused message never reaches a decipher.
 */
import crypto from 'node:crypto';
import { refuse } from './errors.ts';
import { DIGEST, ENC } from './namespaces.ts';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type DataAlgorithm = { uri: string; cipher: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'; keyBytes: number };
export type WrapAlgorithm = { uri: string; cipher: 'id-aes128-wrap' | 'id-aes256-wrap'; keyBytes: number };

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;
const KW_DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

const DATA: readonly DataAlgorithm[] = [
  { uri: ENC.AES128_GCM, cipher: 'aes-128-gcm', keyBytes: 16 },
  { uri: ENC.AES192_GCM, cipher: 'aes-192-gcm', keyBytes: 24 }, // R-CRY-05: MAY accept, never emitted
  { uri: ENC.AES256_GCM, cipher: 'aes-256-gcm', keyBytes: 32 },
];
const EMITTED_DATA = new Set<string>([ENC.AES128_GCM, ENC.AES256_GCM]);

const WRAP: readonly WrapAlgorithm[] = [
  { uri: ENC.KW_AES128, cipher: 'id-aes128-wrap', keyBytes: 16 },
  { uri: ENC.KW_AES256, cipher: 'id-aes256-wrap', keyBytes: 32 },
];

/** Digest URIs of XML-DSig / XML-Enc. SHA-1 is listed because rsa-oaep-mgf1p names it; callers decide. */
const DIGESTS: Record<string, HashName> = {
  [ENC.SHA1]: 'sha1',
  [DIGEST.SHA256]: 'sha256',
  [DIGEST.SHA384]: 'sha384',
  [DIGEST.SHA512]: 'sha512',
};
export const DIGEST_URI: Record<Exclude<HashName, 'sha1'>, string> = {
  sha256: DIGEST.SHA256,
  sha384: DIGEST.SHA384,
  sha512: DIGEST.SHA512,
};

const MGF1: Record<string, Exclude<HashName, 'sha1'>> = {
  [ENC.MGF1_SHA256]: 'sha256',
  [ENC.MGF1_SHA384]: 'sha384',
  [ENC.MGF1_SHA512]: 'sha512',
};

/** Content-encryption algorithm from its URI; AES-GCM only (no CBC, no 3DES: ATK-31/32). */
export function dataAlgorithm(uri: string | null | undefined): DataAlgorithm {
  const found = DATA.find((a) => a.uri === uri);
  if (!found) refuse('ENC_ALG_NOT_ALLOWED', `content encryption ${String(uri)}`);
  return found;
}

/** What we emit: AES-256-GCM (default) or AES-128-GCM. */
export function emittedDataAlgorithm(uri: string | undefined): DataAlgorithm {
  const chosen = uri ?? ENC.AES256_GCM;
  if (!EMITTED_DATA.has(chosen)) refuse('ENC_ALG_NOT_ALLOWED', `content encryption ${chosen}`);
  return dataAlgorithm(chosen);
}

export function wrapAlgorithm(uri: string | null | undefined): WrapAlgorithm {
  const found = WRAP.find((a) => a.uri === uri);
  if (!found) refuse('ENC_ALG_NOT_ALLOWED', `key wrap ${String(uri)}`);
  return found;
}

/** A digest URI; `allowSha1` only where the algorithm itself fixes SHA-1 (rsa-oaep-mgf1p). */
export function digestByUri(uri: string | null | undefined, allowSha1 = false): HashName {
  const hash = uri ? DIGESTS[uri] : undefined;
  if (!hash || (hash === 'sha1' && !allowSha1)) refuse('ENC_ALG_NOT_ALLOWED', `digest ${String(uri)}`);
  return hash;
}

/** MGF1 of xmlenc11#rsa-oaep. Absent means MGF1-SHA1 by the spec, which eIDAS refuses (R-CRY-07). */
export function mgf1ByUri(uri: string | null | undefined): Exclude<HashName, 'sha1'> {
  const hash = uri ? MGF1[uri] : undefined;
  if (!hash) refuse('ENC_ALG_NOT_ALLOWED', `mask generation ${String(uri ?? 'mgf1sha1 (implicit)')}`);
  return hash;
}

export function mgf1Uri(hash: Exclude<HashName, 'sha1'>): string {
  return Object.entries(MGF1).find(([, h]) => h === hash)![0];
}

/** AES-GCM with a fresh random 96-bit IV; output is IV ‖ ciphertext ‖ 128-bit tag (XML-Enc 1.1 §5.2.4). */
export function encryptGcm(alg: DataAlgorithm, key: Buffer, plaintext: Buffer): Buffer {
  const iv = crypto.randomBytes(GCM_IV_BYTES);
  const cipher = crypto.createCipheriv(alg.cipher, key, iv, { authTagLength: GCM_TAG_BYTES });
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/**
 * Checks the IV ‖ ciphertext ‖ tag layout without any key (ATK-35): at least one ciphertext
 * byte besides the 12-byte IV and the 16-byte tag. An empty or truncated value is ENC_FORMAT.
 */
export function checkGcmLayout(value: Buffer): void {
  if (value.length <= GCM_IV_BYTES + GCM_TAG_BYTES) refuse('ENC_FORMAT', 'CipherValue shorter than IV + tag');
}

/** AES-GCM decryption; the tag length is pinned to 16 bytes. Any failure is DECRYPT_FAILED. */
export function decryptGcm(alg: DataAlgorithm, key: Buffer, value: Buffer): Buffer {
  checkGcmLayout(value);
  if (key.length !== alg.keyBytes) refuse('DECRYPT_FAILED');
  const iv = value.subarray(0, GCM_IV_BYTES);
  const tag = value.subarray(value.length - GCM_TAG_BYTES);
  const body = value.subarray(GCM_IV_BYTES, value.length - GCM_TAG_BYTES);
  try {
    const decipher = crypto.createDecipheriv(alg.cipher, key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return refuse('DECRYPT_FAILED');
  }
}

/** RFC 3394 key wrap with the default IV (XML-Enc kw-aes128 / kw-aes256). */
export function wrapKey(alg: WrapAlgorithm, kek: Buffer, keyToWrap: Buffer): Buffer {
  const cipher = crypto.createCipheriv(alg.cipher, kek, KW_DEFAULT_IV);
  return Buffer.concat([cipher.update(keyToWrap), cipher.final()]);
}

/** RFC 3394 unwrap; an integrity failure is DECRYPT_FAILED like every other one (ATK-37). */
export function unwrapKey(alg: WrapAlgorithm, kek: Buffer, wrapped: Buffer): Buffer {
  try {
    const decipher = crypto.createDecipheriv(alg.cipher, kek, KW_DEFAULT_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    return refuse('DECRYPT_FAILED');
  }
}
