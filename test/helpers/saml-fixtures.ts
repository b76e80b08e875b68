/**
 * Attack harness for the XML security core (attacks.md §0.3): load a golden fixture, sign it with a
 * committed test key, apply a mutation as an attacker would (own parser, own serializer), and read the
 * values a caller would consume from a verified element.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { XmlSecurityError, type XmlReason } from '../../src/saml/errors.ts';
import { NS } from '../../src/saml/namespaces.ts';
import { signElement, type SignOptions } from '../../src/saml/sign.ts';

const ROOT = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Golden fixture files (test/fixtures/saml/valid/). */
export const G = {
  RESP_PLAIN: 'eidas-response-plain-assertion.xml',
  REQ: 'eidas-authnrequest.xml',
  RESP_XMLSEC1: 'eidas-response-signed-xmlsec1-ecdsa-p256.xml',
  RESP_SA_XMLSEC1: 'eidas-response-signed-assertion-xmlsec1-ecdsa-p256.xml',
  RESP_CR_XMLSEC1: 'eidas-response-cr-in-values-signed-xmlsec1-ecdsa-p256.xml',
  REQ_XMLSEC1: 'eidas-authnrequest-signed-xmlsec1-ecdsa-p256.xml',
} as const;

/** IDs and values of the golden fixtures. */
export const IDS = {
  response: '_resp-7f3c2a9e1b4d4e6f8a0b1c2d3e4f5a6b',
  assertion: '_assert-4b1d9c8e7f6a5b4c3d2e1f0a9b8c7d6e',
  request: '_req-a1b2c3d4e5f60718293a4b5c6d7e8f90',
} as const;
export const PERSON_IDENTIFIER = 'XX/FR/123456';
export const VICTIM_IDENTIFIER = 'XX/FR/999999';
export const PERSON_IDENTIFIER_NAME = 'http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier';

export function fixtureText(name: string, kind: 'valid' | 'invalid' = 'valid'): string {
  return readFileSync(`${ROOT}saml/${kind}/${name}`, 'utf8');
}

export function fixtureBytes(name: string, kind: 'valid' | 'invalid' = 'valid'): Buffer {
  return readFileSync(`${ROOT}saml/${kind}/${name}`);
}

// ---------------------------------------------------------------- keys

export type KeyName = 'K_XX' | 'K_XX_RSA' | 'K_XX_RSA2048' | 'K_EVIL';
const KEY_FILES: Record<KeyName, string> = {
  K_XX: 'k-xx',
  K_XX_RSA: 'k-xx-rsa',
  K_XX_RSA2048: 'k-xx-rsa2048',
  K_EVIL: 'k-evil',
};

export interface TestKey {
  name: KeyName;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificate: X509Certificate;
  certPem: string;
}

const keyCache = new Map<KeyName, TestKey>();

export function testKey(name: KeyName): TestKey {
  const cached = keyCache.get(name);
  if (cached) return cached;
  const base = `${ROOT}keys/attack-harness/${KEY_FILES[name]}`;
  const certPem = readFileSync(`${base}.cert.pem`, 'utf8');
  const certificate = new X509Certificate(certPem);
  const key: TestKey = {
    name,
    privateKey: createPrivateKey(readFileSync(`${base}.key.pem`)),
    publicKey: certificate.publicKey,
    certificate,
    certPem,
  };
  keyCache.set(name, key);
  return key;
}

// ---------------------------------------------------------------- attacker-side DOM

/** The attacker's own parser: xmldom, not the node's parseXml (which is the thing under test). */
export function attackerParse(xml: string): Document {
  const fail = (m: string): never => {
    throw new Error(`harness could not parse its own input: ${m}`);
  };
  return new DOMParser({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(
    xml,
    'application/xml',
  ) as unknown as Document;
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node as never);
}

/**
 * Text that `mutate` turns into a CDATA section after serializing (xmldom 0.8 refuses to insert a
 * CDATASection node under an element, so the split is done on the attacker's bytes instead).
 */
export const cdata = (text: string): string => `\u0001CDATA${text}\u0002`;

/** Parse `xml`, let `edit` change the DOM, serialize: the bytes an attacker would post. */
export function mutate(xml: string, edit: (doc: Document) => void): string {
  const doc = attackerParse(xml);
  edit(doc);
  return serialize(doc).replace(/\u0001CDATA([^\u0002]*)\u0002/g, '<![CDATA[$1]]>');
}

/** Direct element children in (ns, localName); the harness never searches the whole document. */
export function kids(parent: Element, ns: string | null, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    const el = n as Element;
    if (n.nodeType === 1 && el.localName === localName && (el.namespaceURI ?? null) === ns) out.push(el);
  }
  return out;
}

