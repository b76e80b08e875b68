/**
 * The eIDAS signature and digest allowlists (R-CRY-02, R-CRY-03, DESIGN §3, ATK-24/25).
 * SHA-1, HMAC and anything not listed here are refused by name; RSA PKCS#1 v1.5
 * (`rsa-sha256`) is listed only so a per-call legacy opt-in can accept it when verifying.
 */
import { constants, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import { refuse } from './errors.ts';
import { DIGEST, SIG } from './namespaces.ts';

export type HashName = 'sha256' | 'sha384' | 'sha512';

export type SignatureAlgorithm = {
  uri: string;
  name: string;
  kind: 'rsa-pss' | 'ecdsa' | 'rsa-pkcs1';
  hash: HashName;
};

const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = Object.freeze([
  { uri: SIG.RSA_PSS_SHA256, name: 'rsa-pss-sha256', kind: 'rsa-pss', hash: 'sha256' },
  { uri: SIG.RSA_PSS_SHA384, name: 'rsa-pss-sha384', kind: 'rsa-pss', hash: 'sha384' },
  { uri: SIG.RSA_PSS_SHA512, name: 'rsa-pss-sha512', kind: 'rsa-pss', hash: 'sha512' },
  { uri: SIG.ECDSA_SHA256, name: 'ecdsa-sha256', kind: 'ecdsa', hash: 'sha256' },
  { uri: SIG.ECDSA_SHA384, name: 'ecdsa-sha384', kind: 'ecdsa', hash: 'sha384' },
  { uri: SIG.ECDSA_SHA512, name: 'ecdsa-sha512', kind: 'ecdsa', hash: 'sha512' },
  { uri: SIG.RSA_SHA256, name: 'rsa-sha256', kind: 'rsa-pkcs1', hash: 'sha256' },
] as const);

const DIGESTS: ReadonlyMap<string, HashName> = new Map([
  [DIGEST.SHA256, 'sha256'],
  [DIGEST.SHA384, 'sha384'],
  [DIGEST.SHA512, 'sha512'],
]);

const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** URIs that name SHA-1 or HMAC: refused with a detail that says so (R-CRY-02, ATK-24). */
const SHA1 = /sha1(?![0-9])|sha-1/i;
const HMAC = /hmac/i;

function refuseUnknown(what: string, value: string): never {
  if (SHA1.test(value)) refuse('SIG_ALG_NOT_ALLOWED', `${what} uses SHA-1, which is never accepted`);
  if (HMAC.test(value)) refuse('SIG_ALG_NOT_ALLOWED', `${what} is an HMAC, which is never accepted`);
  return refuse('SIG_ALG_NOT_ALLOWED', `${what} not in the eIDAS allowlist: ${value.slice(0, 100)}`);
}

/** By short name ('rsa-pss-sha256' …) or by URI; anything else: SIG_ALG_NOT_ALLOWED. */
export function signatureAlgorithm(nameOrUri: string): SignatureAlgorithm {
  const found = SIGNATURE_ALGORITHMS.find((a) => a.uri === nameOrUri || a.name === nameOrUri);
  return found ?? refuseUnknown('signature algorithm', nameOrUri);
}

/** SHA-256/384/512 by URI; SHA-1 and everything else: SIG_ALG_NOT_ALLOWED. */
export function digestAlgorithm(uri: string): HashName {
  return DIGESTS.get(uri) ?? refuseUnknown('digest algorithm', uri);
}

/** The URI of a digest given by hash name or URI (for signing). */
export function digestUri(nameOrUri: string): string {
  if (DIGESTS.has(nameOrUri)) return nameOrUri;
  for (const [uri, name] of DIGESTS) if (name === nameOrUri) return uri;
  return refuseUnknown('digest algorithm', nameOrUri);
}

/** RSA → RSA-PSS SHA-256; EC → ECDSA with the hash that matches the curve size. */
export function defaultSignatureAlgorithm(key: KeyObject): SignatureAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return signatureAlgorithm('rsa-pss-sha256');
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    if (/384/.test(curve)) return signatureAlgorithm('ecdsa-sha384');
    if (/512|521/.test(curve)) return signatureAlgorithm('ecdsa-sha512');
    return signatureAlgorithm('ecdsa-sha256');
  }
  return refuse('SIG_ALG_NOT_ALLOWED', `no signature algorithm for ${type ?? 'this'} keys`);
}

/** Whether `key` is of the type `alg` needs (an 'rsa-pss' key cannot make PKCS#1 v1.5). */
export function keyFitsAlgorithm(alg: SignatureAlgorithm, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (alg.kind === 'ecdsa') return type === 'ec';
  if (alg.kind === 'rsa-pss') return type === 'rsa' || type === 'rsa-pss';
  return type === 'rsa';
}

/**
 * node:crypto parameters for `alg`: RSA-PSS with MGF1 on the same hash (OpenSSL's default)
 * and a salt exactly as long as the hash; ECDSA as raw r‖s (XML-DSig 1.1 §6.4.3), only that.
 */
export function cryptoParams(alg: SignatureAlgorithm, key: KeyObject): SignKeyObjectInput {
  if (alg.kind === 'rsa-pss') {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[alg.hash] };
  }
  if (alg.kind === 'ecdsa') return { key, dsaEncoding: 'ieee-p1363' };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}
