/**
 * XML-Enc decryption of eIDAS encrypted elements (R-CRY-05..08, ATK-31..37).
 *
 * Order: (1) strict structure and algorithm allowlist (enc-read.ts), with no key touched;
 * (2) for each of our keys of the right type (active first, then retiring), unwrap the content
 * key and open the AES-GCM data; (3) parse the plaintext with the node's parser.
 * Every crypto failure (OAEP, AES-KW integrity, GCM tag, wrong key) is one DECRYPT_FAILED.
 *
 * Not built on xml-encryption's decrypt(): it resolves EncryptionMethod, KeyInfo and CipherValue
 * with document-wide XPath (ATK-36), decrypts RSA synchronously on the event loop, and has no
 * xmlenc11#rsa-oaep with MGF1-SHA256 decryption path we could pin, nor ECDH-ES.
 */
import type { KeyObject } from 'node:crypto';
import { XmlSecurityError, refuse } from './errors.ts';
import { decryptGcm, unwrapKey } from './enc-algorithms.ts';
import { parsePlaintext } from './enc-plaintext.ts';
import { readEncrypted, type DecryptPlan, type KeyPlan } from './enc-read.ts';
import { allowedCurve, concatKdf, sharedSecret } from './key-agreement.ts';
import { rsaOaepDecrypt } from './key-transport.ts';

export interface DecryptOptions {
  /** Our private decryption keys (active first, then retiring). */
  keys: KeyObject[];
  /** Default true (1.2-era peers); can be switched off. */
  allowRsaOaepMgf1p?: boolean;
  /** Our entity ID: when given, an EncryptedKey@Recipient that is present must equal it. */
  recipient?: string;
}

/**
 * `encrypted` is xenc:EncryptedData or a wrapper (saml:EncryptedAssertion, EncryptedID,
 * EncryptedAttribute) holding exactly one. Returns the plaintext element, parsed by parseXml as
 * its own document (exactly one element).
 */
export async function decryptElement(encrypted: Element, options: DecryptOptions): Promise<Element> {
  const plan = readEncrypted(encrypted, {
    allowRsaOaepMgf1p: options.allowRsaOaepMgf1p ?? true,
    recipient: options.recipient,
  });
  const candidates = candidateKeys(plan.key, options.keys);
  for (const key of candidates) {
    const plaintext = await openWith(key, plan);
    if (plaintext) return parsePlaintext(plaintext, plan.encryptedData, plan.wrapper);
  }
  return refuse('DECRYPT_FAILED');
}

/**
 * Our keys that can take part: RSA keys for key transport; for ECDH-ES, EC keys on the curve
 * of the ephemeral key. An ephemeral key on a curve none of our keys uses is ENC_FORMAT (ATK-37).
 */
function candidateKeys(plan: KeyPlan, keys: KeyObject[]): KeyObject[] {
  const privateKeys = keys.filter((k) => k.type === 'private');
  if (plan.kind === 'rsa-oaep') return privateKeys.filter((k) => k.asymmetricKeyType === 'rsa');
  const curve = allowedCurve(plan.ephemeral);
  const sameCurve = privateKeys.filter((k) => curve !== undefined && allowedCurve(k) === curve);
  if (sameCurve.length === 0) refuse('ENC_FORMAT', 'ephemeral key not on the curve of our key');
  return sameCurve;
}

/** The plaintext, or undefined when this key does not open the message (DECRYPT_FAILED). */
async function openWith(key: KeyObject, plan: DecryptPlan): Promise<Buffer | undefined> {
  try {
    const cek = await contentKey(key, plan.key);
    return decryptGcm(plan.data, cek, plan.cipherValue);
  } catch (e) {
    if (e instanceof XmlSecurityError && e.reason === 'DECRYPT_FAILED') return undefined;
    throw e;
  }
}

async function contentKey(key: KeyObject, plan: KeyPlan): Promise<Buffer> {
  if (plan.kind === 'rsa-oaep') return rsaOaepDecrypt(key, plan.hash, plan.label, plan.wrapped);
  const kek = concatKdf(plan.kdfHash, sharedSecret(key, plan.ephemeral), plan.otherInfo, plan.wrap.keyBytes);
  return unwrapKey(plan.wrap, kek, plan.wrapped);
}
