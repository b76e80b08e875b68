/**
 * Verification of one enveloped XML-DSig signature, walking the DOM from the element it must
 * cover (DESIGN §3 and §12, R-SEC-01, R-CRY-02..04, ATK-01..27). No XPath, no document-wide
 * "first match", no key from the message: the caller says which element must be signed and
 * which keys are trusted, and gets that element back only if every check passed.
 *
 * Why consuming `VerifiedElement.element` is safe (ATK-18): it is the very DOM node whose
 * exclusive canonical form was digested here, not a re-serialised or re-parsed copy, and
 * nothing in this module modifies the DOM. The only parts of its subtree left out of the
 * digest are its enveloped ds:Signature, whose every element and text is checked against
 * the fixed XML-DSig shape (signature-shape.ts: no SAML or foreign element can hide in it,
 * KeyInfo included), and comments, which exc-c14n drops and which DOM `textContent` readers
 * skip as well; processing instructions are refused (c14n.ts). So a caller that reads this
 * node through dom.ts (namespace-bound children, strictText or textContent) reads exactly
 * what was signed; even a descendant look-up for a SAML element meets only signed ones.
 */
import { verify as cryptoVerify, timingSafeEqual, createHash, type KeyObject, type X509Certificate } from 'node:crypto';
import { refuse } from './errors.ts';
import { childElements, isElement } from './dom.ts';
import { parseXml, type ParseLimits } from './parser.ts';
import { canonicalize } from './c14n.ts';
import { cryptoParams, keyFitsAlgorithm, type SignatureAlgorithm } from './algorithms.ts';
import { certificateSpki, checkKeyStrength, publicKeySpki, toPublicKey } from './keys.ts';
import { readSignature, type SignatureShape } from './signature-shape.ts';
import { NS } from './namespaces.ts';

export interface VerifyOptions {
  /** From metadata or the operator; NEVER the message's KeyInfo. */
  trusted: Array<KeyObject | X509Certificate>;
  /** Per call, for one named legacy peer; SHA-1 never. */
  allowLegacyRsaSha256?: boolean;
  /** Default 3072; per-call legacy lowest 2048. */
  minRsaBits?: number;
  /** Reference URI="" (EU metadata); only when the element is the document element. */
  allowWholeDocumentReference?: boolean;
}

export interface VerifiedElement {
  /** The element the signature covers: the ONLY thing callers may read. */
  element: Element;
  id: string | undefined;
  /** URI */
  signatureAlgorithm: string;
  /** URI */
  digestAlgorithm: string;
  /** The trusted key that verified it. */
  key: KeyObject;
}

/** At most this many ds:Signature elements in a document (ATK-26). */
export const MAX_SIGNATURES_PER_DOCUMENT = 8;
/** Canonical SignedInfo larger than this is refused (ATK-26); one Reference needs ~1 KiB. */
export const MAX_SIGNED_INFO_BYTES = 8 * 1024;

const ID_LIKE = new Set(['ID', 'Id', 'id']);

/** `element` must carry its enveloped ds:Signature as a direct child. */
export async function verifyElement(element: Element, options: VerifyOptions): Promise<VerifiedElement> {
  const signature = envelopedSignature(element);
  const shape = readSignature(signature);
  checkAlgorithmPolicy(shape.algorithm, options);
  const id = checkScope(element, shape.referenceUri, options);
  checkDocument(element, id);
  const keys = candidateKeys(shape.algorithm, options);

  const digested = canonicalize(element, { exclude: signature, inclusivePrefixes: shape.referencePrefixes });
  const digest = createHash(shape.digestHash).update(digested).digest();
  if (digest.length !== shape.digestValue.length || !timingSafeEqual(digest, shape.digestValue)) {
    refuse('DIGEST_MISMATCH');
  }

  const signedInfo = canonicalize(shape.signedInfo, { inclusivePrefixes: shape.signedInfoPrefixes });
  if (signedInfo.length > MAX_SIGNED_INFO_BYTES) refuse('XML_LIMIT', 'SignedInfo too large');
  for (const key of keys) {
    if (await verifiesWith(shape.algorithm, signedInfo, key, shape.signatureValue)) {
      return {
        element,
        id,
        signatureAlgorithm: shape.algorithm.uri,
        digestAlgorithm: shape.digestUri,
        key,
      };
    }
  }
  return refuse(keyInfoNamesOtherKey(shape, keys) ? 'KEY_UNTRUSTED' : 'SIG_INVALID');
}

/** Parses with the node's one parser and verifies the document element. */
export async function verifyXml(
  xml: string | Uint8Array,
  options: VerifyOptions & { limits?: Partial<ParseLimits> },
): Promise<VerifiedElement> {
  const doc = parseXml(xml, options.limits);
  return verifyElement(doc.documentElement, options);
}

