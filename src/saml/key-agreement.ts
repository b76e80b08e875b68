/**
 * ECDH-ES key agreement with ConcatKDF (XML-Enc 1.1 §5.6.2 and §5.4.1), as the EU reference node
 * uses it (R-CRY-08). Written here with node:crypto doing the maths because no JavaScript
 * XML-Enc library implements it: xml-encryption 6.0 has RSA key transport only (DESIGN §3).
 *
 * Receiving side (ATK-37): the ephemeral key is imported with createPublicKey, which refuses
 * off-curve points and the point at infinity, and its curve must equal our key's curve.
 * All listed curves have cofactor 1, so an on-curve point cannot sit in a small subgroup.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { refuse } from './errors.ts';
import { hasUsableEcPoint } from './keys.ts';
import type { HashName } from './enc-algorithms.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** OpenSSL curve name → OID (R-CRY-04 list); what ds11:NamedCurve carries as urn:oid:… */
const CURVES: Record<string, { oid: string; fieldBytes: number }> = {
  prime256v1: { oid: '1.2.840.10045.3.1.7', fieldBytes: 32 },
  secp384r1: { oid: '1.3.132.0.34', fieldBytes: 48 },
  secp521r1: { oid: '1.3.132.0.35', fieldBytes: 66 },
  brainpoolP256r1: { oid: '1.3.36.3.3.2.8.1.1.7', fieldBytes: 32 },
  brainpoolP384r1: { oid: '1.3.36.3.3.2.8.1.1.11', fieldBytes: 48 },
  brainpoolP512r1: { oid: '1.3.36.3.3.2.8.1.1.13', fieldBytes: 64 },
};
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

/** The named curve of an EC key, when it is one of the R-CRY-04 curves. */
export function allowedCurve(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  // Node 20 aborts the process on asymmetricKeyDetails of the point at infinity: check first.
  if (!hasUsableEcPoint(key)) return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve && CURVES[curve] ? curve : undefined;
}

export function curveOid(curve: string): string {
  const known = CURVES[curve];
  if (!known) refuse('ENC_ALG_NOT_ALLOWED', `curve ${curve}`);
  return known.oid;
}

/**
 * ConcatKDF (NIST SP 800-56A §5.8.1, single-step, hash-based) as XML-Enc 1.1 §5.4.1 defines it:
 * K(i) = H(counter_i ‖ Z ‖ OtherInfo), OtherInfo = AlgorithmID ‖ PartyUInfo ‖ PartyVInfo
 * [‖ SuppPubInfo ‖ SuppPrivInfo], each given as bytes with the padding-bit octet already removed.
 */
export function concatKdf(hash: HashName, z: Buffer, otherInfo: Buffer, keyBytes: number): Buffer {
  const blocks: Buffer[] = [];
  let produced = 0;
  for (let counter = 1; produced < keyBytes; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = crypto.createHash(hash).update(c).update(z).update(otherInfo).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, keyBytes);
}

/**
 * A ConcatKDFParams attribute: hex of a bit string whose first octet is the number of padding
 * bits. Only whole octets are accepted (padding 0); absent contributes nothing.
 */
export function concatKdfParam(hex: string | null): Buffer {
  if (hex === null || hex === '') return Buffer.alloc(0);
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) refuse('ENC_FORMAT', 'ConcatKDFParams attribute is not hex');
  const bytes = Buffer.from(hex, 'hex');
  if (bytes[0] !== 0) refuse('ENC_FORMAT', 'ConcatKDFParams bit string with padding bits');
  return bytes.subarray(1);
}

/** The sender's ConcatKDF attributes, written like the EU node writes them: "0000" each. */
export const EU_CONCAT_KDF_PARAMS = { AlgorithmID: '0000', PartyUInfo: '0000', PartyVInfo: '0000' } as const;

/** Fresh ephemeral key on the recipient's curve (R-CRY-08/09): one per message. */
export async function generateEphemeral(curve: string): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateKeyPair('ec', { namedCurve: curve });
}