export function kid(parent: Element, ns: string | null, localName: string): Element {
  const found = kids(parent, ns, localName);
  if (found.length !== 1) throw new Error(`harness: ${found.length} ${localName} children, expected 1`);
  return found[0]!;
}

export const assertionOf = (response: Element): Element => kid(response, NS.saml, 'Assertion');
export const signatureOf = (signed: Element): Element => kid(signed, NS.ds, 'Signature');

/** The AttributeValue element of PersonIdentifier, walked child by child from an Assertion. */
export function personIdentifierValue(assertion: Element): Element {
  const statement = kid(assertion, NS.saml, 'AttributeStatement');
  const attr = kids(statement, NS.saml, 'Attribute').filter((a) => a.getAttribute('Name') === PERSON_IDENTIFIER_NAME);
  if (attr.length !== 1) throw new Error('harness: PersonIdentifier attribute not found exactly once');
  return kid(attr[0]!, NS.saml, 'AttributeValue');
}

/**
 * What the node would emit downstream (ATK-18): the full textContent of the PersonIdentifier read
 * from `verified` (a Response or an Assertion), child-relative only.
 */
export function personIdentifierOf(verified: Element): string {
  const assertion = verified.localName === 'Response' ? assertionOf(verified) : verified;
  return personIdentifierValue(assertion).textContent ?? '';
}

export function setPersonIdentifier(assertion: Element, value: string): void {
  const av = personIdentifierValue(assertion);
  while (av.firstChild) av.removeChild(av.firstChild);
  av.appendChild(av.ownerDocument!.createTextNode(value));
  const nameId = kid(kid(assertion, NS.saml, 'Subject'), NS.saml, 'NameID');
  nameId.textContent = value;
}

/** Removes every child ds:Signature of `el` (the attacker's "strip signature" step). */
export function stripSignature(el: Element): void {
  for (const s of kids(el, NS.ds, 'Signature')) el.removeChild(s);
}

// ---------------------------------------------------------------- signing with the core's signer

export function signOptions(key: KeyName, extra: Partial<SignOptions> = {}): SignOptions {
  const k = testKey(key);
  return { key: k.privateKey, certificate: k.certificate, ...extra };
}

/** `G_RESP` at unit level: G_RESP_PLAIN with the Response signed (enveloped, by ID). */
export async function signedResponse(key: KeyName = 'K_XX', extra: Partial<SignOptions> = {}): Promise<string> {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  await signElement(doc.documentElement!, signOptions(key, extra));
  return serialize(doc);
}

/**
 * `G_RESP_SA` at unit level: the Assertion signed and the Response NOT signed, so that the
 * assertion-level defences are what stops the attack (a Response signature would mask them).
 */
export async function signedAssertionResponse(key: KeyName = 'K_XX'): Promise<string> {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  await signElement(assertionOf(doc.documentElement!), signOptions(key));
  return serialize(doc);
}

/** `G_REQ`: the AuthnRequest signed. */
export async function signedRequest(key: KeyName = 'K_XX'): Promise<string> {
  const doc = attackerParse(fixtureText(G.REQ));
  await signElement(doc.documentElement!, signOptions(key));
  return serialize(doc);
}

// ---------------------------------------------------------------- outcomes

export type Outcome = XmlReason | 'ACCEPTED';

/** Runs `action`; returns 'ACCEPTED' or the XmlSecurityError reason. Any other error is re-thrown. */
export async function outcomeOf(action: () => unknown): Promise<Outcome> {
  try {
    await action();
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}
