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
  if (type === 'ec' && !hasUsableEcPoint(k)) refuse('KEY_INVALID', 'EC public key is not a point of its curve');
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

/**
 * Node 20 aborts the whole process (an assertion, not an exception) when asked for
 * `asymmetricKeyDetails` or a JWK export of an EC key whose public point is the point at
 * infinity, which a certificate can carry. Exporting such a key as SPKI fails with an
 * ordinary exception, so an EC key is exported first and its point must be encoded as a
 * point (02, 03 or 04), never as 00.
 */
export function hasUsableEcPoint(k: KeyObject): boolean {
  const spki = publicKeySpki(k);
  const point = spki && spkiPublicKeyBits(spki);
  return point !== undefined && point.length > 1 && [0x02, 0x03, 0x04].includes(point[0]!);
}

const spkiCache = new WeakMap<KeyObject, Buffer | null>();

/**
 * The DER SubjectPublicKeyInfo of a public or private key; undefined when OpenSSL cannot
 * encode it. Cached per KeyObject (an export costs about 0.1 ms and trusted keys are checked
 * on every verification; X509Certificate.publicKey returns the same KeyObject each time).
 * The Buffer is shared: read it, never modify it.
 */
export function publicKeySpki(k: KeyObject): Buffer | undefined {
  let spki = spkiCache.get(k);
  if (spki === undefined) {
    try {
      spki = (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
    } catch {
      spki = null; // a key OpenSSL cannot even encode is no key to use
    }
    spkiCache.set(k, spki);
  }
  return spki ?? undefined;
}

/** The public key bits of a SubjectPublicKeyInfo (without the unused-bits octet). */
function spkiPublicKeyBits(spki: Buffer): Buffer | undefined {
  const outer = readTlv(spki, 0);
  if (!outer || outer.tag !== SEQUENCE || outer.end !== spki.length) return undefined;
  const algorithm = readTlv(spki, outer.body);
  const bits = algorithm && readTlv(spki, algorithm.end);
  if (!bits || bits.tag !== BIT_STRING || bits.end !== outer.end || spki[bits.body] !== 0) return undefined;
  return spki.subarray(bits.body + 1, bits.end);
}

/**
 * The SubjectPublicKeyInfo (DER) of a certificate, found by a minimal DER walk, without
 * parsing the certificate or its key with node:crypto: for certificates nobody vouches for
 * (a message's KeyInfo), to compare with the exported SPKI of trusted keys. undefined when
 * the bytes do not have the shape of a certificate.
 */
export function certificateSpki(der: Buffer): Buffer | undefined {
  const cert = readTlv(der, 0);
  const tbs = cert && cert.tag === SEQUENCE && cert.end === der.length ? readTlv(der, cert.body) : undefined;
  if (!tbs || tbs.tag !== SEQUENCE) return undefined;
  // TBSCertificate = [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, SPKI
  let field = readTlv(der, tbs.body);
  if (field?.tag === VERSION_TAG) field = readTlv(der, field.end);
  for (let skip = 0; skip < 5 && field; skip++) field = field.end < tbs.end ? readTlv(der, field.end) : undefined;
  if (!field || field.tag !== SEQUENCE || field.end > tbs.end) return undefined;
  return der.subarray(field.start, field.end);
}

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
const VERSION_TAG = 0xa0;

interface Tlv {
  tag: number;
  start: number;
  body: number;
  end: number;
}

/** One DER tag-length-value at `at` (low tag numbers, definite lengths), or undefined. */
function readTlv(buf: Buffer, at: number): Tlv | undefined {
  if (at + 2 > buf.length || (buf[at]! & 0x1f) === 0x1f) return undefined;
  let length = buf[at + 1]!;
  let body = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || body + count > buf.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[body + i]!;
    body += count;
  }
  const end = body + length;
  return end <= buf.length ? { tag: buf[at]!, start: at, body, end } : undefined;
}
