/**
 * Reads one ds:Signature strictly, child by child from the Signature element itself, never
 * from the document (R-SEC-01, ATK-01, ATK-11, ATK-15..17, ATK-22, ATK-26, ATK-27):
 *   Signature  = SignedInfo, SignatureValue, KeyInfo?           (nothing else, in that order)
 *   SignedInfo = CanonicalizationMethod, SignatureMethod, Reference   (exactly one Reference)
 *   Reference  = Transforms, DigestMethod, DigestValue
 *   Transforms = enveloped-signature, exc-c14n                   (exactly these, in this order)
 *   KeyInfo    = (X509Data | KeyName | KeyValue | DEREncodedKeyValue)+   (see readKeyInfo)
 * Algorithms are checked against the allowlists here, before any key is touched. So the
 * whole Signature subtree, which the enveloped transform leaves out of the digest, holds
 * nothing but these elements: no unsigned SAML content can hide in it (ATK-06, ATK-15, ATK-18).
 */
import { refuse, type XmlReason } from './errors.ts';
import { elementChildren, isElement, strictText } from './dom.ts';
import { digestAlgorithm, signatureAlgorithm, type HashName, type SignatureAlgorithm } from './algorithms.ts';
import { C14N_EXCLUSIVE, NS, TRANSFORM_ENVELOPED } from './namespaces.ts';

export interface SignatureShape {
  signedInfo: Element;
  signedInfoPrefixes: string[];
  algorithm: SignatureAlgorithm;
  /** The Reference URI exactly as written ('' or '#' + NCName). */
  referenceUri: string;
  referencePrefixes: string[];
  digestUri: string;
  digestHash: HashName;
  digestValue: Buffer;
  signatureValue: Buffer;
  keyInfo: Element | undefined;
  /** DER of the KeyInfo certificates: only to name a refusal, never to verify (ATK-23). */
  keyInfoCertificates: Buffer[];
}

