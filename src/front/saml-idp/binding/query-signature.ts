/**
 * The HTTP-Redirect detached signature (SAML Bindings §3.4.4.1, ATK-50): SigAlg pinned to the
 * eIDAS allowlist (RSA-PSS, ECDSA; rsa-sha256 only for a peer the operator named legacy), keys
 * from the peer's metadata only and as strong as R-CRY-04 asks, the signature checked over the
 * raw query bytes. Returns a strict boolean; the caller refuses on anything but `true`.
 */
import { constants, verify as cryptoVerify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { PeerVerifyPolicy } from '../../../config/crypto-policy.ts';
import { checkKeyStrength, signatureAlgorithm, type SignatureAlgorithm } from '../../../saml/index.ts';
import { refuseRequest } from '../errors.ts';
import type { QuerySignature } from './decode.ts';

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** Refuses (REDIRECT_SIG) an algorithm the peer's policy does not allow; else the algorithm. */
export function allowedQueryAlgorithm(uri: string, policy: PeerVerifyPolicy): SignatureAlgorithm {
  const alg = signatureAlgorithm(uri);
  if (alg.kind === 'rsa-pkcs1' && policy.allowLegacyRsaSha256 !== true) {
    refuseRequest('REDIRECT_SIG', 'rsa-sha256 is not allowed for this peer (R-CRY-03)');
  }
  return alg;
}

/** True only when one of `keys` verifies the signature over the signed octets. */
export async function querySignatureVerifies(
  qs: QuerySignature,
  keys: KeyObject[],
  policy: PeerVerifyPolicy,
): Promise<boolean> {
  const alg = allowedQueryAlgorithm(qs.algorithm, policy);
  for (const key of usableKeys(alg, keys, policy)) {
    if ((await verifies(alg, qs.signedOctets, verifyParams(alg, key, qs.signature), qs.signature)) === true) return true;
  }
  return false;
}

function usableKeys(alg: SignatureAlgorithm, keys: KeyObject[], policy: PeerVerifyPolicy): KeyObject[] {
  return keys.filter((k) => {
    const type = k.asymmetricKeyType;
    const fits = alg.kind === 'ecdsa' ? type === 'ec' : alg.kind === 'rsa-pss' ? type === 'rsa' || type === 'rsa-pss' : type === 'rsa';
    if (!fits) return false;
    try {
      checkKeyStrength(k, { minRsaBits: policy.minRsaBits });
      return true;
    } catch {
      return false; // a weak key is no candidate; no candidate left means no verification
    }
  });
}

/**
 * RSA-PSS: MGF1 on the same hash, salt as long as the hash (as for XML-DSig). ECDSA: XML-DSig 1.1
 * writes r‖s; Java senders (OpenSAML's redirect encoder) write DER. Both encode the same (r, s)
 * and the length tells them apart: r‖s is exactly twice the field size, a DER value of that very
 * length needs r and s several bytes short (odds near 2^-48), and would only fail closed.
 */
function verifyParams(alg: SignatureAlgorithm, key: KeyObject, signature: Buffer): VerifyKeyObjectInput {
  if (alg.kind === 'rsa-pss') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[alg.hash] };
  if (alg.kind === 'ecdsa') return { key, dsaEncoding: signature.length === 2 * fieldBytes(key) ? 'ieee-p1363' : 'der' };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

/** Bytes of one coordinate on the key's curve (P-521: 66). */
function fieldBytes(key: KeyObject): number {
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  if (curve === 'secp521r1') return 66;
  if (/384/.test(curve)) return 48;
  if (/512/.test(curve)) return 64;
  return 32;
}

function verifies(alg: SignatureAlgorithm, data: Buffer, params: VerifyKeyObjectInput, signature: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      cryptoVerify(alg.hash, data, params, signature, (err, ok) => resolve(!err && ok === true));
    } catch {
      resolve(false); // a value node:crypto cannot parse does not verify
    }
  });
}
