/**
 * The attacker's (and the legacy peer's) own XML-DSig signer, independent of src/saml/sign.ts: it
 * builds a ds:Signature with ANY algorithm, transform list, reference list or KeyInfo, and makes it
 * cryptographically valid with node:crypto and xml-crypto's canonicalisers. Policy alone must then
 * refuse it (ATK-11, 22, 24, 25, 26, 27).
 */
import { createHash, createHmac, constants, sign, type KeyObject } from 'node:crypto';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  ExclusiveCanonicalization,
  ExclusiveCanonicalizationWithComments,
} from 'xml-crypto';
import { NS } from '../../../../../src/saml/namespaces.ts';
import { kids } from '../../../../helpers/saml-fixtures.ts';

export const URI = {
  EXC: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  EXC_COMMENTS: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  C14N: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  C14N_COMMENTS: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  C14N11: 'http://www.w3.org/2006/12/xml-c14n11',
  ENVELOPED: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  XSLT: 'http://www.w3.org/TR/1999/REC-xslt-19991116',
  XPATH: 'http://www.w3.org/TR/1999/REC-xpath-19991116',
  XPATH_FILTER2: 'http://www.w3.org/2002/06/xmldsig-filter2',
  BASE64: 'http://www.w3.org/2000/09/xmldsig#base64',
  SHA1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  SHA256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  SHA512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  ECDSA_SHA1: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
  ECDSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  RSA_SHA1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  RSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  RSA_SHA512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  RSA_PSS_SHA256: 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  HMAC_SHA1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  HMAC_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
} as const;

export const STANDARD_TRANSFORMS = [URI.ENVELOPED, URI.EXC];

const DIGESTS: Record<string, string> = {
  [URI.SHA1]: 'sha1',
  [URI.SHA256]: 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  [URI.SHA512]: 'sha512',
};

export type RawSigner = (data: Buffer) => Buffer;

