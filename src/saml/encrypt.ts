/**
 * XML-Enc encryption of an element to a peer (R-CRY-05..09): AES-GCM content encryption with a
 * fresh random key and IV per call; the key goes to an RSA certificate by RSA-OAEP key transport
 * or to an EC certificate by ECDH-ES (fresh ephemeral key) + ConcatKDF(SHA-256) + AES-KW.
 *
 * Built with node:crypto and the DOM rather than xml-encryption's encrypt()/encryptKeyInfo():
 * those render string templates that we would have to parse again (an extra parse per message,
 * DESIGN §12), need a PEM certificate where a metadata key may be a bare KeyObject, and have no
 * ECDH-ES / ConcatKDF / AES-KW at all. The RSA-OAEP maths is one node:crypto call either way.
 */
import crypto, { type KeyObject, type X509Certificate } from 'node:crypto';
import { refuse } from './errors.ts';
import { ENC, NS } from './namespaces.ts';
import { certificateBase64, toPublicKey } from './keys.ts';
import { serializeXml } from './parser.ts';
import { DIGEST_URI, emittedDataAlgorithm, encryptGcm, mgf1Uri, wrapAlgorithm, wrapKey } from './enc-algorithms.ts';
import { cipherData, newId, serializeInScope, xel } from './enc-build.ts';
import { EU_CONCAT_KDF_PARAMS, allowedCurve, concatKdf, concatKdfParam, curveOid, ecPoint, generateEphemeral, sharedSecret } from './key-agreement.ts';
import { rsaOaepEncrypt } from './key-transport.ts';

export interface EncryptOptions {
  /** RSA → key transport; EC → ECDH-ES key agreement (R-CRY-06). */
  recipient: X509Certificate | KeyObject;
  /** URI; default ENC.AES256_GCM; AES128_GCM allowed. */
  dataAlgorithm?: string;
  /** RSA only: ENC.RSA_OAEP (default: SHA-256 + MGF1-SHA256) | ENC.RSA_OAEP_MGF1P. */
  keyTransport?: string;
  /** EC only: ENC.KW_AES256 (default) | ENC.KW_AES128. */
  keyWrap?: string;
}

interface Recipient {
  key: KeyObject;
  certificate: X509Certificate | undefined;
}

/**
 * Replaces `element` in its document by xenc:EncryptedData (inside saml:EncryptedAssertion when
 * the element is a saml:Assertion) and returns the replacement. Fresh CEK and IV per call.
 */
export async function encryptElement(element: Element, options: EncryptOptions): Promise<Element> {
  const recipient: Recipient = {
    key: toPublicKey(options.recipient),
    certificate: options.recipient instanceof crypto.X509Certificate ? options.recipient : undefined,
  };
  const data = emittedDataAlgorithm(options.dataAlgorithm);
  const doc = element.ownerDocument;
  const cek = crypto.randomBytes(data.keyBytes);
  const encryptedKey = await buildEncryptedKey(doc, recipient, cek, options);
  const plaintext = Buffer.from(serializeInScope(element, serializeXml), 'utf8');
  const encryptedData = xel(doc, NS.xenc, 'EncryptedData', { Id: newId(), Type: ENC.TYPE_ELEMENT }, [
    xel(doc, NS.xenc, 'EncryptionMethod', { Algorithm: data.uri }),
    xel(doc, NS.ds, 'KeyInfo', {}, [encryptedKey], true),
    cipherData(doc, encryptGcm(data, cek, plaintext)),
  ], true);
  const replacement = isAssertion(element) ? encryptedAssertion(doc, element, encryptedData) : encryptedData;
  element.parentNode?.replaceChild(replacement, element);
  return replacement;
}

function buildEncryptedKey(doc: Document, recipient: Recipient, cek: Buffer, options: EncryptOptions): Promise<Element> | Element {
  const type = recipient.key.asymmetricKeyType;
  if (type === 'rsa') {
    if (options.keyWrap !== undefined) refuse('ENC_ALG_NOT_ALLOWED', 'key wrap is for EC recipients');
    return rsaEncryptedKey(doc, recipient, cek, options.keyTransport ?? ENC.RSA_OAEP);
  }
  if (type === 'ec') {
    if (options.keyTransport !== undefined) refuse('ENC_ALG_NOT_ALLOWED', 'key transport is for RSA recipients');
    return ecdhEncryptedKey(doc, recipient, cek, options.keyWrap ?? ENC.KW_AES256);
  }
  return refuse('ENC_ALG_NOT_ALLOWED', `cannot encrypt to a ${String(type)} key`);
}

