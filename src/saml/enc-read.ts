/**
 * Reads an encrypted element into a decryption plan: strict structure (ENC_FORMAT, ATK-36) and
 * the algorithm allowlist (ENC_ALG_NOT_ALLOWED, ATK-31..33), all BEFORE any key operation.
 *
 * Accepted shapes (XML-Enc 1.1, SAML 2.0 EncryptedElementType):
 *   wrapper? / EncryptedData[Type=Element] / (EncryptionMethod, ds:KeyInfo, CipherData/CipherValue)
 *   ds:KeyInfo holds exactly one of: an inline EncryptedKey, or a ds:RetrievalMethod URI="#id"
 *   naming the single EncryptedKey sibling of EncryptedData inside the wrapper.
 *   EncryptedKey: RSA-OAEP key transport, or kw-aes with exactly one AgreementMethod (ECDH-ES).
 * Nothing is looked up document-wide: every step walks the children of the element in hand.
 */
import { refuse } from './errors.ts';
import { NS, ENC } from './namespaces.ts';
import {
  dataAlgorithm,
  digestByUri,
  mgf1ByUri,
  wrapAlgorithm,
  checkGcmLayout,
  type DataAlgorithm,
  type HashName,
  type WrapAlgorithm,
} from './enc-algorithms.ts';
import { attr, base64Value, one, shape } from './enc-dom.ts';
import { INFORMATIVE_KEY_INFO, readAgreementMethod, type AgreementPlan } from './enc-read-agreement.ts';

export type KeyPlan =
  | { kind: 'rsa-oaep'; hash: HashName; label: Buffer | undefined; wrapped: Buffer }
  | ({ kind: 'ecdh-es'; wrap: WrapAlgorithm; wrapped: Buffer } & AgreementPlan);

export interface DecryptPlan {
  encryptedData: Element;
  /** saml:EncryptedAssertion / EncryptedID / EncryptedAttribute, when one was given. */
  wrapper: Element | undefined;
  data: DataAlgorithm;
  cipherValue: Buffer;
  key: KeyPlan;
}

export interface ReadOptions {
  allowRsaOaepMgf1p: boolean;
  /** When set, an EncryptedKey@Recipient that is present must equal it (ATK-36). */
  recipient?: string | undefined;
}

const WRAPPERS = new Set(['EncryptedAssertion', 'EncryptedID', 'EncryptedAttribute']);
const ENCRYPTED_KEY_TYPE = `${NS.xenc}EncryptedKey`;

export function readEncrypted(encrypted: Element, options: ReadOptions): DecryptPlan {
  const { encryptedData, wrapper, sibling } = splitWrapper(encrypted);
  if (attr(encryptedData, 'Type') !== ENC.TYPE_ELEMENT) refuse('ENC_FORMAT', 'EncryptedData Type must be Element');
  const parts = shape(encryptedData, [
    [NS.xenc, 'EncryptionMethod', 1, 1],
    [NS.ds, 'KeyInfo', 1, 1],
    [NS.xenc, 'CipherData', 1, 1],
  ]);
  const data = readMethodWithoutParams(one(parts, 'EncryptionMethod'), dataAlgorithm);
  const cipherValue = readCipherValue(one(parts, 'CipherData'));
  checkGcmLayout(cipherValue);
  const encryptedKey = locateEncryptedKey(one(parts, 'KeyInfo'), sibling);
  const key = readEncryptedKey(encryptedKey, encryptedData, data, options);
  return { encryptedData, wrapper, data, cipherValue, key };
}

function splitWrapper(encrypted: Element): { encryptedData: Element; wrapper: Element | undefined; sibling: Element | undefined } {
  if (encrypted.namespaceURI === NS.xenc && encrypted.localName === 'EncryptedData') {
    return { encryptedData: encrypted, wrapper: undefined, sibling: undefined };
  }
  if (encrypted.namespaceURI !== NS.saml || !WRAPPERS.has(encrypted.localName ?? '')) {
    refuse('ENC_FORMAT', `${encrypted.localName} is not an encrypted SAML element`);
  }
  const parts = shape(encrypted, [
    [NS.xenc, 'EncryptedData', 1, 1],
    [NS.xenc, 'EncryptedKey', 0, 1],
  ]);
  return { encryptedData: one(parts, 'EncryptedData'), wrapper: encrypted, sibling: parts['EncryptedKey']![0] };
}

/** Inline EncryptedKey, or the one sibling a RetrievalMethod names by '#id'; never both. */
function locateEncryptedKey(keyInfo: Element, sibling: Element | undefined): Element {
  const parts = shape(keyInfo, [
    [NS.xenc, 'EncryptedKey', 0, 1],
    [NS.ds, 'RetrievalMethod', 0, 1],
  ]);
  const inline = parts['EncryptedKey']![0];
  const retrieval = parts['RetrievalMethod']![0];
  if (inline && !retrieval && !sibling) return inline;
  if (!retrieval || inline || !sibling) refuse('ENC_FORMAT', 'exactly one EncryptedKey, inline or one referenced sibling');
  shape(retrieval, []); // no Transforms
  const type = attr(retrieval, 'Type');
  if (type !== null && type !== ENCRYPTED_KEY_TYPE) refuse('ENC_FORMAT', 'RetrievalMethod Type is not EncryptedKey');
  const uri = attr(retrieval, 'URI') ?? '';
  const id = attr(sibling, 'Id');
  if (!uri.startsWith('#') || id === null || uri.slice(1) !== id) refuse('ENC_FORMAT', 'RetrievalMethod does not name the EncryptedKey');
  return sibling;
}