/** Z, the ECDH shared secret. `crypto.diffieHellman` is looked up at call time (spied in tests). */
export function sharedSecret(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  try {
    return crypto.diffieHellman({ privateKey, publicKey });
  } catch {
    return refuse('DECRYPT_FAILED');
  }
}

/** The uncompressed point 04‖X‖Y of an EC public key (the tail of its SubjectPublicKeyInfo). */
export function ecPoint(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const fieldBytes = CURVES[allowedCurve(publicKey) ?? '']?.fieldBytes;
  if (!fieldBytes) refuse('ENC_ALG_NOT_ALLOWED', 'not an EC key on an eIDAS curve');
  const point = spki.subarray(spki.length - (1 + 2 * fieldBytes));
  if (point[0] !== 0x04) refuse('KEY_INVALID', 'unexpected EC public key encoding');
  return point;
}

/**
 * Imports an ephemeral public key given as ds11:ECKeyValue (curve OID + point). The point
 * encoding is checked BEFORE node:crypto sees it: Node 20 accepts the point at infinity (0x00)
 * in createPublicKey and then aborts the whole process (C++ assertion in GetEcKeyDetail) when
 * the key's details are read. Only an uncompressed (04‖X‖Y) or compressed (02/03‖X) point of
 * the curve's exact size is passed on; createPublicKey then refuses off-curve points.
 */
export function importEcPoint(oid: string, point: Buffer): KeyObject {
  const curve = Object.values(CURVES).find((c) => c.oid === oid);
  if (!curve) refuse('ENC_FORMAT', 'ephemeral key on a curve we do not use');
  const n = curve.fieldBytes;
  const wellFormed = (point[0] === 0x04 && point.length === 1 + 2 * n) || ((point[0] === 0x02 || point[0] === 0x03) && point.length === 1 + n);
  if (!wellFormed) refuse('ENC_FORMAT', 'ephemeral public key is not an EC point encoding');
  let key: KeyObject;
  try {
    key = crypto.createPublicKey({ key: spkiFor(oid, point), format: 'der', type: 'spki' });
  } catch {
    return refuse('ENC_FORMAT', 'ephemeral public key is not a valid EC point');
  }
  if (!allowedCurve(key)) refuse('ENC_FORMAT', 'ephemeral key on a curve we do not use');
  return key;
}

/**
 * Imports a DER SubjectPublicKeyInfo (ds11:DEREncodedKeyValue). The DER is never handed to
 * node:crypto as such: it must be byte for byte the SPKI of a point on one of our curves, and
 * the point then goes through importEcPoint's checks.
 */
export function importSpki(der: Buffer): KeyObject {
  for (const { oid, fieldBytes } of Object.values(CURVES)) {
    for (const pointLength of [1 + 2 * fieldBytes, 1 + fieldBytes]) {
      const header = spkiFor(oid, Buffer.alloc(pointLength)).subarray(0, -pointLength);
      if (der.length === header.length + pointLength && der.subarray(0, header.length).equals(header)) {
        return importEcPoint(oid, der.subarray(header.length));
      }
    }
  }
  return refuse('ENC_FORMAT', 'DEREncodedKeyValue is not an EC key on one of our curves');
}

function spkiFor(oid: string, point: Buffer): Buffer {
  const algorithm = derSequence([derOid(EC_PUBLIC_KEY_OID), derOid(oid)]);
  return derSequence([algorithm, derTlv(0x03, Buffer.concat([Buffer.from([0]), point]))]);
}

function derTlv(tag: number, body: Buffer): Buffer {
  const len = body.length;
  const header =
    len < 0x80 ? Buffer.from([tag, len]) : len < 0x100 ? Buffer.from([tag, 0x81, len]) : Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([header, body]);
}

function derSequence(items: Buffer[]): Buffer {
  return derTlv(0x30, Buffer.concat(items));
}

function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const bytes = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derTlv(0x06, Buffer.from(bytes));
}
