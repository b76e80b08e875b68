/**
 * Keys and certificates, imported once as KeyObject / X509Certificate (DESIGN §12: never a
 * PEM per call), and the key-strength rule R-CRY-04 (ATK-25).
 */
import { X509Certificate, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { refuse } from './errors.ts';

export interface KeyPolicy {
  /** Default 3072 (R-CRY-04); a legacy peer may be given 2048, never less. */
  minRsaBits: number;
}

export const DEFAULT_MIN_RSA_BITS = 3072;
export const LOWEST_MIN_RSA_BITS = 2048;

/** The curves R-CRY-04 names, as OpenSSL / node:crypto name them. */
const ALLOWED_CURVES: ReadonlySet<string> = new Set([
  'prime256v1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
]);

/** A certificate in PEM or DER; KEY_INVALID on anything else. */
export function loadCertificate(pemOrDer: string | Buffer): X509Certificate {
  try {
    return new X509Certificate(pemOrDer);
  } catch {
    return refuse('KEY_INVALID', 'not a PEM or DER X.509 certificate');
  }
}

/** A PEM private key (optionally encrypted); KEY_INVALID on garbage or a wrong passphrase. */
export function loadPrivateKey(pem: string | Buffer, passphrase?: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch {
    return refuse('KEY_INVALID', 'not a usable private key (format or passphrase)');
  }
  if (key.type !== 'private') refuse('KEY_INVALID', 'not a private key');
  return key;
}

/** The public key of a certificate, of a private key, or the public key itself. */
export function toPublicKey(k: KeyObject | X509Certificate): KeyObject {
  if (k instanceof X509Certificate) return k.publicKey;
  if (k.type === 'public') return k;
  if (k.type === 'private') return createPublicKey(k);
  return refuse('KEY_INVALID', 'a secret key is never a signature key');
}

/**
 * R-CRY-04: RSA of at least `minRsaBits` (default 3072; never below 2048 whatever the policy
 * says), EC on a named curve of the list only; everything else (DSA, Ed25519, secret keys…)
 * is refused with SIG_ALG_NOT_ALLOWED.
 */
export function checkKeyStrength(k: KeyObject, policy?: KeyPolicy): void {
  const type = k.asymmetricKeyType;
  const details = k.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const min = Math.max(policy?.minRsaBits ?? DEFAULT_MIN_RSA_BITS, LOWEST_MIN_RSA_BITS);
    const bits = details.modulusLength ?? 0;
    if (bits < min) refuse('SIG_ALG_NOT_ALLOWED', `RSA key of ${bits} bits, at least ${min} required`);
    return;
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? '';
    if (!ALLOWED_CURVES.has(curve)) refuse('SIG_ALG_NOT_ALLOWED', `EC curve ${curve || 'unnamed'} not allowed`);
    return;
  }
  refuse('SIG_ALG_NOT_ALLOWED', `${type ?? k.type} keys are not allowed`);
}

/** DER base64 of a certificate, for ds:X509Certificate. */
export function certificateBase64(cert: X509Certificate): string {
  return cert.raw.toString('base64');
}