const NCNAME = /^[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD.0-9\u00B7\u0300-\u036F\u203F-\u2040-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const XML_SPACE = /[ \t\r\n]+/g;

export function isNcName(value: string): boolean {
  return NCNAME.test(value);
}

/** Strict base64: XML whitespace anywhere is allowed, anything else is SIG_STRUCTURE. */
export function strictBase64(text: string, what: string): Buffer {
  const compact = text.replace(XML_SPACE, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    refuse('SIG_STRUCTURE', `${what} is not strict base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) refuse('SIG_STRUCTURE', `${what} is not canonical base64`);
  return bytes;
}

/**
 * The element children of `el`, refusing comments, PIs, CDATA and non-whitespace text between
 * them (a signature part holds elements only, or text only: ATK-16).
 */
function elementsOnly(el: Element): Element[] {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) continue;
    if (c.nodeType === 3 && /^[ \t\r\n]*$/.test(c.nodeValue ?? '')) continue;
    refuse('SIG_STRUCTURE', `unexpected content in ${el.localName}`);
  }
  return elementChildren(el);
}

/** Children must be exactly the ds: elements named, in order; `optionalLast` may be absent. */
function expectChildren(
  el: Element,
  names: string[],
  optionalLast: boolean,
  otherwise: XmlReason = 'SIG_STRUCTURE',
): Element[] {
  const kids = elementsOnly(el);
  const min = optionalLast ? names.length - 1 : names.length;
  kids.forEach((k, i) => {
    if (k.namespaceURI === NS.ds && k.localName === names[i]) return;
    const known = k.namespaceURI === NS.ds && names.includes(k.localName);
    refuse(known ? 'SIG_STRUCTURE' : otherwise, `unexpected ${k.localName} in ${el.localName}`);
  });
  if (kids.length < min || kids.length > names.length) {
    refuse('SIG_STRUCTURE', `${el.localName} must hold ${names.join(', ')}`);
  }
  return kids;
}

function algorithmOf(el: Element): string {
  const alg = el.getAttribute('Algorithm');
  if (!alg) refuse('SIG_ALG_NOT_ALLOWED', `${el.localName} without Algorithm`);
  return alg;
}

/** exc-c14n with an optional ec:InclusiveNamespaces child; anything else is refused. */
function excC14nPrefixes(el: Element): string[] {
  if (algorithmOf(el) !== C14N_EXCLUSIVE) {
    refuse('SIG_ALG_NOT_ALLOWED', `${el.localName} must be exclusive C14N without comments`);
  }
  const kids = elementsOnly(el);
  if (kids.length === 0) return [];
  if (kids.length > 1 || !isElement(kids[0], NS.ec, 'InclusiveNamespaces') || kids[0].firstChild) {
    refuse('SIG_STRUCTURE', `unexpected content in ${el.localName}`);
  }
  const list = (kids[0].getAttribute('PrefixList') ?? '').split(XML_SPACE).filter((p) => p !== '');
  for (const p of list) {
    if (!isNcName(p) || p.includes(':')) refuse('SIG_STRUCTURE', 'InclusiveNamespaces PrefixList entry not supported');
  }
  return list;
}

function readTransforms(transforms: Element | undefined): string[] {
  const list = transforms ? elementsOnly(transforms) : [];
  if (list.length > 2) refuse('SIG_ALG_NOT_ALLOWED', 'at most 2 transforms');
  const [enveloped, c14n] = list;
  const ok =
    list.length === 2 &&
    isElement(enveloped, NS.ds, 'Transform') &&
    isElement(c14n, NS.ds, 'Transform') &&
    algorithmOf(enveloped) === TRANSFORM_ENVELOPED &&
    elementsOnly(enveloped).length === 0;
  // A lone enveloped-signature transform would imply inclusive C14N 1.0 (XML-DSig §4.3.3.2).
  if (!ok) refuse('SIG_ALG_NOT_ALLOWED', 'transforms must be exactly enveloped-signature, exc-c14n');
  return excC14nPrefixes(c14n!);
}

function readReference(reference: Element): Pick<
  SignatureShape,
  'referenceUri' | 'referencePrefixes' | 'digestUri' | 'digestHash' | 'digestValue'
> {
  const kids = elementsOnly(reference);
  const hasTransforms = isElement(kids[0], NS.ds, 'Transforms');
  const [digestMethod, digestValue] = hasTransforms ? kids.slice(1) : kids;
  if (kids.length !== (hasTransforms ? 3 : 2) || !isElement(digestMethod, NS.ds, 'DigestMethod') || !isElement(digestValue, NS.ds, 'DigestValue')) {
    refuse('SIG_STRUCTURE', 'Reference must hold Transforms, DigestMethod, DigestValue');
  }
  if (elementsOnly(digestMethod).length > 0) refuse('SIG_STRUCTURE', 'unexpected content in DigestMethod');
  const digestUri = algorithmOf(digestMethod);
  const digestHash = digestAlgorithm(digestUri);
  const referencePrefixes = readTransforms(hasTransforms ? kids[0] : undefined);
  const uriAttr = reference.getAttributeNode('URI');
  if (!uriAttr) refuse('SIG_STRUCTURE', 'Reference without URI');
  const referenceUri = uriAttr.value;
  if (referenceUri !== '' && !(referenceUri.startsWith('#') && isNcName(referenceUri.slice(1)))) {
    refuse('SIG_STRUCTURE', 'only same-document #ID references are allowed');
  }
  const value = strictBase64(strictText(digestValue), 'DigestValue');
  return { referenceUri, referencePrefixes, digestUri, digestHash, digestValue: value };
}

/**
 * The parts of `signature`, checked for shape and algorithms. `rsa-sha256` is returned as
 * any other algorithm: whether it is acceptable is the caller's per-call decision.
 */
export function readSignature(signature: Element): SignatureShape {
  const sigKids = elementsOnly(signature);
  const signedInfos = sigKids.filter((k) => isElement(k, NS.ds, 'SignedInfo'));
  if (signedInfos.length !== 1) refuse('SIG_STRUCTURE', 'exactly one SignedInfo is required');
  // ds:Object or any other wrapper in Signature is a scope problem (ATK-01, ATK-06, ATK-08).
  const [signedInfo, signatureValue, keyInfo] = expectChildren(
    signature,
    ['SignedInfo', 'SignatureValue', 'KeyInfo'],
    true,
    'SIG_SCOPE',
  ) as [Element, Element, Element | undefined];

  const siKids = elementsOnly(signedInfo);
  const references = siKids.filter((k) => isElement(k, NS.ds, 'Reference'));
  // None is not XML-DSig at all (ATK-10); several would sign more than the one element (ATK-11).
  if (references.length === 0) refuse('SIG_STRUCTURE', 'SignedInfo without Reference');
  if (references.length > 1) refuse('SIG_SCOPE', 'exactly one Reference is required');
  const [c14nMethod, sigMethod, reference] = expectChildren(
    signedInfo,
    ['CanonicalizationMethod', 'SignatureMethod', 'Reference'],
    false,
  ) as [Element, Element, Element];

  const signedInfoPrefixes = excC14nPrefixes(c14nMethod);
  if (elementsOnly(sigMethod).length > 0) refuse('SIG_ALG_NOT_ALLOWED', 'SignatureMethod parameters are not allowed');
  const algorithmUri = algorithmOf(sigMethod);
  const algorithm = signatureAlgorithm(algorithmUri);
  // signatureAlgorithm also knows our short names (signing options); a document names the URI.
  if (algorithm.uri !== algorithmUri) refuse('SIG_ALG_NOT_ALLOWED', 'SignatureMethod must name the algorithm by its URI');
  const ref = readReference(reference);
  const value = strictBase64(strictText(signatureValue), 'SignatureValue');
  const keyInfoCertificates = keyInfo ? readKeyInfo(keyInfo) : [];
  return { signedInfo, signedInfoPrefixes, algorithm, ...ref, signatureValue: value, keyInfo, keyInfoCertificates };
}

/**
 * KeyInfo is outside the digest, so all it holds is unsigned and attacker-chosen. Only
 *   KeyInfo   = (X509Data | KeyName | KeyValue | ds11:DEREncodedKeyValue)+
 *   X509Data  = (X509Certificate | X509IssuerSerial | X509SubjectName | X509SKI)+
 *   KeyName   = text;  DEREncodedKeyValue = base64 text (XML-DSig 1.1)
 *   KeyValue  = RSAKeyValue(Modulus, Exponent) | ds11:ECKeyValue(NamedCurve, PublicKey)
 * with text-only leaves: no RetrievalMethod (nothing is ever fetched: ATK-27), no SignedInfo
 * copy (ATK-15), no SAML, foreign or other DSig element (ATK-06, ATK-18). Returns the DER of
 * the certificates, checked as strict base64 only: they are never parsed here.
 */
function readKeyInfo(keyInfo: Element): Buffer[] {
  const kids = elementsOnly(keyInfo);
  if (kids.length === 0) refuse('SIG_STRUCTURE', 'empty KeyInfo');
  const certificates: Buffer[] = [];
  for (const kid of kids) {
    const name = dsName(kid);
    if (name === 'X509Data') readX509Data(kid, certificates);
    else if (name === 'KeyName') strictText(kid);
    else if (name === 'KeyValue') readKeyValue(kid);
    else if (name === 'ds11:DEREncodedKeyValue') strictBase64(strictText(kid), 'DEREncodedKeyValue');
    else refuse('SIG_STRUCTURE', `${kid.localName} is not allowed in KeyInfo`);
  }
  return certificates;
}

const INTEGER = /^[ \t\r\n]*[+-]?[0-9]+[ \t\r\n]*$/;

function readX509Data(data: Element, certificates: Buffer[]): void {
  const kids = elementsOnly(data);
  if (kids.length === 0) refuse('SIG_STRUCTURE', 'empty X509Data');
  for (const kid of kids) {
    const name = dsName(kid);
    if (name === 'X509Certificate') certificates.push(strictBase64(strictText(kid), name));
    else if (name === 'X509SKI') strictBase64(strictText(kid), name);
    else if (name === 'X509SubjectName') strictText(kid);
    else if (name === 'X509IssuerSerial') {
      const [, serial] = textChildren(kid, NS.ds, ['X509IssuerName', 'X509SerialNumber']);
      if (!INTEGER.test(serial!)) refuse('SIG_STRUCTURE', 'X509SerialNumber is not an integer');
    } else refuse('SIG_STRUCTURE', `${kid.localName} is not allowed in X509Data`);
  }
}

function readKeyValue(keyValue: Element): void {
  const kids = elementsOnly(keyValue);
  const value = kids.length === 1 ? kids[0] : undefined;
  if (isElement(value, NS.ds, 'RSAKeyValue')) {
    for (const part of textChildren(value, NS.ds, ['Modulus', 'Exponent'])) strictBase64(part, 'RSAKeyValue');
  } else if (isElement(value, NS.ds11, 'ECKeyValue')) {
    const [curve, point] = textChildren(value, NS.ds11, ['NamedCurve', 'PublicKey']);
    if (!/^[ \t\r\n]*$/.test(curve!)) refuse('SIG_STRUCTURE', 'unexpected content in NamedCurve');
    strictBase64(point!, 'ECKeyValue PublicKey');
  } else {
    refuse('SIG_STRUCTURE', 'KeyValue must hold one RSAKeyValue or ECKeyValue');
  }
}

/** 'Name' for ds:Name, 'ds11:Name' for ds11:Name, '' for any other namespace. */
function dsName(el: Element): string {
  if (el.namespaceURI === NS.ds) return el.localName;
  return el.namespaceURI === NS.ds11 ? `ds11:${el.localName}` : '';
}

/** The texts of the children of `el`, which must be exactly {ns}names in this order. */
function textChildren(el: Element, ns: string, names: string[]): string[] {
  const kids = elementsOnly(el);
  if (kids.length !== names.length || kids.some((k, i) => !isElement(k, ns, names[i]!))) {
    refuse('SIG_STRUCTURE', `${el.localName} must hold ${names.join(', ')}`);
  }
  return kids.map(strictText);
}
