/**
 * Reads an xenc:AgreementMethod (ECDH-ES + ConcatKDF, R-CRY-08) into plain values, with no
 * private-key operation: the allowlist is applied and the ephemeral key is imported and
 * validated here (ATK-37), so a refused message never reaches ECDH.
 */
import type { KeyObject } from 'node:crypto';
import { refuse } from './errors.ts';
import { NS, ENC } from './namespaces.ts';
import { digestByUri, type HashName } from './enc-algorithms.ts';
import { concatKdfParam, importEcPoint, importSpki } from './key-agreement.ts';
import { attr, base64Value, one, shape, type ChildRule } from './enc-dom.ts';

export interface AgreementPlan {
  kdfHash: HashName;
  /** AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo ‖ SuppPrivInfo, padding octets removed. */
  otherInfo: Buffer;
  ephemeral: KeyObject;
}

/** Informative key hints a sender may add; we never resolve them (no RetrievalMethod: ATK-27/36). */
export const INFORMATIVE_KEY_INFO: readonly ChildRule[] = [
  [NS.ds, 'X509Data', 0, 1],
  [NS.ds, 'KeyName', 0, 1],
  [NS.ds, 'KeyValue', 0, 1],
  [NS.ds11, 'DEREncodedKeyValue', 0, 1],
];

export function readAgreementMethod(am: Element): AgreementPlan {
  if (attr(am, 'Algorithm') !== ENC.ECDH_ES) refuse('ENC_ALG_NOT_ALLOWED', `key agreement ${String(attr(am, 'Algorithm'))}`);
  const parts = shape(am, [
    // KA-Nonce is accepted (R-CRY-08) but, as XML-Enc 1.1 defines no place for it in ConcatKDF's
    // OtherInfo, it does not enter the derivation.
    [NS.xenc, 'KA-Nonce', 0, 1],
    [NS.xenc11, 'KeyDerivationMethod', 1, 1],
    [NS.xenc, 'OriginatorKeyInfo', 1, 1],
    [NS.xenc, 'RecipientKeyInfo', 0, 1],
  ]);
  const nonce = parts['KA-Nonce']![0];
  if (nonce) base64Value(nonce);
  const recipient = parts['RecipientKeyInfo']![0];
  if (recipient) shape(recipient, INFORMATIVE_KEY_INFO);
  const { kdfHash, otherInfo } = readConcatKdf(one(parts, 'KeyDerivationMethod'));
  return { kdfHash, otherInfo, ephemeral: readOriginatorKey(one(parts, 'OriginatorKeyInfo')) };
}

function readConcatKdf(kdm: Element): { kdfHash: HashName; otherInfo: Buffer } {
  if (attr(kdm, 'Algorithm') !== ENC.CONCAT_KDF) refuse('ENC_ALG_NOT_ALLOWED', `key derivation ${String(attr(kdm, 'Algorithm'))}`);
  const params = one(shape(kdm, [[NS.xenc11, 'ConcatKDFParams', 1, 1]]), 'ConcatKDFParams');
  const digest = one(shape(params, [[NS.ds, 'DigestMethod', 1, 1]]), 'DigestMethod');
  shape(digest, []);
  const kdfHash = digestByUri(attr(digest, 'Algorithm'));
  const fields = ['AlgorithmID', 'PartyUInfo', 'PartyVInfo', 'SuppPubInfo', 'SuppPrivInfo'];
  const otherInfo = Buffer.concat(fields.map((name) => concatKdfParam(attr(params, name))));
  return { kdfHash, otherInfo };
}

/**
 * The ephemeral public key, as ds:KeyValue/ds11:ECKeyValue and/or ds11:DEREncodedKeyValue (the
 * EU node writes both). When both are present they must be the same key.
 */
function readOriginatorKey(oki: Element): KeyObject {
  const parts = shape(oki, [
    [NS.ds, 'KeyValue', 0, 1],
    [NS.ds11, 'DEREncodedKeyValue', 0, 1],
  ]);
  const keyValue = parts['KeyValue']![0];
  const der = parts['DEREncodedKeyValue']![0];
  const fromKeyValue = keyValue ? readEcKeyValue(one(shape(keyValue, [[NS.ds11, 'ECKeyValue', 1, 1]]), 'ECKeyValue')) : undefined;
  const fromDer = der ? importSpki(base64Value(der)) : undefined;
  if (fromKeyValue && fromDer && !fromKeyValue.equals(fromDer)) refuse('ENC_FORMAT', 'two different originator keys');
  const key = fromKeyValue ?? fromDer;
  if (!key) refuse('ENC_FORMAT', 'no originator key');
  return key;
}

function readEcKeyValue(ec: Element): KeyObject {
  // Explicit ECParameters are refused: only named curves (R-CRY-04).
  const parts = shape(ec, [
    [NS.ds11, 'NamedCurve', 1, 1],
    [NS.ds11, 'PublicKey', 1, 1],
  ]);
  const curve = one(parts, 'NamedCurve');
  shape(curve, []);
  const uri = attr(curve, 'URI') ?? '';
  if (!uri.startsWith('urn:oid:')) refuse('ENC_FORMAT', 'NamedCurve is not an OID URN');
  return importEcPoint(uri.slice('urn:oid:'.length), base64Value(one(parts, 'PublicKey')));
}