/** An optional ReferenceList must point at this EncryptedData and nothing else. */
function checkReferenceList(list: Element | undefined, encryptedData: Element): void {
  if (!list) return;
  const ref = one(shape(list, [[NS.xenc, 'DataReference', 1, 1]]), 'DataReference');
  shape(ref, []);
  const id = attr(encryptedData, 'Id');
  if (id === null || attr(ref, 'URI') !== `#${id}`) refuse('ENC_FORMAT', 'ReferenceList names another EncryptedData');
}

function readEncryptedKey(ek: Element, encryptedData: Element, data: DataAlgorithm, options: ReadOptions): KeyPlan {
  const recipient = attr(ek, 'Recipient');
  if (options.recipient !== undefined && recipient !== null && recipient !== options.recipient) {
    refuse('ENC_FORMAT', 'EncryptedKey addressed to another recipient');
  }
  const parts = shape(ek, [
    [NS.xenc, 'EncryptionMethod', 1, 1],
    [NS.ds, 'KeyInfo', 0, 1],
    [NS.xenc, 'CipherData', 1, 1],
    [NS.xenc, 'ReferenceList', 0, 1],
  ]);
  checkReferenceList(parts['ReferenceList']![0], encryptedData);
  const method = one(parts, 'EncryptionMethod');
  const keyInfo = parts['KeyInfo']![0];
  const uri = attr(method, 'Algorithm');
  if (uri === ENC.RSA_OAEP || uri === ENC.RSA_OAEP_MGF1P) {
    const { hash, label } = readOaepMethod(method, options);
    if (keyInfo) shape(keyInfo, INFORMATIVE_KEY_INFO);
    return { kind: 'rsa-oaep', hash, label, wrapped: readCipherValue(one(parts, 'CipherData')) };
  }
  const wrap = readMethodWithoutParams(method, wrapAlgorithm);
  if (!keyInfo) refuse('ENC_FORMAT', 'key wrap without AgreementMethod');
  const agreement = readAgreementMethod(one(shape(keyInfo, [[NS.xenc, 'AgreementMethod', 1, 1]]), 'AgreementMethod'));
  const wrapped = readCipherValue(one(parts, 'CipherData'));
  // RFC 3394: the wrapped CEK is exactly one 64-bit block longer than the CEK.
  if (wrapped.length !== data.keyBytes + 8) refuse('ENC_FORMAT', 'wrapped key of the wrong length');
  return { kind: 'ecdh-es', wrap, wrapped, ...agreement };
}

/**
 * RSA-OAEP parameters (R-CRY-07). rsa-oaep-mgf1p: SHA-1 digest (DigestMethod absent or SHA-1),
 * MGF1-SHA1 fixed; allowed unless switched off. xmlenc11#rsa-oaep: DigestMethod and MGF must
 * both be given and name the same SHA-2 hash (absent means SHA-1 by the spec: refused).
 */
function readOaepMethod(method: Element, options: ReadOptions): { hash: HashName; label: Buffer | undefined } {
  const legacy = attr(method, 'Algorithm') === ENC.RSA_OAEP_MGF1P;
  if (legacy && !options.allowRsaOaepMgf1p) refuse('ENC_ALG_NOT_ALLOWED', 'rsa-oaep-mgf1p switched off');
  const parts = shape(method, [
    [NS.ds, 'DigestMethod', 0, 1],
    [NS.xenc11, 'MGF', 0, legacy ? 0 : 1], // rsa-oaep-mgf1p fixes MGF1-SHA1: no MGF element
    [NS.xenc, 'OAEPparams', 0, 1],
  ]);
  const digest = parts['DigestMethod']![0];
  const mgf = parts['MGF']![0];
  for (const el of [digest, mgf]) if (el) shape(el, []);
  const labelEl = parts['OAEPparams']![0];
  const label = labelEl ? base64Value(labelEl) : undefined;
  if (legacy) {
    if (digest && digestByUri(attr(digest, 'Algorithm'), true) !== 'sha1') {
      refuse('ENC_ALG_NOT_ALLOWED', 'rsa-oaep-mgf1p with a digest other than SHA-1');
    }
    return { hash: 'sha1', label };
  }
  const hash = digestByUri(digest ? attr(digest, 'Algorithm') : ENC.SHA1);
  if (mgf1ByUri(mgf ? attr(mgf, 'Algorithm') : null) !== hash) refuse('ENC_ALG_NOT_ALLOWED', 'OAEP digest and MGF1 digest differ');
  return { hash, label };
}

/** An EncryptionMethod that takes no parameters (AES-GCM, AES-KW): no KeySize or other child. */
function readMethodWithoutParams<T>(method: Element, byUri: (uri: string | null) => T): T {
  const alg = byUri(attr(method, 'Algorithm'));
  shape(method, []);
  return alg;
}

/** CipherData holds a CipherValue; a CipherReference (external fetch) is refused (ATK-27/36). */
function readCipherValue(cipherData: Element): Buffer {
  return base64Value(one(shape(cipherData, [[NS.xenc, 'CipherValue', 1, 1]]), 'CipherValue'));
}