function envelopedSignature(element: Element): Element {
  if (!element || element.nodeType !== 1 || !element.ownerDocument) {
    refuse('SIG_SCOPE', 'not an element of a document');
  }
  const signatures = childElements(element, NS.ds, 'Signature');
  if (signatures.length === 0) refuse('SIG_MISSING');
  if (signatures.length > 1) refuse('SIG_SCOPE', 'more than one Signature on the element');
  return signatures[0]!;
}

function checkAlgorithmPolicy(alg: SignatureAlgorithm, options: VerifyOptions): void {
  if (alg.kind === 'rsa-pkcs1' && options.allowLegacyRsaSha256 !== true) {
    refuse('SIG_ALG_NOT_ALLOWED', 'RSA PKCS#1 v1.5 (rsa-sha256) is not allowed for this peer');
  }
}

/** The Reference must point at `element` itself: '#' + its ID, or '' for the whole document. */
function checkScope(element: Element, uri: string, options: VerifyOptions): string | undefined {
  const own = element.getAttributeNode('ID')?.value;
  if (uri === '') {
    const doc = element.ownerDocument;
    if (options.allowWholeDocumentReference !== true || element !== doc.documentElement) {
      refuse('SIG_SCOPE', 'Reference URI="" is not allowed here');
    }
    // URI="" covers the document minus comments: a PI outside the root would be signed too.
    // (xmldom keeps the XML declaration as a first-child node with target 'xml'.)
    for (let n = doc.firstChild; n; n = n.nextSibling) {
      const isDeclaration = n === doc.firstChild && (n as ProcessingInstruction).target === 'xml';
      if (n.nodeType === 7 && !isDeclaration) refuse('XML_UNEXPECTED_NODE', 'processing instruction outside the root');
    }
    return own;
  }
  if (own === undefined || uri !== `#${own}`) refuse('SIG_SCOPE', 'the Reference does not point at the signed element');
  return own;
}

/** One walk over the document: Signature count cap, and the referenced ID occurs once. */
function checkDocument(element: Element, id: string | undefined): void {
  let signatures = 0;
  let idCount = 0;
  const stack: Node[] = [element.ownerDocument.documentElement];
  while (stack.length > 0) {
    const el = stack.pop() as Element;
    if (isElement(el, NS.ds, 'Signature') && ++signatures > MAX_SIGNATURES_PER_DOCUMENT) {
      refuse('XML_LIMIT', `more than ${MAX_SIGNATURES_PER_DOCUMENT} signatures`);
    }
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (id !== undefined && ID_LIKE.has(a.localName ?? a.name) && a.value === id) idCount++;
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c);
  }
  if (id !== undefined && idCount !== 1) refuse('DUP_ID', 'the referenced ID is not unique in the document');
}

/** Trusted keys that fit the algorithm and are strong enough (R-CRY-04). */
function candidateKeys(alg: SignatureAlgorithm, options: VerifyOptions): KeyObject[] {
  if (!Array.isArray(options.trusted) || options.trusted.length === 0) refuse('KEY_UNTRUSTED', 'no trusted key');
  const fitting = options.trusted.map(toPublicKey).filter((k) => keyFitsAlgorithm(alg, k));
  if (fitting.length === 0) refuse('KEY_UNTRUSTED', `no trusted key for ${alg.name}`);
  const policy = { minRsaBits: options.minRsaBits ?? 3072 };
  const strong = fitting.filter((k) => {
    try {
      checkKeyStrength(k, policy);
      return true;
    } catch {
      return false; // a weak key is not a candidate; if none is left, refused just below
    }
  });
  if (strong.length === 0) checkKeyStrength(fitting[0]!, policy); // throws with the reason
  return strong;
}

function verifiesWith(alg: SignatureAlgorithm, data: Buffer, key: KeyObject, value: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      cryptoVerify(alg.hash, data, cryptoParams(alg, key), value, (err, ok) => resolve(!err && ok === true));
    } catch {
      resolve(false); // a value node:crypto cannot even parse does not verify
    }
  });
}

/**
 * Only to name the refusal (ATK-23): did the message carry a certificate that is none of
 * the trusted keys? The embedded certificate never verifies anything, and it is never
 * parsed by node:crypto either (an EC point at infinity there would abort the process when
 * its key is inspected): its SPKI bytes are compared with the trusted keys' exported SPKI.
 */
function keyInfoNamesOtherKey(shape: SignatureShape, trusted: KeyObject[]): boolean {
  if (shape.keyInfoCertificates.length === 0) return false;
  const trustedSpki = trusted.map(publicKeySpki);
  return shape.keyInfoCertificates.some((der) => {
    const spki = certificateSpki(der);
    // an unreadable certificate names no key; the refusal stays SIG_INVALID
    return spki !== undefined && !trustedSpki.some((t) => t?.equals(spki));
  });
}