/** RSA-OAEP key transport (R-CRY-07): xmlenc11#rsa-oaep SHA-256/MGF1-SHA256, or rsa-oaep-mgf1p. */
function rsaEncryptedKey(doc: Document, recipient: Recipient, cek: Buffer, transport: string): Element {
  let params: Element[];
  let wrapped: Buffer;
  if (transport === ENC.RSA_OAEP) {
    wrapped = rsaOaepEncrypt(recipient.key, 'sha256', cek);
    params = [
      xel(doc, NS.ds, 'DigestMethod', { Algorithm: DIGEST_URI.sha256 }),
      xel(doc, NS.xenc11, 'MGF', { Algorithm: mgf1Uri('sha256') }, [], true),
    ];
  } else if (transport === ENC.RSA_OAEP_MGF1P) {
    wrapped = rsaOaepEncrypt(recipient.key, 'sha1', cek);
    params = [xel(doc, NS.ds, 'DigestMethod', { Algorithm: ENC.SHA1 })];
  } else {
    return refuse('ENC_ALG_NOT_ALLOWED', `key transport ${transport}`);
  }
  const children = [xel(doc, NS.xenc, 'EncryptionMethod', { Algorithm: transport }, params)];
  if (recipient.certificate) children.push(xel(doc, NS.ds, 'KeyInfo', {}, [x509Data(doc, recipient.certificate)]));
  children.push(cipherData(doc, wrapped));
  return xel(doc, NS.xenc, 'EncryptedKey', { Id: newId() }, children);
}

/**
 * ECDH-ES + ConcatKDF(SHA-256) + AES-KW (R-CRY-08), laid out like the EU reference node's
 * EncryptedKey: AgreementMethod inside the EncryptedKey's KeyInfo, ConcatKDFParams "0000" each,
 * the ephemeral key both as ECKeyValue and as DEREncodedKeyValue, the recipient as RecipientKeyInfo.
 */
async function ecdhEncryptedKey(doc: Document, recipient: Recipient, cek: Buffer, wrapUri: string): Promise<Element> {
  const wrap = wrapAlgorithm(wrapUri);
  const curve = allowedCurve(recipient.key);
  if (!curve) refuse('ENC_ALG_NOT_ALLOWED', 'recipient EC key is not on an eIDAS curve');
  const ephemeral = await generateEphemeral(curve);
  const otherInfo = Buffer.concat(Object.values(EU_CONCAT_KDF_PARAMS).map(concatKdfParam));
  const kek = concatKdf('sha256', sharedSecret(ephemeral.privateKey, recipient.key), otherInfo, wrap.keyBytes);
  const agreement = xel(doc, NS.xenc, 'AgreementMethod', { Algorithm: ENC.ECDH_ES }, [
    xel(doc, NS.xenc11, 'KeyDerivationMethod', { Algorithm: ENC.CONCAT_KDF }, [
      xel(doc, NS.xenc11, 'ConcatKDFParams', { ...EU_CONCAT_KDF_PARAMS }, [
        xel(doc, NS.ds, 'DigestMethod', { Algorithm: DIGEST_URI.sha256 }),
      ]),
    ], true),
    xel(doc, NS.xenc, 'OriginatorKeyInfo', {}, [
      xel(doc, NS.ds, 'KeyValue', {}, [
        xel(doc, NS.ds11, 'ECKeyValue', {}, [
          xel(doc, NS.ds11, 'NamedCurve', { URI: `urn:oid:${curveOid(curve)}` }),
          xel(doc, NS.ds11, 'PublicKey', {}, [ecPoint(ephemeral.publicKey).toString('base64')]),
        ], true),
      ]),
      xel(doc, NS.ds11, 'DEREncodedKeyValue', {}, [spkiBase64(ephemeral.publicKey)], true),
    ]),
    xel(doc, NS.xenc, 'RecipientKeyInfo', {}, [
      recipient.certificate
        ? x509Data(doc, recipient.certificate)
        : xel(doc, NS.ds11, 'DEREncodedKeyValue', {}, [spkiBase64(recipient.key)], true),
    ]),
  ]);
  return xel(doc, NS.xenc, 'EncryptedKey', { Id: newId() }, [
    xel(doc, NS.xenc, 'EncryptionMethod', { Algorithm: wrap.uri }),
    xel(doc, NS.ds, 'KeyInfo', {}, [agreement]),
    cipherData(doc, wrapKey(wrap, kek, cek)),
  ]);
}

function x509Data(doc: Document, certificate: X509Certificate): Element {
  return xel(doc, NS.ds, 'X509Data', {}, [xel(doc, NS.ds, 'X509Certificate', {}, [certificateBase64(certificate)])]);
}

function spkiBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

function isAssertion(element: Element): boolean {
  return element.namespaceURI === NS.saml && element.localName === 'Assertion';
}

/** saml:EncryptedAssertion with the Assertion's own prefix (declared unless already in scope). */
function encryptedAssertion(doc: Document, assertion: Element, encryptedData: Element): Element {
  const prefix = assertion.prefix || 'saml';
  const wrapper = doc.createElementNS(NS.saml, `${prefix}:EncryptedAssertion`);
  const parent = assertion.parentNode;
  if (!parent || parent.lookupNamespaceURI(prefix) !== NS.saml) wrapper.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, NS.saml);
  wrapper.appendChild(encryptedData);
  return wrapper;
}