export const signers = {
  ecdsa: (key: KeyObject, hash = 'sha256'): RawSigner => (d) => sign(hash, d, { key, dsaEncoding: 'ieee-p1363' }),
  /** DER-encoded ECDSA: not the XML-DSig 1.1 wire format (raw r||s). */
  ecdsaDer: (key: KeyObject, hash = 'sha256'): RawSigner => (d) => sign(hash, d, { key, dsaEncoding: 'der' }),
  rsaPss: (key: KeyObject, hash = 'sha256', saltLength = 32): RawSigner => (d) =>
    sign(hash, d, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
  rsaPkcs1: (key: KeyObject, hash: string): RawSigner => (d) => sign(hash, d, key),
  hmac: (secret: string | Buffer, hash: string): RawSigner => (d) => createHmac(hash, secret).update(d).digest(),
};

export interface ForgedReference {
  uri: string;
  /** The element whose bytes are digested; default: the element carrying `uri`'s ID, else the parent. */
  target?: Element;
  transforms?: string[];
  digest?: string;
}

export interface ForgeOptions {
  /** Element that receives the ds:Signature. */
  parent: Element;
  /** Insert before this child; default: after a saml Issuer child, else first. */
  before?: Node | null;
  references: ForgedReference[];
  signatureMethod: string;
  signer: RawSigner;
  c14n?: string;
  /** Adds KeyInfo content; receives the KeyInfo element (already in the Signature). */
  keyInfo?: (keyInfo: Element) => void;
  /** Prefix of the XML-DSig elements: 'ds' (default), another one, or '' for the default namespace. */
  prefix?: string;
}

/** Builds, inserts and signs a ds:Signature; returns it. Digests are computed before insertion. */
export function forgeSignature(o: ForgeOptions): Element {
  const doc = o.parent.ownerDocument!;
  const el = (name: string, attrs: Record<string, string> = {}): Element => {
    const prefix = o.prefix ?? 'ds';
    const e = doc.createElementNS(NS.ds, prefix ? `${prefix}:${name}` : name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const signature = el('Signature');
  const signedInfo = signature.appendChild(el('SignedInfo')) as Element;
  signedInfo.appendChild(el('CanonicalizationMethod', { Algorithm: o.c14n ?? URI.EXC }));
  signedInfo.appendChild(el('SignatureMethod', { Algorithm: o.signatureMethod }));
  for (const r of o.references) {
    const ref = signedInfo.appendChild(el('Reference', { URI: r.uri })) as Element;
    const transforms = r.transforms ?? STANDARD_TRANSFORMS;
    if (transforms.length > 0) {
      const ts = ref.appendChild(el('Transforms'));
      for (const t of transforms) ts.appendChild(el('Transform', { Algorithm: t }));
    }
    const digestUri = r.digest ?? URI.SHA256;
    ref.appendChild(el('DigestMethod', { Algorithm: digestUri }));
    const target = r.target ?? findById(o.parent, r.uri) ?? o.parent;
    const digest = createHash(DIGESTS[digestUri] ?? 'sha256').update(canonical(target, transforms)).digest('base64');
    ref.appendChild(el('DigestValue')).appendChild(doc.createTextNode(digest));
  }
  const value = signature.appendChild(el('SignatureValue')) as Element;
  if (o.keyInfo) o.keyInfo(signature.appendChild(el('KeyInfo')) as Element);
  o.parent.insertBefore(signature, o.before === undefined ? defaultPosition(o.parent) : o.before);
  const signed = o.signer(Buffer.from(canonical(signedInfo, [o.c14n ?? URI.EXC]), 'utf8'));
  value.appendChild(doc.createTextNode(signed.toString('base64')));
  return signature;
}

/** Recomputes the SignatureValue of an existing ds:Signature after its SignedInfo was edited. */
export function resignSignedInfo(signature: Element, signer: RawSigner, c14n: string = URI.EXC): void {
  const signedInfo = kids(signature, NS.ds, 'SignedInfo')[0]!;
  const value = kids(signature, NS.ds, 'SignatureValue')[0]!;
  value.textContent = signer(Buffer.from(canonical(signedInfo, [c14n]), 'utf8')).toString('base64');
}

/** Digest (base64) of `el` as the standard transforms see it, for DigestValue forgeries. */
export function standardDigest(el: Element, hash = 'sha256'): string {
  return createHash(hash).update(canonical(el, STANDARD_TRANSFORMS)).digest('base64');
}

/**
 * Octets of `el` after `transforms`, with the ds:Signature children of `el` left out (enveloped).
 * Non-c14n transforms (XSLT, XPath, base64) are not run: the policy must refuse them by URI.
 */
export function canonical(el: Element, transforms: string[]): string {
  const last = [...transforms].reverse().find((t) => C14N_BY_URI[t]) ?? URI.C14N;
  const removed = transforms.includes(URI.ENVELOPED) ? detachSignatures(el) : [];
  try {
    const c14n = C14N_BY_URI[last]!();
    const ancestorNamespaces = last.includes('exc') ? [] : inScopeNamespaces(el);
    return c14n.process(el, { ancestorNamespaces }) as string;
  } finally {
    for (const [sig, next] of removed) el.insertBefore(sig, next);
  }
}

type Canonicaliser = { process(n: Node, o: object): unknown; attrCompare(a: Attr, b: Attr): number };

/**
 * xml-crypto's canonicalisers with the attribute order of the C14N spec (namespace URI, then local
 * name). xml-crypto compares `namespaceURI + localName` strings, which puts attributes created with
 * setAttribute (namespaceURI null) before parsed ones (undefined) and misorders namespaces that are
 * prefixes of each other; the harness must not inherit that.
 */
function specOrder<T extends Canonicaliser>(c: T): T {
  c.attrCompare = (a, b) => {
    const [na, nb] = [a.namespaceURI || '', b.namespaceURI || ''];
    if (na !== nb) return na < nb ? -1 : 1;
    const [la, lb] = [a.localName || a.name, b.localName || b.name];
    return la === lb ? 0 : la < lb ? -1 : 1;
  };
  return c;
}

const C14N_BY_URI: Record<string, () => Canonicaliser> = {
  [URI.EXC]: () => specOrder(new ExclusiveCanonicalization()),
  [URI.EXC_COMMENTS]: () => specOrder(new ExclusiveCanonicalizationWithComments()),
  [URI.C14N]: () => specOrder(new C14nCanonicalization()),
  [URI.C14N_COMMENTS]: () => specOrder(new C14nCanonicalizationWithComments()),
  // c14n 1.1 differs from 1.0 only for xml:* attributes, which these documents do not use.
  [URI.C14N11]: () => specOrder(new C14nCanonicalization()),
};

function detachSignatures(el: Element): Array<[Element, Node | null]> {
  return kids(el, NS.ds, 'Signature').map((s) => {
    const next = s.nextSibling;
    el.removeChild(s);
    return [s, next] as [Element, Node | null];
  });
}

function inScopeNamespaces(el: Element): Array<{ prefix: string; namespaceURI: string }> {
  const seen = new Map<string, string>();
  for (let p = el.parentNode as Element | null; p && p.nodeType === 1; p = p.parentNode as Element | null) {
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes.item(i)!;
      const prefix = a.name === 'xmlns' ? '' : a.name.startsWith('xmlns:') ? a.name.slice(6) : undefined;
      if (prefix !== undefined && !seen.has(prefix)) seen.set(prefix, a.value);
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function defaultPosition(parent: Element): Node | null {
  const issuer = kids(parent, NS.saml, 'Issuer')[0];
  return issuer ? issuer.nextSibling : parent.firstChild;
}

function findById(scope: Element, uri: string): Element | undefined {
  if (!uri.startsWith('#')) return undefined;
  const id = uri.slice(1);
  const stack: Element[] = [scope.ownerDocument!.documentElement!];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.getAttribute('ID') === id) return e;
    for (let c = e.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return undefined;
}

/** KeyInfo content: ds:X509Data with the given certificates (base64 DER). */
export function x509KeyInfo(...certsBase64: string[]): (ki: Element) => void {
  return (ki) => {
    const doc = ki.ownerDocument!;
    const data = ki.appendChild(doc.createElementNS(NS.ds, 'ds:X509Data'));
    for (const c of certsBase64) {
      data.appendChild(doc.createElementNS(NS.ds, 'ds:X509Certificate')).appendChild(doc.createTextNode(c));
    }
  };
}
