/**
 * Enveloped XML-DSig signing (R-CRY-03/04, DESIGN §3 and §12): exclusive C14N, one Reference
 * to the element's ID, transforms [enveloped-signature, exc-c14n], RSA-PSS or ECDSA only.
 * The ds:Signature is built with DOM calls (values are never spliced into markup), the
 * element and the SignedInfo are canonicalised once each, and the private-key operation runs
 * in node:crypto's thread pool (callback form of crypto.sign), off the event loop.
 */
import { createHash, sign as cryptoSign, type KeyObject, type X509Certificate } from 'node:crypto';
import { XmlSecurityError, refuse } from './errors.ts';
import { childElements, isElement } from './dom.ts';
import { parseXml, serializeXml, METADATA_LIMITS } from './parser.ts';
import { canonicalize } from './c14n.ts';
import {
  cryptoParams,
  defaultSignatureAlgorithm,
  digestAlgorithm,
  digestUri,
  keyFitsAlgorithm,
  signatureAlgorithm,
  type SignatureAlgorithm,
} from './algorithms.ts';
import { certificateBase64, checkKeyStrength } from './keys.ts';
import { isNcName } from './signature-shape.ts';
import { C14N_EXCLUSIVE, DIGEST, NS, TRANSFORM_ENVELOPED } from './namespaces.ts';

export interface SignOptions {
  /** Private key, imported once by the caller. */
  key: KeyObject;
  /** Put in KeyInfo/X509Data (informative only: verifiers never trust it). */
  certificate?: X509Certificate;
  /** Name or URI; default defaultSignatureAlgorithm(key). */
  algorithm?: string;
  /** URI (or 'sha256' …); default SHA-256. */
  digest?: string;
  /** Default 'ID'. */
  idAttribute?: string;
}

/**
 * Enveloped exclusive-C14N signature over `element` by its ID; ds:Signature inserted after a
 * saml:Issuer child when there is one (SAML schema order), else as first child.
 */
export async function signElement(element: Element, options: SignOptions): Promise<Element> {
  const key = options.key;
  if (!key || key.type !== 'private') refuse('KEY_INVALID', 'signing needs a private key');
  const alg = options.algorithm ? signatureAlgorithm(options.algorithm) : defaultSignatureAlgorithm(key);
  if (alg.kind === 'rsa-pkcs1') refuse('SIG_ALG_NOT_ALLOWED', 'we never sign with RSA PKCS#1 v1.5 (R-CRY-03)');
  if (!keyFitsAlgorithm(alg, key)) refuse('KEY_INVALID', `${alg.name} needs another key type`);
  checkKeyStrength(key);
  const digest = digestUri(options.digest ?? DIGEST.SHA256);
  const hash = createHash(digestAlgorithm(digest));

  const id = element.getAttribute(options.idAttribute ?? 'ID') ?? '';
  if (!isNcName(id)) refuse('SCHEMA', 'the element to sign needs an ID that is an NCName');
  if (childElements(element, NS.ds, 'Signature').length > 0) refuse('SIG_STRUCTURE', 'the element is already signed');

  const doc = element.ownerDocument;
  const parts = buildSignature(doc, alg, digest, id, options.certificate);
  insertSignature(element, parts.signature);
  try {
    const digested = canonicalize(element, { exclude: parts.signature });
    parts.digestValue.appendChild(doc.createTextNode(hash.update(digested).digest('base64')));
    const signedInfo = canonicalize(parts.signedInfo);
    const value = await signAsync(alg, signedInfo, key);
    parts.signatureValue.appendChild(doc.createTextNode(value.toString('base64')));
  } catch (e) {
    element.removeChild(parts.signature); // never leave a half-built signature behind
    throw e;
  }
  return parts.signature;
}

/** Parses `xml` with the node's parser, signs its document element, serialises. */
export async function signXml(xml: string, options: SignOptions): Promise<string> {
  const doc = parseXml(xml, METADATA_LIMITS);
  await signElement(doc.documentElement, options);
  return serializeXml(doc);
}

interface SignatureParts {
  signature: Element;
  signedInfo: Element;
  digestValue: Element;
  signatureValue: Element;
}

function buildSignature(
  doc: Document,
  alg: SignatureAlgorithm,
  digest: string,
  id: string,
  certificate: X509Certificate | undefined,
): SignatureParts {
  const ds = (name: string, parent?: Element, algorithm?: string): Element => {
    const el = doc.createElementNS(NS.ds, `ds:${name}`);
    if (algorithm) el.setAttribute('Algorithm', algorithm);
    parent?.appendChild(el);
    return el;
  };
  const signature = ds('Signature');
  signature.setAttributeNS(NS.xmlns, 'xmlns:ds', NS.ds);
  const signedInfo = ds('SignedInfo', signature);
  ds('CanonicalizationMethod', signedInfo, C14N_EXCLUSIVE);
  ds('SignatureMethod', signedInfo, alg.uri);
  const reference = ds('Reference', signedInfo);
  reference.setAttribute('URI', `#${id}`);
  const transforms = ds('Transforms', reference);
  ds('Transform', transforms, TRANSFORM_ENVELOPED);
  ds('Transform', transforms, C14N_EXCLUSIVE);
  ds('DigestMethod', reference, digest);
  const digestValue = ds('DigestValue', reference);
  const signatureValue = ds('SignatureValue', signature);
  if (certificate) {
    const x509 = ds('X509Data', ds('KeyInfo', signature));
    ds('X509Certificate', x509).appendChild(doc.createTextNode(certificateBase64(certificate)));
  }
  return { signature, signedInfo, digestValue, signatureValue };
}

/** After a saml:Issuer child (SAML schema order), else first. */
function insertSignature(element: Element, signature: Element): void {
  let issuer: Element | undefined;
  for (let c = element.firstChild; c; c = c.nextSibling) {
    if (isElement(c, NS.saml, 'Issuer')) {
      issuer = c;
      break;
    }
  }
  element.insertBefore(signature, issuer ? issuer.nextSibling : element.firstChild);
}

function signAsync(alg: SignatureAlgorithm, data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    cryptoSign(alg.hash, data, cryptoParams(alg, key), (err, sig) =>
      err ? reject(new XmlSecurityError('KEY_INVALID', 'the private-key operation failed')) : resolve(sig),
    );
  });
}
